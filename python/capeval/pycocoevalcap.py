"""A drop-in for pycocoevalcap v1.2's ``COCOEvalCap``: change

    from pycocoevalcap.eval import COCOEvalCap

to

    from capeval.pycocoevalcap import COCOEvalCap

and the rest of the script stays: ``COCOEvalCap(coco, cocoRes)``, ``params['image_id']``,
``evaluate()``, then ``eval``, ``imgToEval`` and ``evalImgs`` with pycocoevalcap's keys, order and
numbers (the Java job writes them with ``--format pycocoevalcap``).

``coco`` and ``cocoRes`` are pycocotools ``COCO`` objects (anything with ``imgToAnns`` and
``getImgIds()``; pycocotools itself is not needed), or an annotation file path or dict and a
results file path or list.

Metrics: BLEU 1-4, ROUGE-L and CIDEr-D, plus METEOR when ``meteor_data`` (or the environment
variable ``CAPEVAL_METEOR_DATA``) names METEOR 1.5's data folder (with ``meteor_paraphrase`` /
``CAPEVAL_METEOR_PARAPHRASE`` for COCO's official METEOR). SPICE when asked for, e.g.
``metrics="bleu,meteor,rouge,cider,spice"`` (Spark engine; ``spice_cache=PATH`` keeps the parsed
captions): ``eval["SPICE"]`` and, per image, pycocoevalcap's dict ``{"All": {"pr", "re", "f", "fn",
"numImages", "fp", "tp"}, "Relation": ..., ...}`` (floats; NaN where a category has no reference
tuple), attached to its own image, where pycocoevalcap attaches the values of the images sorted by
id to the images in evaluation order.
"""

import os
import tempfile

from . import _coco, score
from .errors import InputError

__all__ = ["COCOEvalCap"]


class COCOEvalCap:
    """pycocoevalcap's evaluator, scored by capeval. Keyword-only extras: ``metrics``, ``engine``
    (auto, local, spark), ``meteor_data``, ``meteor_paraphrase``, ``verbose`` and the other options of
    ``capeval.score``."""

    def __init__(self, coco, cocoRes, *, metrics=None, engine="auto", meteor_data=None, meteor_paraphrase=None,
                 verbose=False, **options):
        self.evalImgs = []
        self.eval = {}
        self.imgToEval = {}
        self.coco = _coco.as_coco(coco)
        self.cocoRes = _coco.as_results(cocoRes, self.coco)
        self.params = {"image_id": self.coco.getImgIds()}
        meteor_data = meteor_data or os.environ.get("CAPEVAL_METEOR_DATA") or None
        meteor_paraphrase = meteor_paraphrase or os.environ.get("CAPEVAL_METEOR_PARAPHRASE") or None
        if metrics is None:
            metrics = "bleu,meteor,rouge,cider" if meteor_data else "bleu,rouge,cider"
        self._options = dict(options, metrics=metrics, engine=engine, meteor_data=meteor_data,
                             meteor_paraphrase=meteor_paraphrase if meteor_data else None, verbose=verbose)

    def evaluate(self):
        img_ids = list(dict.fromkeys(self.params["image_id"]))  # as pycocoevalcap's gts dict keys
        files = self._files(img_ids)
        if files is not None:  # the job's own evaluation set is params['image_id']: the files as given
            out = score(files[0], files[1], **self._options)
        else:
            with tempfile.TemporaryDirectory(prefix="capeval-") as tmp:
                refs, results = os.path.join(tmp, "coco.json"), os.path.join(tmp, "cocoRes.json")
                origins = _coco.write_inputs(self.coco, self.cocoRes, img_ids, refs, results)
                # messages name the user's files (or coco, cocoRes) and records, not the ones written here
                names = {refs: getattr(self.coco, "path", None) or "coco", results: getattr(self.cocoRes, "path", None) or "cocoRes"}
                try:
                    out = score(refs, results, _rename=names, **self._options)
                except InputError as e:
                    raise InputError(_coco.user_records(e.message, *origins), returncode=e.returncode, stderr=e.stderr) from None
        for method, value in out["eval"].items():
            self.setEval(value, method)
            print("%s: %0.3f" % (method, value))
        scored = list(out["imgToEval"].values())
        for method in out["eval"]:
            self.setImgToEvalImgs([img[method] for img in scored], [img["image_id"] for img in scored], method)
        self.setEvalImgs()
        self.signature = out["signature"]

    def _files(self, img_ids):
        """The annotation and results files, when both were given as paths and ``img_ids`` is what the
        job evaluates from them (the annotation file's images that have a result, in file order)."""
        coco, res = self.coco, self.cocoRes
        if not (isinstance(coco, _coco.Coco) and isinstance(res, _coco.Coco) and coco.path and res.path):
            return None
        if img_ids != [i for i in coco.getImgIds() if i in res.imgToAnns]:
            return None
        return coco.path, res.path

    def setEval(self, score, method):
        self.eval[method] = score

    def setImgToEvalImgs(self, scores, imgIds, method):
        for img_id, value in zip(imgIds, scores):
            if img_id not in self.imgToEval:
                self.imgToEval[img_id] = {"image_id": img_id}
            self.imgToEval[img_id][method] = value

    def setEvalImgs(self):
        self.evalImgs = list(self.imgToEval.values())
