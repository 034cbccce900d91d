#!/usr/bin/env python3
"""How much of the tags-hidden error is in the data: the shipped
classifier's cross-validated answers set beside the labelling rule itself
applied to the title.

The labels of dl_bugs_dev.csv come from Table-1 tags with a precedence
(GPU > API > Training > Tensor > Model).  With those tags hidden, the
nearest thing to the rule a reader can apply is the same precedence over
the Table-1 keywords found in the title (a tag's parts as words, plurals
allowed: "loss-function" matches "loss function(s)").  This prints, for
each seed's 5-fold CV:

  - how often that title rule fires and how often it is right then;
  - the classifier's accuracy on the same questions, and on the rest;
  - the title rule where it fires and the classifier elsewhere;
  - "either": questions that the classifier or the title rule gets right,
    an upper bound for any choice between the two made per question
    (a real one must choose without the label).

  tools/classifier-ceiling.py [--seeds 1-3] [--build BUILDDIR]

Needs bench/classify-eval (make) and $DLREPRO_DATASET (default
../shared/dataset next to the project); skips with a message when the
dataset is absent.  Python 3 standard library only.
"""

import argparse
import collections
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
PRECEDENCE = ["gpu", "api", "training", "tensor", "model"]


def keyword_patterns(datadir):
    with open(os.path.join(datadir, "taxonomy.json"), encoding="utf-8") as f:
        tax = json.load(f)
    pats = {}
    for t in tax["types"]:
        words = [r"\b" + r"[\s_-]?".join(map(re.escape, k.split("-"))) +
                 r"(s|es)?\b" for k in t.get("tags", [])]
        if words:
            pats[t["id"]] = re.compile("|".join(words), re.I)
    return pats


def title_rule(pats, title):
    for ty in PRECEDENCE:
        if ty in pats and pats[ty].search(title):
            return ty
    return None


def cv_misses(args, seed, tmp):
    cv = os.path.join(tmp, "cv-%d" % seed)
    tr = subprocess.run([sys.executable,
                         os.path.join(HERE, "train-classifier.py"),
                         "--csv", args.csv, "--datadir", args.datadir,
                         "--config", os.path.join(args.datadir,
                                                  "classifier.json"),
                         "--folds", "5", "--seed", str(seed), "--cv-dir", cv],
                        capture_output=True, text=True)
    if tr.returncode != 0:
        sys.exit("classifier-ceiling: train-classifier.py: "
                 + tr.stderr.strip())
    out = subprocess.run([os.path.join(args.build, "bench", "classify-eval"),
                          "--datadir", args.datadir, "--cv", cv, "--verbose",
                          args.csv], check=True, capture_output=True,
                         text=True).stdout
    pred = {}
    for line in out.splitlines():
        m = re.match(r"miss (\S+): \w+ -> (\w+)", line)
        if m:
            pred[m.group(1)] = m.group(2)
    return pred


def seeds_of(s):
    if "-" in s:
        a, b = s.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in s.split(",")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="1-3")
    ap.add_argument("--build", default=os.environ.get("TOP_BUILDDIR", TOP))
    ap.add_argument("--datadir", default=os.path.join(TOP, "data"))
    args = ap.parse_args()
    dataset = os.environ.get("DLREPRO_DATASET",
                             os.path.join(TOP, "..", "shared", "dataset"))
    args.csv = os.path.join(dataset, "dl_bugs_dev.csv")
    if not os.path.exists(args.csv):
        print("classifier-ceiling: skipped: %s not found "
              "(set DLREPRO_DATASET)" % args.csv)
        return 0
    with open(args.csv, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Type"] in PRECEDENCE]
    pats = keyword_patterns(args.datadir)
    n = len(rows)
    fired = {r["Id"]: title_rule(pats, r["Title"]) for r in rows}
    nf = sum(1 for v in fired.values() if v)
    rule_ok = sum(1 for r in rows if fired[r["Id"]] == r["Type"])
    by = collections.Counter(v for v in fired.values() if v)
    by_ok = collections.Counter(r["Type"] for r in rows
                                if fired[r["Id"]] == r["Type"])
    print("title rule fires on %d of %d questions, right on %d (%.3f)"
          % (nf, n, rule_ok, rule_ok / nf))
    print("  " + ", ".join("%s %d/%d" % (t, by_ok[t], by[t])
                           for t in PRECEDENCE))
    tot = collections.Counter()
    with tempfile.TemporaryDirectory(prefix="dlrepro-ceiling.") as tmp:
        for seed in seeds_of(args.seeds):
            miss = cv_misses(args, seed, tmp)
            c = collections.Counter()
            for r in rows:
                ok = r["Id"] not in miss
                f = fired[r["Id"]]
                c["model"] += ok
                c["model_fired" if f else "model_rest"] += ok
                c["either"] += ok or f == r["Type"]
                c["first"] += (f == r["Type"]) if f else ok
            tot.update(c)
            print("seed %d: classifier %.4f (where the rule fires %.3f, "
                  "elsewhere %.3f); either %.4f"
                  % (seed, c["model"] / n, c["model_fired"] / nf,
                     c["model_rest"] / (n - nf), c["either"] / n))
    k = len(seeds_of(args.seeds))
    print("RESULT ceiling rule_precision=%.4f classifier=%.4f "
          "rule_then_classifier=%.4f either=%.4f"
          % (rule_ok / nf, tot["model"] / (n * k), tot["first"] / (n * k),
             tot["either"] / (n * k)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
