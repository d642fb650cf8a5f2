#!/usr/bin/env python3
"""Times pycocoevalcap (tokenize + BLEU + ROUGE-L + CIDEr-D, as COCOEvalCap.evaluate runs them,
without METEOR/SPICE) on COCO annotation + results files, for BENCHMARKS.md. pycocoevalcap is not part
of capeval: pass the directory that CONTAINS the `pycocoevalcap` package (with
tokenizer/stanford-corenlp-3.4.1.jar in place). Needs numpy only (no pycocotools: the files are read
here the way loadRes reads them). Usage:
    pycocoevalcap_score.py PKG_PARENT_DIR REFS.json RESULTS.json"""
import json
import sys
import time

sys.path.insert(0, sys.argv[1])
from pycocoevalcap.bleu.bleu import Bleu            # noqa: E402
from pycocoevalcap.cider.cider import Cider         # noqa: E402
from pycocoevalcap.rouge.rouge import Rouge         # noqa: E402
from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer  # noqa: E402

t0 = time.time()
with open(sys.argv[2], encoding="utf-8") as f:
    coco = json.load(f)
with open(sys.argv[3], encoding="utf-8") as f:
    results = json.load(f)
gts, res = {}, {}
for ann in coco["annotations"]:
    gts.setdefault(ann["image_id"], []).append(ann)
for r in results:
    res.setdefault(r["image_id"], []).append(r)
gts = {i: gts[i] for i in res}
t_load = time.time()
tokenizer = PTBTokenizer()
gts, res = tokenizer.tokenize(gts), tokenizer.tokenize(res)
t_tok = time.time()
out = {}
for scorer, names in [(Bleu(4), ["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4"]), (Rouge(), ["ROUGE_L"]), (Cider(), ["CIDEr"])]:
    score, _ = scorer.compute_score(gts, res)
    for n, s in zip(names, score if isinstance(score, list) else [score]):
        out[n] = float(s)
t_end = time.time()
print(json.dumps({"eval": out, "n_images": len(res), "seconds": {"load": t_load - t0, "tokenize": t_tok - t_load,
                  "metrics": t_end - t_tok, "total": t_end - t0}}))
