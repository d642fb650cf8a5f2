"""Times pycocoevalcap's flow through capeval's Python package on the same two COCO files that
bench/pycocoevalcap_score.py takes (not a test): COCOEvalCap(refs, results) with file paths, then
evaluate(); prints one JSON line with the corpus scores and the seconds.

    PYTHONPATH=python python3 bench/python_val2014.py REFS RESULTS
"""
import json
import sys
import time

t0 = time.time()
from capeval.pycocoevalcap import COCOEvalCap  # noqa: E402

refs, results = sys.argv[1], sys.argv[2]
ev = COCOEvalCap(refs, results)
ev.evaluate()
total = time.time() - t0
print(json.dumps({"eval": ev.eval, "n_images": len(ev.imgToEval), "seconds": {"total": total}}))
