"""The pycocoevalcap drop-in against the built jar: the demo notebook's flow with only the import
changed, the structures' keys and order, the JSON file's bytes, capeval.score and the console command."""
import collections
import json
import math
import os
import subprocess
import sys

import pytest

import capeval
from capeval import _runner
from capeval.pycocoevalcap import COCOEvalCap
from conftest import KEYS, PYTHON_DIR, REFS, RESULTS


class MiniCOCO:
    """A stand-in for pycocotools.coco.COCO (not installed here): just the attributes pycocoevalcap
    reads (imgs, imgToAnns as a defaultdict, getImgIds) and loadRes, written for these tests."""

    def __init__(self, dataset):
        self.dataset = dataset
        self.imgs = {img["id"]: img for img in dataset["images"]}
        self.imgToAnns = collections.defaultdict(list)
        for ann in dataset["annotations"]:
            self.imgToAnns[ann["image_id"]].append(ann)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))

    def getImgIds(self):
        return list(self.imgs.keys())

    def loadRes(self, path):
        with open(path, encoding="utf-8") as f:
            anns = json.load(f)
        ids = {a["image_id"] for a in anns}
        assert ids <= set(self.imgs), "Results do not correspond to current coco set"
        return MiniCOCO({"images": [img for img in self.dataset["images"] if img["id"] in ids],
                         "annotations": [dict(a, id=i + 1) for i, a in enumerate(anns)]})


def close(expected, actual, what):
    assert abs(expected - actual) <= 1e-12 * max(abs(expected), abs(actual)), "%s: %r != %r" % (what, expected, actual)


def java_eval(refs, results, out):
    """The Java score job's own eval.json for the same files (no Python in between)."""
    subprocess.run(_runner.command(["--refs", refs, "--results", results, "--out", str(out), "--engine", "local"]),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(str(out), "eval.json"), encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def notebook(jar, demo):
    """cocoEvalCapDemo.ipynb's cells, with `from capeval.pycocoevalcap import COCOEvalCap`."""
    coco = MiniCOCO.load(demo["refs"])
    cocoRes = coco.loadRes(demo["results"])
    cocoEval = COCOEvalCap(coco, cocoRes)
    cocoEval.params["image_id"] = cocoRes.getImgIds()
    cocoEval.evaluate()
    return coco, cocoRes, cocoEval


def test_demo_eval_is_the_java_jobs(notebook, demo, tmp_path):
    _, _, cocoEval = notebook
    java = java_eval(demo["refs"], demo["results"], tmp_path / "java")
    assert cocoEval.eval == java["eval"]  # same keys, same order, same bits
    assert list(cocoEval.eval) == ["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"]
    with open(demo["expected"], encoding="utf-8") as f:
        expected = json.load(f)
    for k, v in expected["corpus"].items():
        close(v, cocoEval.eval[k], k)
    printed = {"Bleu_1": "0.579", "Bleu_2": "0.404", "Bleu_3": "0.279", "Bleu_4": "0.191", "ROUGE_L": "0.396", "CIDEr": "0.600"}
    assert {k: "%.3f" % v for k, v in cocoEval.eval.items()} == printed  # the notebook's printed numbers


def test_demo_img_to_eval_has_pycocoevalcaps_keys_for_all_images(notebook, demo):
    _, cocoRes, cocoEval = notebook
    with open(demo["expected"], encoding="utf-8") as f:
        expected = json.load(f)["per_image"]
    assert len(cocoEval.imgToEval) == 1000
    assert list(cocoEval.imgToEval) == cocoRes.getImgIds() == [e["image_id"] for e in expected]
    for e in expected:
        img = cocoEval.imgToEval[e["image_id"]]
        assert list(img) == KEYS
        assert img["image_id"] == e["image_id"] and isinstance(img["image_id"], int)
        for k in KEYS[1:]:
            close(e[k], img[k], "image %d %s" % (e["image_id"], k))
    assert cocoEval.evalImgs == list(cocoEval.imgToEval.values())
    evals = [eva for eva in cocoEval.evalImgs if eva["CIDEr"] < 30]  # the notebook's next cell
    assert len(evals) == 1000


def test_demo_printed_like_pycocoevalcap(jar, demo, capsys):
    coco = MiniCOCO.load(demo["refs"])
    cocoRes = coco.loadRes(demo["results"])
    cocoEval = COCOEvalCap(coco, cocoRes)
    cocoEval.params["image_id"] = cocoRes.getImgIds()[:100]
    cocoEval.evaluate()
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == ["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"]
    assert list(cocoEval.imgToEval) == cocoRes.getImgIds()[:100]


def test_demo_from_file_paths(notebook, demo):
    cocoEval = COCOEvalCap(demo["refs"], demo["results"])  # params: every image of the annotation file
    assert cocoEval.params["image_id"] == notebook[1].getImgIds()
    cocoEval.evaluate()
    assert cocoEval.eval == notebook[2].eval
    assert cocoEval.imgToEval == notebook[2].imgToEval
    subset = COCOEvalCap(demo["refs"], demo["results"])  # another evaluation set: written for the job
    subset.params["image_id"] = list(reversed(notebook[1].getImgIds()[:10]))
    subset.evaluate()
    assert list(subset.imgToEval) == subset.params["image_id"]
    assert subset.imgToEval[400]["ROUGE_L"] == notebook[2].imgToEval[400]["ROUGE_L"]


def test_json_file_is_what_json_dump_writes(jar, demo, tmp_path):
    d = capeval.score(demo["refs"], demo["results"], out=tmp_path / "out")
    with open(tmp_path / "out" / "pycocoevalcap.json", encoding="utf-8") as f:
        text = f.read()
    assert json.dumps(json.loads(text)) == text  # Python's float repr, separators, key order
    assert json.dumps({"eval": d["eval"], "imgToEval": d["imgToEval"]}) == text
    assert d["n_images"] == 1000 and d["signature"].startswith("capeval:")
    assert d["bleu_stats"]["correct"] == [5732, 2510, 1043, 423]


def test_fixture_structures_without_shared_data(jar):
    # evaluation order is params['image_id'] order; images outside it are not scored
    cocoEval = COCOEvalCap(REFS, RESULTS)
    cocoEval.params["image_id"] = [20, 30, 20]
    cocoEval.evaluate()
    assert list(cocoEval.imgToEval) == [20, 30]
    assert all(list(v) == KEYS for v in cocoEval.imgToEval.values())
    assert all(isinstance(v[k], float) for v in cocoEval.evalImgs for k in KEYS[1:])
    d = capeval.score(REFS, RESULTS, metrics=["bleu", "cider"])
    assert list(d["imgToEval"]) == [30, 10, 20]
    assert list(d["eval"]) == ["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "CIDEr"]
    assert list(d["imgToEval"][10]) == ["image_id", "Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "CIDEr"]


def test_spark_engine_gives_the_local_engines_dict(jar):
    local = capeval.score(REFS, RESULTS, engine="local")
    spark = capeval.score(REFS, RESULTS, engine="spark", partitions=2)
    assert spark == local
    assert not any(math.isnan(v) for v in local["eval"].values())


def test_console_command(jar, demo, tmp_path):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    p = subprocess.run([sys.executable, "-m", "capeval.cli", demo["refs"], demo["results"], "--engine", "local"],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["eval"]["CIDEr"] == pytest.approx(0.5997905185184199, rel=1e-12)
    bad = tmp_path / "bad.json"
    bad.write_text('[{"image_id": 400, "caption": "a"}, {"image_id": 400, "caption": "b"}]')
    p = subprocess.run([sys.executable, "-m", "capeval.cli", demo["refs"], str(bad)], capture_output=True, text=True, env=env)
    assert p.returncode == 2  # refused input: submit.sh score's status
    assert p.stderr.startswith("capeval-score: InputError: "), p.stderr
    assert "%s: results[1] (image_id 400): second result for image 400" % bad in p.stderr
    no_jar = dict(env, CAPEVAL_JAR=str(tmp_path / "missing.jar"))  # nothing to run: not the input's fault
    p = subprocess.run([sys.executable, "-m", "capeval.cli", demo["refs"], demo["results"]], capture_output=True, text=True, env=no_jar)
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith("capeval-score: JarNotFoundError: "), p.stderr


SPICE_CATEGORIES = ["All", "Relation", "Cardinality", "Attribute", "Size", "Color", "Object"]  # spice-1.0.jar's output order
SPICE_FIELDS = ["pr", "re", "f", "fn", "numImages", "fp", "tp"]


def test_spice_breakdown_keyed_by_image(jar, tmp_path):
    # SPICE through the drop-in (Spark engine, CoreNLP: one run, about a minute of CPU), images in an
    # unsorted evaluation order
    cocoEval = COCOEvalCap(REFS, RESULTS, metrics="bleu,spice", spice_cache=str(tmp_path / "cache"), out=tmp_path / "out")
    cocoEval.params["image_id"] = [30, 10, 20]
    cocoEval.evaluate()
    assert list(cocoEval.eval) == ["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "SPICE"]
    assert list(cocoEval.imgToEval) == [30, 10, 20]
    for img in cocoEval.evalImgs:
        assert list(img) == ["image_id", "Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "SPICE"]
        assert list(img["SPICE"]) == SPICE_CATEGORIES
        for c in SPICE_CATEGORIES:
            assert list(img["SPICE"][c]) == SPICE_FIELDS
            assert all(isinstance(v, float) for v in img["SPICE"][c].values())
            assert img["SPICE"][c]["numImages"] == 1.0
    per_image = [img["SPICE"]["All"]["f"] for img in cocoEval.evalImgs]
    assert cocoEval.eval["SPICE"] == pytest.approx(sum(per_image) / 3, rel=1e-12)
    # image 30 by hand: "two birds on a branch" -> bird, branch, (bird, two), (bird, on, branch); its
    # references "two birds in a tree", "birds sitting on a branch" -> bird, tree, branch, (bird, two),
    # (bird, in, tree), (bird, sit on, branch): 3 of 4 candidate tuples matched, 6 reference tuples
    birds = cocoEval.imgToEval[30]["SPICE"]
    assert birds["All"] == {"pr": 0.75, "re": 0.5, "f": 0.6, "fn": 3.0, "numImages": 1.0, "fp": 1.0, "tp": 3.0}
    assert birds["Cardinality"] == {"pr": 1.0, "re": 1.0, "f": 1.0, "fn": 0.0, "numImages": 1.0, "fp": 0.0, "tp": 1.0}
    assert all(math.isnan(birds["Color"][k]) for k in ("pr", "re", "f"))  # no colour among the references
    assert "|spice:1.0,synsets-wn3.0,parser=corenlp-3.6.0/" in cocoEval.signature
    assert any(name.endswith(".parquet") for name in os.listdir(tmp_path / "cache"))  # spice_cache reached the job
    with open(tmp_path / "out" / "pycocoevalcap.json", encoding="utf-8") as f:
        text = f.read()
    assert json.dumps(json.loads(text)) == text  # what json.dump writes, NaN included
    assert '"Color": {"pr": NaN, "re": NaN, "f": NaN, "fn": 0.0, "numImages": 1.0, "fp": 0.0, "tp": 0.0}' in text
    assert json.dumps(json.loads(text)["imgToEval"]["30"]["SPICE"]) == json.dumps(birds)
