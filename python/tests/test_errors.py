"""Missing Java, a missing jar, bad input and a failing run: each a Python exception carrying
capeval's one-line message."""
import json
import os
import re

import pytest

import capeval
from capeval.pycocoevalcap import COCOEvalCap
from conftest import REFS, RESULTS


def demo_flow():
    cocoEval = COCOEvalCap(REFS, RESULTS)
    cocoEval.params["image_id"] = cocoEval.cocoRes.getImgIds()
    return cocoEval


def test_missing_java(monkeypatch, tmp_path):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it
    with pytest.raises(capeval.JavaNotFoundError, match=r"capeval needs Java 17 or later: no `java` on PATH"):
        capeval.score(REFS, RESULTS)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    with pytest.raises(capeval.JavaNotFoundError, match=r"JAVA_HOME=.*/jdk has no bin/java"):
        demo_flow().evaluate()


def test_missing_jar(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPEVAL_JAR", str(tmp_path / "capeval-0.1.0-spark.jar"))
    with pytest.raises(capeval.JarNotFoundError, match=r"CAPEVAL_JAR=.*capeval-0.1.0-spark.jar: no such file"):
        capeval.score(REFS, RESULTS)
    monkeypatch.delenv("CAPEVAL_JAR")
    (tmp_path / "jobs").mkdir()
    (tmp_path / "pom.xml").write_text("<project/>")
    monkeypatch.setenv("CAPEVAL_HOME", str(tmp_path))  # a checkout that was never built
    with pytest.raises(capeval.JarNotFoundError, match=r"no capeval jar in .*jobs/target: build it with `cd .* && mvn"):
        demo_flow().evaluate()


def test_given_jar_checked(jar, monkeypatch, tmp_path):
    not_a_jar = tmp_path / "capeval-0.1.0-spark.jar"
    not_a_jar.write_text("not a jar")
    monkeypatch.setenv("CAPEVAL_JAR", str(not_a_jar))
    with pytest.raises(capeval.JarNotFoundError, match=r"CAPEVAL_JAR=.*: not capeval's application jar \(no org.capeval.jobs.Launcher"):
        capeval.score(REFS, RESULTS)
    alone = tmp_path / "alone" / os.path.basename(jar)  # the jar without lib/ next to it, and no SPARK_HOME
    alone.parent.mkdir()
    os.symlink(jar, alone)
    monkeypatch.setenv("CAPEVAL_JAR", str(alone))
    monkeypatch.delenv("SPARK_HOME", raising=False)
    with pytest.raises(capeval.JarNotFoundError, match=r"CAPEVAL_JAR=.*: Spark's and Hadoop's jars are missing"):
        capeval.score(REFS, RESULTS)


def test_drop_in_names_the_users_record(jar, tmp_path):
    # the package rewrites the inputs in params['image_id'] order; the message still names the user's
    # file and record, and the field as it is there (missing, not null)
    results = [dict(r) for r in RESULTS]
    del results[1]["caption"]
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(results))
    before = path.read_bytes()
    for order in (lambda ids: ids, lambda ids: list(reversed(ids))):
        cocoEval = COCOEvalCap(REFS, str(path))
        cocoEval.params["image_id"] = order(cocoEval.cocoRes.getImgIds())
        with pytest.raises(capeval.InputError) as e:
            cocoEval.evaluate()
        assert str(e.value) == '--results %s: results[1] (image_id %s): missing field "caption"' % (path, results[1]["image_id"])
    cocoEval = COCOEvalCap(REFS, results)  # a list: named cocoRes
    cocoEval.params["image_id"] = list(reversed(cocoEval.cocoRes.getImgIds()))
    with pytest.raises(capeval.InputError, match=r'^--results cocoRes: results\[1\] \(image_id \d+\): missing field "caption"$'):
        cocoEval.evaluate()
    assert path.read_bytes() == before


def test_bad_input(jar, tmp_path):
    twice = RESULTS + [{"image_id": 10, "caption": "another"}]
    with pytest.raises(capeval.InputError) as e:
        capeval.score(REFS, twice)
    # capeval's message, naming the results (written by the package) and the record
    assert "results: results[3] (image_id 10): second result for image 10 (the first is results[0])" in str(e.value)
    assert "/tmp" not in str(e.value) and "\n" not in str(e.value)
    assert e.value.returncode in (1, 2)  # the job's exit status for refused input
    broken = tmp_path / "results.json"
    broken.write_text('[{"image_id": 10, "caption": "a dog"')
    with pytest.raises(capeval.InputError, match=r"%s: " % broken):
        capeval.score(REFS, str(broken))
    with pytest.raises(ValueError, match=r"unknown metric 'blue'"):  # InputError is a ValueError
        capeval.score(REFS, RESULTS, metrics="blue")
    no_refs = [{"image_id": 10, "caption": "a dog"}, {"image_id": 50, "caption": "x"}]
    refs = dict(REFS, images=REFS["images"] + [{"id": 50}])
    cocoEval = COCOEvalCap(refs, no_refs)
    cocoEval.params["image_id"] = cocoEval.cocoRes.getImgIds()
    with pytest.raises(capeval.InputError, match=r"image 50 has no reference caption in coco "):
        cocoEval.evaluate()
    # pycocoevalcap asserts one result per evaluated image; capeval says which
    cocoEval = COCOEvalCap(REFS, RESULTS)  # params: every image, and image 40 has no result
    with pytest.raises(capeval.InputError, match=r"image 40 of params\['image_id'\] has no result"):
        cocoEval.evaluate()
    with pytest.raises(capeval.InputError, match=r"no image 99 in the references"):
        COCOEvalCap(REFS, [{"image_id": 99, "caption": "x"}])


def test_failing_run(jar, tmp_path):
    with pytest.raises(capeval.RunError, match=r"^java could not start with its options \(driver_memory, java_options, "
                       r"CAPEVAL_JAVA_OPTS\): Too small maximum heap$") as e:
        capeval.score(REFS, RESULTS, java_options=["-Xmx1k"])  # the JVM cannot start
    assert e.value.returncode == 1
    with pytest.raises(capeval.RunError, match=r": Invalid maximum heap size: -Xmxlots$"):
        capeval.score(REFS, RESULTS, driver_memory="lots")
    # out of memory is a failed run (exit status 1), not refused input: inputs of ~10 MB in a 32 MB
    # heap, which is room enough for the JVM to start with or without its class archive
    words = "a dog cat on the couch man riding horse street red bus two people table with food".split()
    refs = {"images": [{"id": i} for i in range(20000)],
            "annotations": [{"id": 5 * i + j, "image_id": i, "caption": " ".join(words[(i + j + k) % len(words)] for k in range(10))}
                            for i in range(20000) for j in range(5)]}
    results = [{"image_id": i, "caption": "a dog on the couch"} for i in range(20000)]
    with pytest.raises(capeval.RunError, match=r"^the local engine holds the inputs in memory and ran out of it") as e:
        capeval.score(refs, results, driver_memory="32m", engine="local")
    assert not isinstance(e.value, ValueError) and e.value.returncode == 1
    # an out under a regular file cannot be created: refused input (exit status 2), before any work
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    with pytest.raises(capeval.InputError, match=r"^--out %s: cannot be written \(%s: not a directory\)$"
                       % (re.escape(str(a_file / "out")), re.escape(str(a_file)))) as e:
        capeval.score(REFS, RESULTS, out=a_file / "out")
    assert e.value.returncode == 2
    assert a_file.read_text() == ""
