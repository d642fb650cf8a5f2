"""COCO caption data on the Python side: the few parts of pycocotools' ``COCO`` that pycocoevalcap
uses (for file paths; a real ``COCO`` object is used as it is), and the JSON files handed to the
Java job. No metric logic lives here."""

import collections
import gzip
import json
import os
import re

from .errors import InputError


def _load_json(path):
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise InputError("%s: %s" % (path, e.strerror or e)) from e
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        return json.loads(data)
    except ValueError as e:
        raise InputError("%s: malformed JSON (%s)" % (path, e)) from e


class Coco:
    """What ``COCOEvalCap`` reads of a pycocotools ``COCO``: ``dataset``, ``imgs``, ``anns``,
    ``imgToAnns``, ``getImgIds()`` and ``loadRes()``, for an annotation file or dict."""

    def __init__(self, annotation=None, name="<annotations>"):
        self.path = None  # the file it was read from
        if annotation is None:
            annotation = {"images": [], "annotations": []}
        elif not isinstance(annotation, dict):
            name = self.path = os.fspath(annotation)
            annotation = _load_json(annotation)
        if not isinstance(annotation, dict):
            raise InputError('%s: an annotation file must be a JSON object with "images" and "annotations"' % name)
        self.name = name
        self.dataset = annotation
        self.imgs = {}
        self.anns = {}
        self.imgToAnns = collections.defaultdict(list)
        for img in annotation.get("images", []):
            self.imgs.setdefault(img["id"], img)
        for i, ann in enumerate(annotation.get("annotations", [])):
            self.anns[ann.get("id", i)] = ann
            self.imgToAnns[ann["image_id"]].append(ann)

    def getImgIds(self, imgIds=(), catIds=()):
        ids = list(self.imgs.keys())
        if imgIds:
            wanted = set(imgIds)
            ids = [i for i in ids if i in wanted]
        return ids

    def loadRes(self, resFile):
        """A results list (file or list) as a ``Coco`` of its images, as pycocotools' loadRes."""
        name = os.fspath(resFile) if not isinstance(resFile, list) else "<results>"
        anns = _load_json(resFile) if not isinstance(resFile, list) else resFile
        if not isinstance(anns, list):
            raise InputError("%s: a results file must be a JSON array of {image_id, caption}" % name)
        if not anns:
            raise InputError("%s: the results list is empty" % name)
        for i, ann in enumerate(anns):
            if not isinstance(ann, dict) or "image_id" not in ann:
                raise InputError("%s: results[%d]: a result needs image_id and caption" % (name, i))
            if ann["image_id"] not in self.imgs:
                raise InputError("%s: results[%d] (image_id %s): no image %s in the references %s "
                                 "(COCO loadRes: 'Results do not correspond to current coco set')"
                                 % (name, i, ann["image_id"], ann["image_id"], self.name))
        ids = {ann["image_id"] for ann in anns}
        res = Coco({"images": [img for img in self.dataset.get("images", []) if img["id"] in ids],
                    "annotations": [dict(ann, id=i + 1) for i, ann in enumerate(anns)]}, name)
        res.path = None if isinstance(resFile, list) else name
        return res


def as_coco(coco):
    """A pycocotools COCO (duck-typed: imgToAnns and getImgIds), or an annotation file path or dict."""
    if hasattr(coco, "imgToAnns") and hasattr(coco, "getImgIds"):
        return coco
    return Coco(coco)


def as_results(cocoRes, coco):
    """A results COCO (loadRes), or a results file path or list, loaded against ``coco``."""
    if hasattr(cocoRes, "imgToAnns") and hasattr(cocoRes, "getImgIds"):
        return cocoRes
    if hasattr(coco, "loadRes"):
        return coco.loadRes(cocoRes if isinstance(cocoRes, list) else os.fspath(cocoRes))
    return Coco(coco.dataset).loadRes(cocoRes)


def _plain_id(i):
    """An image id for JSON (numpy integers become ints; anything else is left for capeval to judge)."""
    if not isinstance(i, (int, str, float)) and hasattr(i, "__index__"):
        return int(i)
    return i


def write_inputs(coco, cocoRes, image_ids, refs_path, results_path):
    """The evaluated images as an annotation file and a results file, in ``image_ids`` order: the
    Java job evaluates the annotation file's images that have a result, in order, which is then
    exactly pycocoevalcap's ``params['image_id']`` (references in imgToAnns order, as it tokenizes
    them). An image without a result fails here, as pycocoevalcap's scorers assert. Each record is
    written with the fields it has, so the job judges it as it is; returns, for each file written, the
    position of each record in ``coco``'s or ``cocoRes``'s own ``dataset['annotations']`` (None where
    it is not there), for :func:`user_records`."""
    images, annotations, results = [], [], []
    ref_at, res_at = _positions(coco), _positions(cocoRes)
    ref_origins, res_origins = [], []
    for i in image_ids:
        res = cocoRes.imgToAnns[i] if i in cocoRes.imgToAnns else []
        if not res:
            raise InputError("image %s of params['image_id'] has no result in cocoRes (pycocoevalcap's scorers "
                             "assert exactly one caption per evaluated image)" % (i,))
        pid = _plain_id(i)
        images.append({"id": pid})
        refs = coco.imgToAnns[i] if i in coco.imgToAnns else []
        for ann in refs:
            annotations.append(_record(ann, pid, id=_plain_id(ann.get("id", len(annotations)))))
            ref_origins.append(ref_at.get(id(ann)))
        for r in res:
            results.append(_record(r, pid))
            res_origins.append(res_at.get(id(r)))
    with open(refs_path, "w", encoding="utf-8") as f:
        json.dump({"images": images, "annotations": annotations}, f)
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump(results, f)
    return ref_origins, res_origins


def _record(ann, image_id, **fields):
    """A record for the job: its image id, the given fields, and its caption if it has one (a missing
    caption stays missing, so the job's message says so)."""
    out = dict(image_id=image_id, **fields)
    if "caption" in ann:
        out["caption"] = ann["caption"]
    return out


def _positions(coco):
    """Each annotation object's position in ``coco.dataset['annotations']`` (pycocotools' COCO and
    ``Coco`` keep there the same objects as in imgToAnns; loadRes's list is the user's results in order)."""
    dataset = getattr(coco, "dataset", None)
    annotations = dataset.get("annotations") if isinstance(dataset, dict) else None
    return {id(a): j for j, a in enumerate(annotations)} if isinstance(annotations, list) else {}


_RECORD = re.compile(r"\b(annotations|results)\[(\d+)\]")


def user_records(message, ref_origins, res_origins):
    """``message`` with the written files' record positions (``annotations[k]``, ``results[k]``) turned
    into the positions of the same records in the user's annotations and results."""
    def user(m):
        origins = ref_origins if m.group(1) == "annotations" else res_origins
        k = int(m.group(2))
        at = origins[k] if k < len(origins) else None
        return "%s[%s]" % (m.group(1), "?" if at is None else at)
    return _RECORD.sub(user, message)
