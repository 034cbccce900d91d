#!/usr/bin/env python3
"""Check the shipped data files against their documented formats (TAP).

Reads data/taxonomy.json, tables.json, questions.json and demo/posts.json
from the folder holding this script (or $DLREPRO_DATADIR) and prints one TAP
line per check.  When the replication data is reachable (argument, then
$DLREPRO_DATASET, then ../shared/dataset next to the repository), it also
checks that tables.json is what gen-tables.py would write; otherwise that
check is skipped with the reason.  See data/README.md for the formats.
"""

import html
import importlib.util
import io
import json
import os
import re
import sys
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("DLREPRO_DATADIR") or HERE

TYPES = ["model", "tensor", "training", "gpu", "api", "mixed"]
CATS = ["data", "model", "hyperparameters", "code", "logs"]
ACTS = ["input-data-generation", "network-construction",
        "hyperparameter-initialization", "import-addition", "logging",
        "obsolete-parameter-removal", "compiler-error-resolution",
        "dataset-procurement", "model-download", "version-migration"]
FRAMEWORKS = ["generic", "pytorch", "tensorflow", "keras"]
QUESTION_FIELDS = ["tags", "owner", "is_answered", "view_count",
                   "answer_count", "score", "last_activity_date",
                   "creation_date", "question_id", "content_license",
                   "link", "title", "body"]

results = []


def check(name, cond, why=""):
    results.append((name, bool(cond), why if not cond else ""))


def skip(name, why):
    results.append((name, None, why))


def load(rel):
    path = os.path.join(DATA, rel)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # Two-space indent and a final newline keep diffs of the files readable.
    obj = json.loads(text)
    return obj, text


def is_prob(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) \
        and 0.0 <= x <= 1.0


def main():
    tax, ttext = load("taxonomy.json")
    check("taxonomy format", tax.get("format") == "dlrepro-taxonomy/1")
    check("taxonomy source", "2401.03069" in tax.get("source", ""))
    check("taxonomy type ids in order",
          [t["id"] for t in tax["types"]] == TYPES)
    check("taxonomy category ids in order",
          [c["id"] for c in tax["categories"]] == CATS)
    check("taxonomy action ids in order",
          [a["id"] for a in tax["actions"]] == ACTS)
    check("taxonomy type fields",
          all(set(t) == {"id", "name", "paper_name", "abbrev", "tags",
                         "reproducibility", "mean_minutes"}
              and len(t["abbrev"]) == 3
              and (t["reproducibility"] is None
                   or is_prob(t["reproducibility"]))
              for t in tax["types"]))
    tags = [g for t in tax["types"] for g in t["tags"]]
    check("taxonomy tags unique and lower-case",
          len(tags) == len(set(tags)) and all(g == g.lower() for g in tags))
    check("mixed has no tags", tax["types"][-1]["tags"] == [])
    check("category letters D M H C L",
          "".join(c["letter"] for c in tax["categories"]) == "DMHCL")
    check("category prevalence is a fraction",
          all(is_prob(c["prevalence"]) for c in tax["categories"]))
    check("action letters D N H R L O C P M V",
          "".join(a["letter"] for a in tax["actions"]) == "DNHRLOCPMV")
    check("taxonomy is 2-space indented", ttext.startswith('{\n  "format"'))

    tab, _ = load("tables.json")
    check("tables format", tab.get("format") == "dlrepro-tables/1")
    check("tables threshold and min_n",
          tab.get("threshold") == 0.30 and tab.get("min_n") == 5)
    check("tables cover every type and all",
          list(tab["types"]) == TYPES + ["all"])
    ok = True
    for tid, t in tab["types"].items():
        ok = ok and isinstance(t["n"], int) and t["n"] > 0 \
            and list(t["info"]) == CATS and list(t["actions"]) == ACTS \
            and all(is_prob(v) for v in t["info"].values()) \
            and all(is_prob(v) for v in t["actions"].values())
    check("tables entries well formed", ok)
    check("tables n of types sum to all",
          sum(tab["types"][t]["n"] for t in TYPES) == tab["types"]["all"]["n"])

    qs, _ = load("questions.json")
    check("questions format", qs.get("format") == "dlrepro-questions/1")
    keys = CATS + ["environment"]
    check("questions cover categories and environment",
          list(qs["questions"]) == keys)
    check("questions have every framework",
          all(list(qs["questions"][k]) == FRAMEWORKS for k in keys))
    # A Stack Overflow comment holds at most 600 characters.
    check("questions fit in a comment",
          all(0 < len(s) <= 600 for k in keys
              for s in qs["questions"][k].values()))

    posts, _ = load(os.path.join("demo", "posts.json"))
    items = posts.get("items", [])
    check("demo wrapper", isinstance(items, list) and
          posts.get("has_more") is False and "quota_remaining" in posts)
    check("demo has at least 15 posts", len(items) >= 15)
    check("demo posts have the API fields",
          all(all(f in q for f in QUESTION_FIELDS) for q in items))
    ids = [q["question_id"] for q in items]
    check("demo ids unique, 10 digits from 9000000001",
          len(set(ids)) == len(ids) and
          all(9000000001 <= i <= 9999999999 for i in ids))
    check("demo links match ids",
          all(q["link"].startswith("https://stackoverflow.com/questions/%d/"
                                   % q["question_id"]) for q in items))
    check("demo dates in 2023-2026 and ordered",
          all(1672531200 <= q["creation_date"] < q["last_activity_date"]
              <= 1798761599 for q in items))
    check("demo bodies are HTML without raw control bytes",
          all(q["body"].startswith("<") and
              not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", q["body"])
              for q in items))
    check("demo code blocks balanced",
          all(q["body"].count("<pre") == q["body"].count("</pre>")
              for q in items))
    words = [len(html.unescape(re.sub(r"<[^>]+>", " ", q["body"])).split())
             for q in items]
    check("demo bodies 100-600 words", all(100 <= w <= 600 for w in words),
          "word counts %s" % words)
    bytag = {t["id"]: set(t["tags"]) for t in tax["types"]}
    untagged = [q for q in items
                if not any(set(q["tags"]) & v for v in bytag.values())]
    check("some demo posts carry no Table-1 tag", len(untagged) >= 2)

    labels, _ = load(os.path.join("demo", "labels.json"))
    lab = {p["question_id"]: p for p in labels.get("posts", [])}
    check("demo labels format",
          labels.get("format") == "dlrepro-demo-labels/1")
    check("demo labels cover every post", sorted(lab) == sorted(ids))
    check("demo labels use known ids",
          all(p["type"] in TYPES and p["framework"] in FRAMEWORKS[1:]
              and all(c in CATS for c in p["lacks"])
              and all(t in TYPES[:-1] for t in p.get("mixed_of", []))
              for p in lab.values()))
    counts = {t: sum(1 for p in lab.values() if p["type"] == t)
              for t in TYPES}
    check("demo covers each type twice and one mixed",
          all(counts[t] >= 2 for t in TYPES[:-1]) and counts["mixed"] >= 1,
          "counts %s" % counts)
    check("demo table1_tag flags match the tags",
          all(lab[q["question_id"]]["table1_tag"] ==
              any(set(q["tags"]) & v for v in bytag.values())
              for q in items if q["question_id"] in lab))
    lacking = {c for p in lab.values() for c in p["lacks"]}
    check("demo posts leave out every category somewhere",
          lacking == set(CATS), "never lacking: %s" % (set(CATS) - lacking))

    dataset = None
    cands = sys.argv[1:2] + [os.environ.get("DLREPRO_DATASET", "")] + [
        os.path.join(HERE, "..", "..", "shared", "dataset"),
        os.path.join(HERE, "..", "..", "..", "shared", "dataset")]
    for cand in cands:
        if cand and os.path.isfile(os.path.join(cand,
                                                "Dataset_EditActions.csv")):
            dataset = cand
            break
    if dataset is None:
        skip("tables.json matches gen-tables.py",
             "replication data not found (../shared/dataset)")
    else:
        spec = importlib.util.spec_from_file_location(
            "gen_tables", os.path.join(HERE, "gen-tables.py"))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        with redirect_stdout(io.StringIO()):
            text = mod.render(mod.build(dataset))
        with open(os.path.join(DATA, "tables.json"), encoding="utf-8") as f:
            check("tables.json matches gen-tables.py", f.read() == text)

    print("1..%d" % len(results))
    failed = 0
    for i, (name, ok, why) in enumerate(results, 1):
        if ok is None:
            print("ok %d - %s # SKIP %s" % (i, name, why))
        elif ok:
            print("ok %d - %s" % (i, name))
        else:
            failed += 1
            print("not ok %d - %s%s" % (i, name, " (%s)" % why if why else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
