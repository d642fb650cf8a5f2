"""pytest setup: the package is imported from this source tree (the jar from the checkout around
it); the COCO demo data comes from ../shared next to the checkout (CAPEVAL_SHARED overrides), and
is required when CAPEVAL_REQUIRE_SHARED=1, as .ci/run sets."""
import os
import sys

import pytest

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKOUT = os.path.dirname(PYTHON_DIR)
sys.path.insert(0, PYTHON_DIR)

import capeval  # noqa: E402
from capeval import _runner  # noqa: E402

REQUIRED = os.environ.get("CAPEVAL_REQUIRE_SHARED") == "1"


def _skip_or_fail(message):
    if REQUIRED:
        pytest.fail(message + " and CAPEVAL_REQUIRE_SHARED=1")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """The lookup's environment variables, unset unless a test sets them (CAPEVAL_HOME, when set, names
    the checkout whose jar the tests use)."""
    for name in ("CAPEVAL_JAR", "CAPEVAL_JAVA_OPTS", "CAPEVAL_METEOR_DATA", "CAPEVAL_METEOR_PARAPHRASE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def jar():
    """capeval's jar built in this checkout (mvn package runs before these tests in mvn verify)."""
    saved = {k: os.environ.pop(k) for k in ("CAPEVAL_JAR",) if k in os.environ}
    try:
        return _runner.find_jar()[0]
    except capeval.JarNotFoundError as e:
        _skip_or_fail("capeval's jar is not built (%s)" % e)
    finally:
        os.environ.update(saved)


@pytest.fixture(scope="session")
def demo():
    """The COCO demo: the notebook's 1,000 fake results and their val2014 references, with
    pycocoevalcap's expected numbers (the shared case real_fakecap_val2014)."""
    shared = os.environ.get("CAPEVAL_SHARED") or os.path.join(os.path.dirname(CHECKOUT), "shared")
    case = os.path.join(shared, "cases", "caption", "real_fakecap_val2014")
    results = os.path.join(shared, "data", "coco-val2014", "captions_val2014_fakecap_results.json")
    if not (os.path.isdir(case) and os.path.isfile(results)):
        _skip_or_fail("shared reference data not found (%s)" % shared)
    return {"refs": os.path.join(case, "raw", "refs.json"), "results": results,
            "expected": os.path.join(case, "raw", "expected.json")}


REFS = {"images": [{"id": 30}, {"id": 10}, {"id": 20}, {"id": 40}],
        "annotations": [
            {"image_id": 10, "id": 1, "caption": "A dog lies on a couch."},
            {"image_id": 10, "id": 2, "caption": "a brown dog sleeping"},
            {"image_id": 20, "id": 3, "caption": "A cat sits on the bed."},
            {"image_id": 30, "id": 4, "caption": "Two birds in a tree."},
            {"image_id": 30, "id": 5, "caption": "birds sitting on a branch"},
            {"image_id": 40, "id": 6, "caption": "An empty room."}]}
RESULTS = [{"image_id": 10, "caption": "a dog on a couch"},
           {"image_id": 20, "caption": "a cat on a bed"},
           {"image_id": 30, "caption": "two birds on a branch"}]
KEYS = ["image_id", "Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"]
