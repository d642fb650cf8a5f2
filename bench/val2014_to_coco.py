#!/usr/bin/env python3
"""Turns the codalab val2014 files of ../shared/data/coco-val2014 into a COCO annotation file
(4-6 references per image) and a COCO results file (the held-out 5th human caption per image), the
inputs of the issue-2 end-to-end benchmark. Standard library only. Usage:
    val2014_to_coco.py DATA_DIR OUT_REFS OUT_RESULTS"""
import gzip
import json
import sys

data, out_refs, out_results = sys.argv[1:4]
with gzip.open(f"{data}/codalab_reference_answer.json.gz", "rt", encoding="utf-8") as f:
    reference = json.load(f)          # {"<image_id>": [[cap, cap, ...]]}
with gzip.open(f"{data}/codalab_submission_answer.json.gz", "rt", encoding="utf-8") as f:
    held_out = json.load(f)           # {"<image_id>": "caption"}

ids = sorted(int(k) for k in reference)
annotations = []
for image_id in ids:
    for caption in reference[str(image_id)][0]:
        annotations.append({"image_id": image_id, "id": len(annotations) + 1, "caption": caption})
with open(out_refs, "w", encoding="utf-8") as f:
    json.dump({"images": [{"id": i} for i in ids], "annotations": annotations}, f)
with open(out_results, "w", encoding="utf-8") as f:
    json.dump([{"image_id": i, "caption": held_out[str(i)]} for i in ids], f)
print(f"{len(ids)} images, {len(annotations)} references, {len(ids)} results", file=sys.stderr)
