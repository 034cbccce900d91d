#!/usr/bin/env python3
"""bench/scaling.py - does the analysis stay linear on hostile reports?

For each pattern (a unit repeated, or a shape nested, to a given size) it
writes the report at 0.5, 1, 2 and 4 MB, times `dlrepro analyze --json
--file F --format FMT` on each under a timeout, and prints seconds per size
and the 4 MB / 1 MB ratio: linear work gives about 4, a ratio of 8 or more
(or a timeout) is flagged with `!`.  The patterns aim at the detectors'
backward and forward scans, de-duplication of repeated evidence, the
classifier's signature and phrase matching, and the HTML and Markdown
front ends (deep nesting, many code blocks and spans, one huge token,
unterminated brackets, quotes and backticks).  Measured, never asserted.

usage: bench/scaling.py [--bin DLREPRO] [--datadir DIR] [--only REGEX]
			[--sizes MB,...] [--timeout S]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

MB = 1 << 20


def rep(unit):
	"""The unit repeated to n bytes."""
	def gen(n):
		k = n // len(unit) + 1
		return (unit * k)[:n]
	return gen


def numbered(fmt):
	"""fmt % i for i = 0, 1, ... to n bytes: distinct items."""
	def gen(n):
		out, size, i = [], 0, 0
		while size < n:
			s = fmt % {"i": i, "j": i % 997, "k": i % 13,
				   "tick": "`" * (1 + i % 50)}
			out.append(s)
			size += len(s)
			i += 1
		return "".join(out)[:n]
	return gen


def nest(open_, close, leaf="x"):
	"""open_ k times, a leaf, close k times: n bytes in all."""
	def gen(n):
		k = max(1, (n - len(leaf)) // (len(open_) + len(close)))
		return open_ * k + leaf + close * k
	return gen


def led(head, body):
	"""head once, then body to n bytes: one opener left unterminated."""
	def gen(n):
		return head + body(n - len(head))
	return gen


WORDS = ("the model does not train and the loss stays flat after a few "
	 "epochs so I wonder what is wrong here ")

# (name, format, generator).  "text" is plain text, "markdown" goes through
# cmark, "html" through libxml2.
PATTERNS = [
	# the control: fixed in d8dfb0f, quadratic before
	("path-comma a/b,", "text", rep("a/b,")),
	("path-runs a/b/c/d", "text", rep("a/b/c/d ")),
	# the next slash looked for from every backslash (fixed)
	("path-comma a\\b,", "text", rep("a\\b,")),
	("plain words", "text", rep(WORDS)),
	("words one line", "text", rep("word ")),
	("huge token", "text", rep("a")),
	("huge digits", "text", rep("7")),
	("huge dotted", "text", rep("a.")),
	("huge path token", "text", rep("a/")),
	# chain_start from every link of one chain (fixed)
	("dotted keras chain", "text", rep("keras.")),
	("dotted a.keras chain", "text", rep("a.keras.")),
	("run ,", "text", rep(",")),
	("run .", "text", rep(".")),
	("run -", "text", rep("-")),
	("run =", "text", rep("=")),
	("run :", "text", rep(":")),
	("run /", "text", rep("/")),
	("run (", "text", rep("(")),
	("run [", "text", rep("[")),
	("run )", "text", rep(")")),
	("run \"", "text", rep("\"")),
	("run '", "text", rep("'")),
	("run `", "markdown", rep("`")),
	("run *", "markdown", rep("*")),
	("run _", "markdown", rep("_")),
	("run >", "markdown", rep(">")),
	("run #", "markdown", rep("#")),
	("run <", "html", rep("<")),
	("run &", "html", rep("&")),
	("unterminated (", "text", led("(", rep("a b "))),
	("unterminated [", "text", led("[", rep("a, b "))),
	("unterminated \"", "text", led("\"", rep("a b "))),
	("unterminated `", "markdown", led("`", rep("a b "))),
	("unterminated ```", "markdown", led("```\n", rep("x = 1\n"))),
	("open ( each", "text", rep("f(a, ")),
	("open [ each", "text", rep("[1, 2, ")),
	("open ` each", "markdown", rep("`a b ")),
	("open \" each", "text", rep("\"a b ")),
	("shapes same", "text", rep("(32, 3, 224, 224) ")),
	("shapes distinct", "text", numbered("(%(i)d, 3, 224) ")),
	("shapes noun", "text", numbered("input shape (%(i)d, 3) ")),
	("torch.Size", "text", numbered("torch.Size([%(i)d, 10]) ")),
	("shape mismatch", "text",
	 numbered("mat1 and mat2 shapes cannot be multiplied (%(i)dx3 and "
		  "4x5)\n")),
	("versions same", "text", rep("torch==1.13.1 ")),
	("versions distinct", "text", numbered("tensorflow 2.%(i)d.0\n")),
	("version words", "text", numbered("I use PyTorch 1.%(i)d and CUDA "
					   "11.%(k)d on Ubuntu 20.04\n")),
	("hyperparams", "text",
	 numbered("lr=0.0%(i)d batch_size=%(j)d epochs=%(k)d\n")),
	("hyperparam words", "text",
	 numbered("learning rate of 0.%(i)d and batch size %(j)d ")),
	("model lines", "text", numbered("model.add(Dense(%(i)d)) ")),
	("nn layers", "text", numbered("nn.Linear(%(i)d, 4)\n")),
	("data words", "text",
	 numbered("my dataset has %(i)d images and %(j)d labels. ")),
	("epoch logs", "text",
	 numbered("Epoch %(i)d/10 - loss: 0.%(j)d - accuracy: 0.5\n")),
	("keras progress", "text",
	 numbered("%(j)d/1000 [====>......] - ETA: 1s - loss: 0.%(i)d\n")),
	("nccl lines", "text",
	 numbered("node1:123:%(i)d [0] NCCL INFO Bootstrap : Using eth0\n")),
	("glog lines", "text",
	 numbered("I0101 12:00:00.%(i)06d 1234 file.cc:12] message\n")),
	("tf log lines", "text",
	 numbered("2023-01-01 12:00:00.%(i)06d: I tensorflow/core/x.cc:1] "
		  "msg\n")),
	("warnings", "text",
	 numbered("/usr/lib/python3/x%(i)d.py:12: UserWarning: foo is "
		  "deprecated\n  warnings.warn(\n")),
	("traceback frames", "text",
	 numbered("  File \"x%(i)d.py\", line %(j)d, in <module>\n")),
	("tracebacks", "text",
	 numbered("Traceback (most recent call last):\n  File \"a.py\", line "
		  "%(i)d, in f\nValueError: bad %(i)d\n")),
	("error lines same", "text",
	 rep("RuntimeError: CUDA out of memory.\n")),
	("error lines distinct", "text",
	 numbered("RuntimeError: Expected %(i)d got %(j)d\n")),
	# many hits on one huge line: each quotes to the line's end (capped)
	("warnings one line", "text",
	 numbered("x%(i)d.py:12: UserWarning: foo ")),
	("errors one line", "text", numbered("ValueError: bad %(i)d ")),
	("glog one line", "text",
	 numbered("I0101 12:00:00.%(i)06d 1234 f.cc:12] m ")),
	("nccl one line", "text",
	 numbered("n:1:%(i)d [0] NCCL INFO x ")),
	("epochs one line", "text", numbered("Epoch %(i)d/10 loss: 0.5 ")),
	("c10 one line", "text", numbered("[W ProcessGroupNCCL.cpp:%(i)d] x ")),
	("frames one line", "text",
	 numbered("File \"x%(i)d.py\", line 1, in f ")),
	("tf log one line", "text", rep("W tensorflow/core/x.cc:1] m ")),
	("strings lists", "text", rep("x = ['a', 'b', ")),
	("calls chain", "text", rep("x.f(1).")),
	("assign chain", "text", rep("a.b = ")),
	("index chain", "text", rep("a.b[0] = ")),
	("shapes in call", "text", numbered("torch.Size([%(i)d, 3]) ")),
	("nested lists", "text", nest("[", "]", "1")),
	("nested parens", "text", nest("(", ")", "1")),
	("nested list values", "text", rep("[[1, 2], ")),
	("error words", "text",
	 rep("ImportError cannot import name AttributeError has no attribute "
	     "")),
	("quotes same md", "markdown", rep("> ValueError: same quote\n\n")),
	("quotes distinct md", "markdown",
	 numbered("> ValueError: quote %(i)d\n\n")),
	("quotes one block md", "markdown",
	 numbered("> line %(i)d of the quote\n")),
	("quotes same html", "html",
	 rep("<blockquote>ValueError: same quote</blockquote>")),
	("code blocks md", "markdown",
	 numbered("```\nimport torch\nx = torch.zeros(%(i)d)\n```\n\n")),
	("code blocks same md", "markdown",
	 rep("```\nimport torch\n```\n\n")),
	("indented code md", "markdown",
	 numbered("    x = %(i)d\n")),
	("code blocks html", "html",
	 numbered("<pre><code>x = torch.zeros(%(i)d)\n</code></pre>")),
	("one code block html", "html",
	 led("<pre><code>", numbered("x%(i)d = torch.zeros(3)\n"))),
	("inline code md", "markdown", numbered("`x%(i)d` ")),
	("inline code same md", "markdown", rep("`x` ")),
	("inline code html", "html", numbered("<code>x%(i)d</code> ")),
	("links md", "markdown", numbered("[a](http://e.com/%(i)d) ")),
	("links html", "html",
	 numbered("<a href=\"http://e.com/%(i)d\">a</a> ")),
	("urls text", "text", numbered("https://example.com/a/%(i)d/b ")),
	("entities html", "html", rep("&amp;&lt;&#x41;")),
	("paragraphs html", "html", numbered("<p>para %(i)d</p>")),
	("list items md", "markdown", numbered("- item %(i)d\n")),
	("emphasis md", "markdown", rep("*a* _b_ ")),
	("nested emphasis md", "markdown", nest("*a ", " a*", "x")),
	("nested brackets md", "markdown", nest("[", "](u)", "x")),
	("nested links md", "markdown", rep("[a [b [c")),
	("nested quote md", "markdown", nest(">", "", " x")),
	("image links md", "markdown", rep("![[]()")),
	("open images md", "markdown", rep("![[")),
	("open link dest md", "markdown", rep("[a](<b ")),
	("open autolinks md", "markdown", rep("<http://a ")),
	("open raw html md", "markdown", rep("<a b=\"")),
	("lists of emphasis md", "markdown", rep("- *\n")),
	("backtick runs md", "markdown", numbered("%(tick)s ")),
	("emph delims md", "markdown", rep("*_")),
	("quote list nest md", "markdown", rep("> - ")),
	("nested list md", "markdown", rep("- ")),
	("div nest html", "html", nest("<div>", "</div>")),
	("div unclosed html", "html", rep("<div>")),
	("ul li nest html", "html", nest("<ul><li>", "</li></ul>")),
	("ul li unclosed html", "html", rep("<ul><li>")),
	("blockquote nest html", "html",
	 nest("<blockquote>", "</blockquote>")),
	("b i nest html", "html", nest("<b><i>", "</i></b>")),
	("b then stray ends html", "html", nest("<b>", "</i>")),
	("unclosed b html", "html", rep("<b>x")),
	("stray end tags html", "html", rep("</div>")),
	("unclosed code html", "html", rep("<code>x ")),
	("b then p html", "html", nest("<b>", "<p>x")),
	("unclosed a html", "html", rep("<a href=x>y")),
	("unclosed li html", "html", rep("<li>x")),
	("table cells html", "html", rep("<table><tr><td>")),
	("pre nest html", "html", nest("<pre>", "</pre>")),
	("table html", "html", numbered("<tr><td>%(i)d</td></tr>")),
	("long attr html", "html", led("<a href=\"", rep("a"))),
	("comment html", "html", led("<!--", rep("a b "))),
	("control bytes", "text", rep("a\x01\x1b[31m ")),
	("invalid utf8", "text", rep("a\xff\xfe ")),
	("multibyte", "text", rep("é日本語 ")),
	("cjk one token", "text", rep("日")),
]


def run(binary, env, path, fmt, timeout):
	cmd = [binary, "analyze", "--json", "--file", path, "--format", fmt]
	t0 = time.perf_counter()
	try:
		proc = subprocess.run(cmd, stdout=subprocess.DEVNULL,
				      stderr=subprocess.PIPE, env=env,
				      timeout=timeout)
	except subprocess.TimeoutExpired:
		return None, "timeout"
	dt = time.perf_counter() - t0
	if proc.returncode != 0:
		err = proc.stderr.decode("utf-8", "replace").strip()
		return dt, "exit %d: %s" % (proc.returncode, err[:60])
	return dt, ""


def main():
	top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("--bin", default=os.environ.get(
		"DLREPRO_BIN", os.path.join(top, "src", "dlrepro")))
	ap.add_argument("--datadir", default=os.environ.get(
		"DLREPRO_DATADIR", os.path.join(top, "data")))
	ap.add_argument("--only", default=os.environ.get("SCALING_ONLY", ""),
			help="run only patterns whose name matches")
	ap.add_argument("--sizes", default=os.environ.get(
		"SCALING_SIZES", "0.5,1,2,4"), help="sizes in MB")
	ap.add_argument("--timeout", type=float, default=float(
		os.environ.get("SCALING_TIMEOUT", "20")))
	args = ap.parse_args()

	sizes = [float(s) for s in args.sizes.split(",")]
	env = dict(os.environ, DLREPRO_DATADIR=args.datadir)
	tmp = tempfile.mkdtemp(prefix="dlrepro-scaling.")
	db = os.path.join(tmp, "db.sqlite")
	env["DLREPRO_DB"] = db
	path = os.path.join(tmp, "report")
	only = re.compile(args.only) if args.only else None

	head = "%-24s %-8s" % ("pattern", "format")
	head += "".join(" %7s" % ("%gMB" % s) for s in sizes)
	print(head + "  4MB/1MB")
	flagged = []
	for name, fmt, gen in PATTERNS:
		if only and not only.search(name):
			continue
		row = "%-24s %-8s" % (name, fmt)
		times, note, dead = {}, "", False
		for s in sizes:
			if dead:
				row += " %7s" % "-"
				continue
			data = gen(int(s * MB)).encode("utf-8", "surrogateescape")
			with open(path, "wb") as f:
				f.write(data)
			dt, why = run(args.bin, env, path, fmt, args.timeout)
			if dt is None:
				row += " %7s" % ">%g" % args.timeout
				note, dead = "timeout at %gMB" % s, True
				continue
			times[s] = dt
			row += " %7.2f" % dt
			if why and not note:
				note = why
		if dead:
			ratio, flag = "-", "!"
		elif 1.0 in times and 4.0 in times and times[1.0] > 0:
			r = times[4.0] / times[1.0]
			ratio, flag = "%.1f" % r, ("!" if r >= 8 else "")
		else:
			ratio, flag = "-", ""
		row += "  %7s %1s" % (ratio, flag)
		if note:
			row += "  " + note
		print(row, flush=True)
		if flag:
			flagged.append(name)
	for f in os.listdir(tmp):
		os.unlink(os.path.join(tmp, f))
	os.rmdir(tmp)
	print("flagged (ratio >= 8 or timeout): %d%s" % (
		len(flagged), (": " + ", ".join(flagged)) if flagged else ""))
	return 0


if __name__ == "__main__":
	sys.exit(main())
