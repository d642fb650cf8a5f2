#!/usr/bin/env python3
"""Makes N leaderboard submissions for the issue-8 benchmark by perturbing a COCO results file
(seeded; standard library only). Submission k gets a corruption level rising with k: each caption is,
with that probability, replaced by another image's caption, else possibly edited (a word dropped,
repeated or swapped with its neighbour). Writes DIR/sys-KK.json + DIR/sys-KK.meta.json. Usage:
    leaderboard_submissions.py RESULTS_JSON OUT_DIR N [SEED]"""
import json
import os
import random
import sys

results_path, out_dir, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
with open(results_path, encoding="utf-8") as f:
    base = json.load(f)
captions = [r["caption"] for r in base]
os.makedirs(out_dir, exist_ok=True)
for k in range(n):
    rng = random.Random(seed * 100003 + k)
    level = 0.6 * k / max(1, n - 1)
    out = []
    for r in base:
        cap = r["caption"]
        if rng.random() < level:
            cap = captions[rng.randrange(len(captions))]
        elif rng.random() < level + 0.1:
            w = cap.split()
            if len(w) > 2:
                i = rng.randrange(len(w) - 1)
                op = rng.randrange(3)
                if op == 0:
                    del w[i]
                elif op == 1:
                    w.insert(i, w[i])
                else:
                    w[i], w[i + 1] = w[i + 1], w[i]
                cap = " ".join(w)
        out.append({"image_id": r["image_id"], "caption": cap})
    stem = f"sys-{k:02d}"
    with open(os.path.join(out_dir, stem + ".json"), "w", encoding="utf-8") as f:
        json.dump(out, f)
    with open(os.path.join(out_dir, stem + ".meta.json"), "w", encoding="utf-8") as f:
        json.dump({"name": stem, "team": f"team-{k % 10}", "date": "2026-11-26"}, f)
print(f"{n} submissions of {len(base)} captions in {out_dir}", file=sys.stderr)
