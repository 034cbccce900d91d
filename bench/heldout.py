#!/usr/bin/env python3
"""bench/heldout.py - measures `dlrepro analyze` on the held-out reports.

tests/fixtures/heldout/ holds bug reports written for this purpose and
labelled by hand (labels.json: the five information categories present or
absent and the bug type, each with a one-line reason) before the detectors
were run on them.  This script runs `dlrepro analyze --json --file` on each
and prints, per category, accuracy and the present/absent confusion, the
bug-type accuracy and confusion, and every disagreement with the label's
reason and the detector's evidence.  Figures are printed, never asserted.

usage: bench/heldout.py [--bin DLREPRO] [--dir FIXTURES] [--datadir DIR]
The last line is machine-readable:
RESULT heldout n=40 data=0.9000 model=... code=... logs=... type=0.7000
"""

import argparse
import json
import os
import subprocess
import sys

CATS = ["data", "model", "hyperparameters", "code", "logs"]
TYPES = ["model", "tensor", "training", "gpu", "api", "mixed"]


def analyze(binary, path, env):
	proc = subprocess.run([binary, "analyze", "--json", "--file", path],
			      capture_output=True, text=True, env=env,
			      timeout=60)
	if proc.returncode != 0:
		raise RuntimeError("%s: exit %d: %s" % (path, proc.returncode,
							proc.stderr.strip()))
	lines = [l for l in proc.stdout.splitlines() if l.strip()]
	if len(lines) != 1:
		raise RuntimeError("%s: expected one JSON line, got %d"
				   % (path, len(lines)))
	return json.loads(lines[0])


def short(text, n=70):
	text = " ".join(text.split())
	return text if len(text) <= n else text[:n - 1] + "…"


def main():
	top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("--bin", default=os.environ.get(
		"DLREPRO_BIN", os.path.join(top, "src", "dlrepro")))
	ap.add_argument("--dir", default=os.path.join(
		top, "tests", "fixtures", "heldout"))
	ap.add_argument("--datadir", default=os.environ.get(
		"DLREPRO_DATADIR", os.path.join(top, "data")))
	args = ap.parse_args()

	with open(os.path.join(args.dir, "labels.json"), encoding="utf-8") as f:
		labels = json.load(f)
	env = dict(os.environ, DLREPRO_DATADIR=args.datadir)

	# conf[cat] = {(label, detected): count}
	conf = {c: {(a, b): 0 for a in (True, False) for b in (True, False)}
		for c in CATS}
	tconf = {a: {b: 0 for b in TYPES} for a in TYPES}
	disagree = []
	posts = labels["posts"]
	for p in posts:
		res = analyze(args.bin, os.path.join(args.dir, p["file"]), env)
		for c in CATS:
			want = p[c]["present"]
			got = bool(res["info"][c]["present"])
			conf[c][(want, got)] += 1
			if want != got:
				ev = [short(e.get("why", "") + ": " + e["text"])
				      for e in res["info"][c]["evidence"][:3]]
				disagree.append((p["file"], c, want, got,
						 p[c]["why"], ev))
		want, got = p["type"]["label"], res["type"]
		tconf[want][got if got in TYPES else "mixed"] += 1
		if want != got:
			disagree.append((p["file"], "type", want, got,
					 p["type"]["why"],
					 ["scores " + json.dumps(res["scores"])]))

	n = len(posts)
	print("held-out reports: %d (%s)" % (n, args.dir))
	print()
	print("%-16s %8s %6s %6s %6s %6s" % ("category", "accuracy", "TP",
					     "FN", "FP", "TN"))
	acc = {}
	for c in CATS:
		m = conf[c]
		right = m[(True, True)] + m[(False, False)]
		acc[c] = right / n
		print("%-16s %8.4f %6d %6d %6d %6d" % (
			c, acc[c], m[(True, True)], m[(True, False)],
			m[(False, True)], m[(False, False)]))
	print("(TP label present and detected, FN present but missed, "
	      "FP absent but detected, TN absent and not detected)")
	print()
	tright = sum(tconf[t][t] for t in TYPES)
	acc["type"] = tright / n
	print("bug type accuracy %.4f (%d of %d)" % (acc["type"], tright, n))
	print("confusion (rows: label, columns: detected)")
	print("          " + "".join("%9s" % t for t in TYPES))
	for t in TYPES[:-1]:
		print("%-10s" % t + "".join("%9d" % tconf[t][u] for u in TYPES))
	print()
	print("disagreements: %d" % len(disagree))
	for f, c, want, got, why, ev in disagree:
		if c == "type":
			print("  %s: type label %s, detected %s (label: %s)"
			      % (f, want, got, why))
		else:
			print("  %s: %s label %s, detected %s (label: %s)"
			      % (f, c, "present" if want else "absent",
				 "present" if got else "absent", why))
		for e in ev:
			print("      " + e)
	print()
	print("RESULT heldout n=%d " % n + " ".join(
		"%s=%.4f" % (k, acc[k]) for k in CATS + ["type"]))
	return 0


if __name__ == "__main__":
	try:
		sys.exit(main())
	except (OSError, RuntimeError, ValueError, KeyError) as e:
		print("heldout.py: %s" % e, file=sys.stderr)
		sys.exit(1)
