#!/usr/bin/env python3
"""Checks a capeval `score` output against pycocoevalcap v1.2 run here on the same inputs: the corpus
scores, BLEU's totals and every image's scores, at the shared cases' tolerance (relative 1e-12; BLEU
totals exactly). A review aid for inputs whose expected values are not published (the withheld
val2014 cases, a user's own files), not a test: pycocoevalcap is not part of capeval. Pass the
directory that CONTAINS the `pycocoevalcap` package (tokenizer/stanford-corenlp-3.4.1.jar in place;
numpy needed, pycocotools not: the files are read here the way COCO.loadRes reads them).

    peer_parity.py PKG_PARENT_DIR REFS.json[.gz] RESULTS.json[.gz] CAPEVAL_OUT_DIR [--pretokenized]

CAPEVAL_OUT_DIR is `score --out` of a run with `--metrics bleu,rouge,cider --per-image-format json`
(and `--pretokenized` when given here). Exit status 0 when everything agrees, 1 otherwise."""
import ast
import contextlib
import glob
import gzip
import io
import json
import math
import sys

TOLERANCE = 1e-12
KEYS = ["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"]


def read(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def peer(pkg, refs_path, results_path, pretokenized):
    sys.path.insert(0, pkg)
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider
    from pycocoevalcap.rouge.rouge import Rouge
    refs, results = read(refs_path), read(results_path)
    by_image = {}
    for ann in refs["annotations"]:
        by_image.setdefault(ann["image_id"], []).append(ann)
    res = {}
    for r in results:
        res.setdefault(r["image_id"], []).append(r)
    # COCOEvalCap with params['image_id'] = cocoRes.getImgIds(): the reference file's image order,
    # restricted to the images that have a result
    ids = [img["id"] for img in refs["images"] if img["id"] in res]
    gts = {i: by_image[i] for i in ids}
    res = {i: res[i] for i in ids}
    if pretokenized:
        gts = {i: [a["caption"] for a in v] for i, v in gts.items()}
        res = {i: [a["caption"] for a in v] for i, v in res.items()}
    else:
        from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer
        tokenizer = PTBTokenizer()
        gts, res = tokenizer.tokenize(gts), tokenizer.tokenize(res)
    corpus, per_image = {}, {i: {} for i in ids}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # the corpus totals are only printed (verbose=1)
        score, scores = Bleu(4).compute_score(gts, res, verbose=1)
    totals = ast.literal_eval(printed.getvalue().splitlines()[0])
    for k in range(4):
        corpus[KEYS[k]] = score[k]
        for i, s in zip(ids, scores[k]):
            per_image[i][KEYS[k]] = s
    for scorer, key in [(Rouge(), "ROUGE_L"), (Cider(), "CIDEr")]:
        score, scores = scorer.compute_score(gts, res)
        corpus[key] = float(score)
        for i, s in zip(ids, scores):
            per_image[i][key] = float(s)
    return ids, corpus, per_image, totals


def close(a, b):
    return a == b or abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def main(argv):
    pretokenized = "--pretokenized" in argv
    args = [a for a in argv if a != "--pretokenized"]
    if len(args) != 4:
        sys.exit(__doc__)
    pkg, refs_path, results_path, out = args
    ids, corpus, per_image, totals = peer(pkg, refs_path, results_path, pretokenized)
    ev = read(out + "/eval.json")
    ours = {}
    for part in sorted(glob.glob(out + "/per_image/part-*.json")):
        with open(part, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                ours[row["image_id"]] = row
    bad = 0
    if ev["n_images"] != len(ids) or sorted(ours) != sorted(ids):
        print(f"images: capeval {ev['n_images']} ({len(ours)} per-image rows), pycocoevalcap {len(ids)}")
        bad += 1
    for field in ["testlen", "reflen", "guess", "correct"]:
        a, b = ev["bleu_stats"][field], totals[field]
        ok = (a == [int(x) for x in b]) if isinstance(b, list) else a == int(b)
        bad += 0 if ok else 1
        print(f"BLEU {field}: capeval {a}, pycocoevalcap {b} {'ok' if ok else 'DIFFERS'}")
    for key in KEYS:
        worst, worst_id = 0.0, None
        for i in ids:
            if i not in ours:
                continue
            a, b = ours[i][key], per_image[i][key]
            d = 0.0 if a == b else abs(a - b) / max(abs(a), abs(b))
            if d > worst or math.isnan(d):
                worst, worst_id = d, i
            if not close(a, b):
                bad += 1
                if bad <= 10:
                    print(f"image {i} {key}: capeval {a!r}, pycocoevalcap {b!r}")
        c_ok = close(ev["eval"][key], corpus[key])
        bad += 0 if c_ok else 1
        print(f"{key:8} corpus capeval {ev['eval'][key]!r} pycocoevalcap {corpus[key]!r} {'ok' if c_ok else 'DIFFERS'};"
              f" per image worst relative difference {worst:.2e}" + (f" (image {worst_id})" if worst_id is not None else ""))
    print(f"{len(ids)} images: " + ("every score agrees at relative 1e-12" if bad == 0 else f"{bad} differences"))
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
