"""capeval from Python: the COCO caption metrics with pycocoevalcap's numbers, computed by capeval's
Java score job (``java`` runs capeval's jar; see ``capeval._runner`` for where the jar comes from).

* ``capeval.score(refs, results)``: a plain dict (``eval``, ``imgToEval``, ``bleu_stats``,
  ``n_images``, ``signature``).
* ``from capeval.pycocoevalcap import COCOEvalCap``: pycocoevalcap's class, same use.
* ``capeval-score``: the same from a shell.

The package holds no metric logic: every number comes from the jar.
"""

import json
import os
import tempfile
import urllib.parse

from ._runner import run_score
from .errors import CapevalError, InputError, JarNotFoundError, JavaNotFoundError, RunError

__version__ = "0.1.0"

DEFAULT_METRICS = "bleu,rouge,cider"
PYCOCOEVALCAP_FILE = "pycocoevalcap.json"  # written by the score job's --format pycocoevalcap

__all__ = ["score", "CapevalError", "InputError", "JarNotFoundError", "JavaNotFoundError", "RunError", "DEFAULT_METRICS"]


def _input_file(value, tmp, name, kind):
    """A path for the job: paths are passed as they are (plain paths or Hadoop URIs), data is written."""
    if isinstance(value, (str, bytes, os.PathLike)):
        return os.fsdecode(value)
    if hasattr(value, "dataset"):  # a pycocotools COCO (references) or loadRes result
        value = value.dataset if kind == "refs" else value.dataset.get("annotations", [])
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f)
    return path


def _local_folder(out):
    """``out`` as a local path: the results are read back from it."""
    parsed = urllib.parse.urlparse(out)
    if parsed.scheme == "file":
        return urllib.parse.unquote(parsed.path)
    if len(parsed.scheme) > 1:
        raise InputError("out=%s: a local folder is needed (the package reads the results back)" % out)
    return out


def _metrics_arg(metrics):
    if metrics is None:
        return DEFAULT_METRICS
    if isinstance(metrics, str):
        return metrics
    return ",".join(metrics)


def score(refs, results, metrics=None, engine="auto", *, out=None, overwrite=False, pretokenized=False, idf=None,
          save_idf=None, meteor_data=None, meteor_paraphrase=None, spice_cache=None, threads=None, partitions=None, master=None,
          driver_memory=None, java_options=(), verbose=False, _rename=None):
    """Scores ``results`` against ``refs`` with capeval's score job and returns a plain dict::

        {"eval": {"Bleu_1": ..., "ROUGE_L": ..., "CIDEr": ...},       # corpus scores
         "imgToEval": {image_id: {"image_id": image_id, "Bleu_1": ..., ...}},  # evaluation order
         "bleu_stats": {...}, "n_images": N, "signature": "capeval:..."}

    ``refs``: a COCO annotation file (path, ``.json`` or ``.json.gz``, or a Hadoop URI for the Spark
    engine), dict or pycocotools ``COCO``; ``results``: a COCO results file, list of
    ``{"image_id", "caption"}`` or ``loadRes`` object. ``metrics``: a list or comma-separated string
    of bleu, meteor, rouge, cider, cider-plain, spice (default ``bleu,rouge,cider``; meteor needs
    ``meteor_data``). With spice, each image's ``"SPICE"`` is pycocoevalcap's dict of categories
    (``All``, ``Object``, ...) and fields (``pr``, ``re``, ``f``, ``fn``, ``numImages``, ``fp``,
    ``tp``; floats, NaN where undefined), keyed by its own image; ``spice_cache`` (a path) keeps the
    parsed captions for later runs; spice runs on the Spark engine and needs CoreNLP's models jar
    (``jobs/target/spice/`` of a built checkout). ``engine``: auto, local (one JVM, no Spark) or
    spark. ``out``: keep the job's output folder there (eval.json, per_image/, pycocoevalcap.json);
    by default a temporary one.

    Raises ``JavaNotFoundError``, ``JarNotFoundError``, ``InputError`` (refused input, with
    capeval's message naming the file and record) or ``RunError``.
    """
    target = None if out is None else _local_folder(os.fsdecode(out))
    with tempfile.TemporaryDirectory(prefix="capeval-") as tmp:
        target = target or os.path.join(tmp, "out")
        args = ["--refs", _input_file(refs, tmp, "refs.json", "refs"),
                "--results", _input_file(results, tmp, "results.json", "results"),
                "--out", target,
                "--metrics", _metrics_arg(metrics), "--engine", engine, "--format", "pycocoevalcap"]
        if out is None:
            args += ["--per-image-format", "json"]  # not read back: the cheaper writer
        if overwrite:
            args.append("--overwrite")
        if pretokenized:
            args.append("--pretokenized")
        for option, value in (("--idf", idf), ("--save-idf", save_idf), ("--meteor-data", meteor_data),
                              ("--meteor-paraphrase", meteor_paraphrase), ("--spice-cache", spice_cache), ("--threads", threads),
                              ("--partitions", partitions)):
            if value is not None:
                args += [option, os.fsdecode(value) if isinstance(value, os.PathLike) else str(value)]
        rename = dict(_rename or {})
        rename.setdefault(os.path.join(tmp, "refs.json"), "refs")
        rename.setdefault(os.path.join(tmp, "results.json"), "results")
        run_score(args, verbose=verbose, rename=rename, master=master, driver_memory=driver_memory, java_options=java_options)
        with open(os.path.join(target, "eval.json"), encoding="utf-8") as f:
            evaluation = json.load(f)
        with open(os.path.join(target, PYCOCOEVALCAP_FILE), encoding="utf-8") as f:
            py = json.load(f)
    d = {"eval": py["eval"], "imgToEval": {v["image_id"]: v for v in py["imgToEval"].values()}}
    for k, v in evaluation.items():
        if k != "eval":
            d[k] = v
    return d
