#!/usr/bin/env python3
"""Train the stage-2 weights of dlrepro's bug-type classifier.

Reads the labelled questions (CSV with Title, Tags, Id, Type, as in the
paper's replication package, dl_bugs_dev.csv), hides every tag that
contains a Table-1 keyword (so the weights learn from the title and the
remaining tags only, the situation stage 2 is for), extracts the same
features as src/classify.c and fits an L2-regularised multinomial logistic
regression (full-batch AdaGrad, deterministic).  Standard library only.

The hand-written sections of the model file (tag rule, tokeniser settings,
lexicon, substrings, part weights, mixed rule) are read from --config
(default: data/classifier.json) and copied unchanged; only "bias",
"weights" and "training" are rewritten.  The output holds vocabulary and
weights, never titles or post text.

  tools/train-classifier.py --csv ../shared/dataset/dl_bugs_dev.csv \\
      --out data/classifier.json
  tools/train-classifier.py --csv ... --folds 5 --cv-dir /tmp/cv
      (writes /tmp/cv/fold-K/classifier.json trained without fold K and
      /tmp/cv/folds.tsv mapping question Id to its held-out fold)

Keep extract() in step with src/classify.c: the C evaluator scores the
held-out folds, so a mismatch shows up as a drop in the CV figures.
"""

import argparse
import collections
import csv
import json
import math
import os
import random
import re
import sys

# Longer feature names are never stored; src/classify.c skips them too.
MAX_FEATURE = 60

TYPES = ["model", "tensor", "training", "gpu", "api"]
K = len(TYPES)


def stem(w):
    """Light suffix stripping; src/classify.c:stem() is the same rule."""
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("sses"):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss") \
            and not w.endswith("us"):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3]
    if len(w) > 4 and w.endswith("ed"):
        return w[:-2]
    return w


CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
TOKEN = re.compile(r"[A-Za-z0-9]+")


class Extractor:
    def __init__(self, cfg):
        t = cfg["text"]
        self.stop = set(t["stopwords"])
        self.min_len = t["min_len"]
        self.suffixes = t["error_suffixes"]
        self.lex_cap = t["lex_cap"]
        self.title_norm = t.get("title_norm", 0)
        sub = cfg["substrings"]
        self.skip_prefix = sub["skip_prefix"]
        self.subkeys = [k for ty in TYPES for k in sub["keys"].get(ty, [])]
        self.phrases = []   # (type, tuple of stems)
        for ty in TYPES:
            for p in cfg["lexicon"].get(ty, []):
                seq, _ = self.stems(p)
                if seq and (ty, tuple(seq)) not in self.phrases:
                    self.phrases.append((ty, tuple(seq)))

    def keep(self, lw):
        return len(lw) >= self.min_len and not lw.isdigit() \
            and lw not in self.stop

    def stems(self, s):
        seq, parts = [], []
        for tok in TOKEN.findall(s):
            lw = tok.lower()
            if not self.keep(lw):
                continue
            seq.append(stem(lw))
            cp = CAMEL.findall(tok)
            if len(cp) > 1:
                for p in cp:
                    pl = p.lower()
                    if self.keep(pl):
                        parts.append(stem(pl))
        return seq, parts

    def text_features(self, s, f, lex):
        """Features of one piece of text into counter f; lexicon hits
        into counter lex."""
        for tok in TOKEN.findall(s):
            lw = tok.lower()
            if not lw.startswith(self.skip_prefix):
                for k in self.subkeys:
                    if k in lw:
                        f["sub:" + k] += 1
            for suf in self.suffixes:
                if tok.endswith(suf) and len(tok) > len(suf):
                    f["err:" + lw] += 1
                    break
        seq, parts = self.stems(s)
        for w in seq:
            f["w:" + w] += 1
        for w in parts:
            f["w:" + w] += 1
        for ty, p in self.phrases:
            n = len(p)
            for i in range(len(seq) - n + 1):
                if tuple(seq[i:i + n]) == p:
                    lex[ty] += 1
            if n == 1:
                lex[ty] += sum(1 for q in parts if q == p[0])

    def tag_features(self, tag, f, lex):
        tag = tag.lower()
        f["t:" + tag] += 1
        for p in re.split(r"[-.]", tag):
            if not p.startswith(self.skip_prefix):
                for k in self.subkeys:
                    if k in p:
                        f["sub:" + k] += 1
            if len(p) > 1 and not p.isdigit():
                f["tp:" + stem(p)] += 1
        seq, _ = self.stems(tag.replace("-", " "))
        for ty, p in self.phrases:
            n = len(p)
            for i in range(len(seq) - n + 1):
                if tuple(seq[i:i + n]) == p:
                    lex[ty] += 1

    def extract(self, title, tags):
        f = collections.Counter()
        lex = collections.Counter()
        self.text_features(title or "", f, lex)
        for t in tags:
            self.tag_features(t, f, lex)
        for ty, v in lex.items():
            f["lex:" + ty] = min(v, self.lex_cap)
        return self.normalise(f)

    def normalise(self, f):
        """Scale the title vector to length text.title_norm, so that a
        long title does not outvote a short one by its length alone
        (src/classify.c:score_group() does the same over the features
        the model knows)."""
        n = math.sqrt(sum(v * v for v in f.values()))
        if not self.title_norm or n == 0:
            return f
        return collections.Counter({k: v * self.title_norm / n
                                    for k, v in f.items()})


def table1_keywords(datadir):
    with open(os.path.join(datadir, "taxonomy.json"), encoding="utf-8") as fh:
        tax = json.load(fh)
    return [k for t in tax["types"] for k in t.get("tags", [])]


def load_rows(path, keywords):
    rows = []
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            tags = re.findall(r"<([^>]*)>", r["Tags"])
            kept = [t for t in tags if not any(k in t for k in keywords)]
            if r["Type"] not in TYPES:
                continue
            rows.append((r["Id"], r["Title"], kept, TYPES.index(r["Type"])))
    return rows


def train(X, y, l2, iters, rate):
    """Multinomial logistic regression, full-batch AdaGrad."""
    n = len(X)
    W, G = {}, {}
    b, Gb = [0.0] * K, [1e-8] * K
    for _ in range(iters):
        grad, gb = {}, [0.0] * K
        for x, c in zip(X, y):
            s = list(b)
            for f, v in x.items():
                w = W.get(f)
                if w:
                    for k in range(K):
                        s[k] += w[k] * v
            m = max(s)
            e = [math.exp(v - m) for v in s]
            z = sum(e)
            d = [e[k] / z - (1.0 if k == c else 0.0) for k in range(K)]
            for k in range(K):
                gb[k] += d[k] / n
            for f, v in x.items():
                g = grad.setdefault(f, [0.0] * K)
                for k in range(K):
                    g[k] += d[k] * v / n
        for f, g in grad.items():
            w = W.setdefault(f, [0.0] * K)
            gg = G.setdefault(f, [1e-8] * K)
            for k in range(K):
                step = g[k] + l2 * w[k]
                gg[k] += step * step
                w[k] -= rate * step / math.sqrt(gg[k])
        for k in range(K):
            Gb[k] += gb[k] * gb[k]
            b[k] -= rate * gb[k] / math.sqrt(Gb[k])
    return W, b


def write_model(cfg, W, b, prior, meta, path):
    out = {k: v for k, v in cfg.items()
           if k not in ("prior", "bias", "weights", "training")}
    out["training"] = meta
    out["prior"] = [round(v, 4) for v in prior]
    out["bias"] = [round(v, 4) for v in b]
    weights = {}
    for f in sorted(W):
        if len(f) > MAX_FEATURE:
            continue
        w = [round(v, 4) for v in W[f]]
        if any(abs(v) >= 0.001 for v in w):
            weights[f] = w
    out["weights"] = weights
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dumps(out))
        fh.write("\n")


def dumps(v, indent=0):
    """JSON with a two-space indent, lists of scalars filled to ~78
    columns, one weight row per line: readable and diff-friendly."""
    pad = "  " * indent
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = ['%s  %s: %s' % (pad, json.dumps(k), dumps(x, indent + 1))
                 for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list) and all(not isinstance(x, (dict, list))
                                   for x in v):
        one = "[" + ", ".join(json.dumps(x) for x in v) + "]"
        if len(one) + len(pad) <= 76:
            return one
        lines, cur = [], ""
        for x in v:
            w = json.dumps(x)
            if cur and len(pad) + 2 + len(cur) + len(w) + 2 > 78:
                lines.append(cur.rstrip())
                cur = ""
            cur += w + ", "
        lines.append(cur.rstrip(", "))
        inner = ",\n".join(pad + "  " + ln.rstrip(",") for ln in lines)
        return "[\n" + inner + "\n" + pad + "]"
    if isinstance(v, list):
        return "[\n" + ",\n".join(pad + "  " + dumps(x, indent + 1)
                                   for x in v) + "\n" + pad + "]"
    return json.dumps(v)


def prior_of(y):
    """Label shares, smoothed so that none is 0."""
    return [(y.count(c) + 1) / (len(y) + K) for c in range(K)]


def folds_of(y, k, seed):
    """Stratified assignment: shuffle, then deal each class round-robin."""
    idx = list(range(len(y)))
    random.Random(seed).shuffle(idx)
    fold = [0] * len(y)
    j = 0
    for c in range(K):
        for i in idx:
            if y[i] == c:
                fold[i] = j % k
                j += 1
    return fold


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    dataset = os.environ.get("DLREPRO_DATASET") or os.path.join(
        top, "..", "shared", "dataset")
    ap.add_argument("--csv", default=os.path.join(dataset, "dl_bugs_dev.csv"))
    ap.add_argument("--config", default=os.path.join(
        top, "data", "classifier.json"))
    ap.add_argument("--datadir", default=os.path.join(top, "data"),
                    help="where taxonomy.json (Table-1 tags) is")
    ap.add_argument("--out", help="model file to write")
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--cv-dir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--l2", type=float, default=0.003)
    ap.add_argument("--iters", type=int, default=150)
    ap.add_argument("--rate", type=float, default=0.5)
    a = ap.parse_args()
    if not a.out and not (a.folds and a.cv_dir):
        ap.error("give --out, or --folds N with --cv-dir DIR")

    with open(a.config, encoding="utf-8") as fh:
        cfg = json.load(fh)
    ex = Extractor(cfg)
    rows = load_rows(a.csv, table1_keywords(a.datadir))
    X = [ex.extract(t, g) for _, t, g, _ in rows]
    y = [c for *_, c in rows]
    meta = {"algorithm": "multinomial logistic regression, L2, AdaGrad",
            "l2": a.l2, "iters": a.iters, "rate": a.rate,
            "examples": len(rows),
            "source": os.path.basename(a.csv) +
            " (titles and non-Table-1 tags; labels from the paper)"}
    if a.out:
        W, b = train(X, y, a.l2, a.iters, a.rate)
        write_model(cfg, W, b, prior_of(y), meta, a.out)
        print("wrote %s: %d features from %d examples"
              % (a.out, len(W), len(rows)), file=sys.stderr)
    if a.folds and a.cv_dir:
        fold = folds_of(y, a.folds, a.seed)
        os.makedirs(a.cv_dir, exist_ok=True)
        with open(os.path.join(a.cv_dir, "folds.tsv"), "w") as fh:
            for (qid, *_), f in zip(rows, fold):
                fh.write("%s\t%d\n" % (qid, f))
        for k in range(a.folds):
            tr = [i for i in range(len(y)) if fold[i] != k]
            W, b = train([X[i] for i in tr], [y[i] for i in tr],
                         a.l2, a.iters, a.rate)
            m = dict(meta, examples=len(tr), fold=k, folds=a.folds)
            write_model(cfg, W, b, prior_of([y[i] for i in tr]), m,
                        os.path.join(a.cv_dir, "fold-%d" % k,
                                     "classifier.json"))
        print("wrote %d fold models to %s" % (a.folds, a.cv_dir),
              file=sys.stderr)


if __name__ == "__main__":
    main()
