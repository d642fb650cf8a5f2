"""``capeval-score REFS RESULTS``: capeval.score from a shell; prints the scores as JSON.

Exit status as ``submit.sh score``'s: 0 done, 2 a usage error or refused input (``InputError``), 1 a
failed run or no Java or jar to run; capeval's one-line message on stderr.
"""

import argparse
import json
import sys

from . import DEFAULT_METRICS, CapevalError, InputError, __version__, score


def main(argv=None):
    p = argparse.ArgumentParser(prog="capeval-score", description="Scores COCO captions with capeval (pycocoevalcap's numbers).")
    p.add_argument("refs", help="COCO annotation file (.json or .json.gz)")
    p.add_argument("results", help="COCO results file [{image_id, caption}]")
    p.add_argument("--metrics", default=DEFAULT_METRICS, help="comma-separated (default %(default)s; known: bleu, meteor, "
                   "rouge, cider, cider-plain, spice)")
    p.add_argument("--engine", default="auto", choices=["auto", "local", "spark"])
    p.add_argument("--out", help="keep the job's output folder here (eval.json, per_image/, pycocoevalcap.json)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    p.add_argument("--pretokenized", action="store_true", help="captions are already PTB-tokenized")
    p.add_argument("--meteor-data", help="METEOR 1.5's data folder (for --metrics ...,meteor)")
    p.add_argument("--meteor-paraphrase", help="METEOR's paraphrase-en.gz (COCO's official METEOR)")
    p.add_argument("--spice-cache", help="keeps SPICE's parsed captions here for later runs (for --metrics ...,spice)")
    p.add_argument("--threads", type=int, help="threads of the local engine")
    p.add_argument("--driver-memory", help="JVM heap, e.g. 4g (default 2g)")
    p.add_argument("--per-image", action="store_true", help="print imgToEval too")
    p.add_argument("--verbose", action="store_true", help="show the job's progress lines")
    p.add_argument("--version", action="version", version="capeval-score " + __version__)
    a = p.parse_args(argv)
    try:
        d = score(a.refs, a.results, metrics=a.metrics, engine=a.engine, out=a.out, overwrite=a.overwrite,
                  pretokenized=a.pretokenized, meteor_data=a.meteor_data, meteor_paraphrase=a.meteor_paraphrase,
                  spice_cache=a.spice_cache, threads=a.threads, driver_memory=a.driver_memory, verbose=a.verbose)
    except CapevalError as e:
        print("capeval-score: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 2 if isinstance(e, InputError) else 1
    if not a.per_image:
        d.pop("imgToEval")
    json.dump(d, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
