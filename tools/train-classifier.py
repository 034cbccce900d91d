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
(default: data/classifier.json) and copied unchanged; "bias", "weights",
"api_stage" and "training" are rewritten, and "tag_idf" is rebuilt from
--tag-counts when given (else kept).  The output holds vocabulary, tag
counts and weights, never titles or post text.

Two refinements over the plain regression (data/classifier.md, "Tag idf
and the API stage"): the remaining tags form their own block, each
weighted by its rarity in the paper's 3,412 questions (log(total /
count), Tag_Counts.csv) and scaled to length 1, instead of counting in
the title vector; and a binary regression of API against the other
non-GPU questions ("api_stage") answers API when it reaches 0.5 and the
five-way model did not choose GPU, which the rarest type needs to be
called at all.

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
        self.w_tag = cfg.get("parts", {}).get("tag", 1.0)
        idf = cfg.get("tag_idf")
        self.idf_total = idf["total"] if idf else 0
        self.idf_counts = idf["counts"] if idf else {}
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
        if not self.idf_total:
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
        f = self.normalise(f)
        if self.idf_total:
            f.update(self.tag_block(tags))
        return f

    def tag_block(self, tags):
        """The distinct remaining tags, each log(total / count) (an
        unknown tag counts 1), scaled to length parts.tag:
        src/classify.c:score_tags()."""
        b = collections.Counter()
        for t in tags:
            t = t.lower()
            b["ti:" + t] = math.log(self.idf_total /
                                    self.idf_counts.get(t, 1))
        n = math.sqrt(sum(v * v for v in b.values()))
        if n == 0:
            return collections.Counter()
        return collections.Counter({k: v * self.w_tag / n
                                    for k, v in b.items()})

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


def tag_idf_section(path, keywords):
    """The tag_idf section from Tag_Counts.csv (Tag,Count over the
    paper's 3,412 filtered questions): the counts of the tags stage 2
    can see, those without a Table-1 keyword."""
    counts = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            t = r["Tag"].lower()
            if not any(k in t for k in keywords):
                counts[t] = int(r["Count"])
    return {"source": "Tag_Counts.csv of the paper's replication package: "
            "how many of the 3,412 filtered questions carry each tag "
            "(tags with a Table-1 keyword left out)",
            "total": 3412, "counts": dict(sorted(counts.items()))}


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


def train_api_stage(X, y, l2, iters, rate, balance=0.5):
    """Binary logistic regression, API against every non-GPU question
    (GPU outranks API in the labelling), positives weighted
    (n / K n_api)^balance, full-batch AdaGrad; the bias is not
    regularised.  Returns (weights, bias)."""
    api, gpu = TYPES.index("api"), TYPES.index("gpu")
    keep = [i for i in range(len(y)) if y[i] != gpu]
    n = len(keep)
    n_api = sum(1 for i in keep if y[i] == api)
    cpos = (len(y) / (K * max(y.count(api), 1))) ** balance
    W, G = {}, {}
    b, Gb = 0.0, 1e-8
    for _ in range(iters):
        grad, gb = {}, 0.0
        for i in keep:
            x = X[i]
            s = b + sum(W.get(f, 0.0) * v for f, v in x.items())
            p = 1 / (1 + math.exp(-max(min(s, 30), -30)))
            pos = y[i] == api
            d = (p - (1.0 if pos else 0.0)) * (cpos if pos else 1.0) / n
            gb += d
            for f, v in x.items():
                grad[f] = grad.get(f, 0.0) + d * v
        for f, g in grad.items():
            w = W.get(f, 0.0)
            st = g + l2 * w
            G[f] = G.get(f, 1e-8) + st * st
            W[f] = w - rate * st / math.sqrt(G[f])
        Gb += gb * gb
        b -= rate * gb / math.sqrt(Gb)
    if n_api == 0:
        return {}, -30.0
    return W, b


def write_model(cfg, W, b, prior, meta, path, api=None):
    out = {k: v for k, v in cfg.items()
           if k not in ("prior", "bias", "weights", "training",
                        "api_stage")}
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
    if api is not None:
        aw, ab = api
        out["api_stage"] = {
            "bias": round(ab, 4),
            "weights": {f: round(aw[f], 4) for f in sorted(aw)
                        if len(f) <= MAX_FEATURE and abs(aw[f]) >= 0.001}}
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
    ap.add_argument("--tag-counts",
                    help="Tag_Counts.csv: rebuild the model's tag_idf "
                    "section from it (else the config's is kept)")
    ap.add_argument("--no-api-stage", action="store_true",
                    help="leave the API stage out")
    a = ap.parse_args()
    if not a.out and not (a.folds and a.cv_dir):
        ap.error("give --out, or --folds N with --cv-dir DIR")

    with open(a.config, encoding="utf-8") as fh:
        cfg = json.load(fh)
    keywords = table1_keywords(a.datadir)
    if a.tag_counts:
        cfg["tag_idf"] = tag_idf_section(a.tag_counts, keywords)
    ex = Extractor(cfg)
    rows = load_rows(a.csv, keywords)
    X = [ex.extract(t, g) for _, t, g, _ in rows]
    y = [c for *_, c in rows]
    meta = {"algorithm": "multinomial logistic regression, L2, AdaGrad" +
            ("; remaining tags as an idf block" if ex.idf_total else "") +
            ("" if a.no_api_stage else
             "; API stage: binary logistic regression, API against the "
             "non-GPU questions, positives weighted (n / 5 n_api)^0.5"),
            "l2": a.l2, "iters": a.iters, "rate": a.rate,
            "examples": len(rows),
            "source": os.path.basename(a.csv) +
            " (titles and non-Table-1 tags; labels from the paper)"}
    def api_of(Xs, ys):
        if a.no_api_stage:
            return None
        return train_api_stage(Xs, ys, a.l2, a.iters, a.rate)

    if a.out:
        W, b = train(X, y, a.l2, a.iters, a.rate)
        write_model(cfg, W, b, prior_of(y), meta, a.out, api_of(X, y))
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
            Xt, yt = [X[i] for i in tr], [y[i] for i in tr]
            W, b = train(Xt, yt, a.l2, a.iters, a.rate)
            m = dict(meta, examples=len(tr), fold=k, folds=a.folds)
            write_model(cfg, W, b, prior_of(yt), m,
                        os.path.join(a.cv_dir, "fold-%d" % k,
                                     "classifier.json"), api_of(Xt, yt))
        print("wrote %d fold models to %s" % (a.folds, a.cv_dir),
              file=sys.stderr)


if __name__ == "__main__":
    main()
