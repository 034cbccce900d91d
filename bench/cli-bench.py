#!/usr/bin/env python3
"""bench/cli-bench.py - the command line on a large store (bench/cli.sh).

Builds a store the way a user would, with the program's own commands:
BENCH_POSTS Stack Overflow-like posts (titles, tags, HTML bodies of 1-3 KB
with code blocks and tracebacks; ids so:1..N) through `import`, then
BENCH_SESSIONS sessions over BENCH_SESSION_POSTS posts, most through
`import-sessions` (ticks, pauses, outcomes) and some through `session`
commands.  Then prints wall time and peak RSS of each command.  Measures,
never fails on a slow figure.  Standard library only.

  python3 bench/cli-bench.py BIN            (the benchmark)
  python3 bench/cli-bench.py posts N FILE   (only write the posts)
"""
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

WORDS = ("model layer tensor shape training loss accuracy gpu cuda memory "
         "batch epoch optimizer gradient keras pytorch tensorflow dataset "
         "input output weights error value type convolution lstm dense "
         "dropout learning rate nan validation checkpoint inference").split()
TAGS = [["python", "tensorflow", "keras"], ["pytorch", "tensor"],
        ["keras", "loss-function"], ["tensorflow", "gpu", "cuda"],
        ["python", "pytorch", "valueerror"], ["keras", "layer", "model"],
        ["tensorflow", "training-data"], ["pytorch", "nvidia"],
        ["python", "attributeerror", "keras"], ["tensorflow", "optimization"]]
ERRORS = ["ValueError: Input 0 of layer dense is incompatible with the layer",
          "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB",
          "AttributeError: 'Tensor' object has no attribute 'numpy'",
          "RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x512 "
          "and 256x10)",
          "ImportError: cannot import name 'Adam' from 'keras.optimizers'",
          "TypeError: forward() missing 1 required positional argument"]
CODE = ["import tensorflow as tf\nfrom tensorflow import keras\n\n"
        "model = keras.Sequential([\n    keras.layers.Dense(%d, "
        "activation='relu', input_shape=(%d,)),\n    keras.layers.Dropout(0.%d),"
        "\n    keras.layers.Dense(10, activation='softmax')\n])\n"
        "model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.00%d),\n"
        "              loss='sparse_categorical_crossentropy')\n"
        "model.fit(x_train, y_train, epochs=%d, batch_size=32)\n",
        "import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n"
        "        self.fc1 = nn.Linear(%d, %d)\n        self.drop = nn.Dropout(0.%d)"
        "\n    def forward(self, x):\n        return self.drop(self.fc1(x))\n\n"
        "opt = torch.optim.SGD(net.parameters(), lr=0.0%d)\n"
        "for epoch in range(%d):\n    loss = criterion(net(x), y)\n"
        "    loss.backward()\n    opt.step()\n"]


def sentence(rnd, n):
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


def body(rnd, i):
    parts = ["<p>%s %s</p>" % (sentence(rnd, 14), sentence(rnd, 10))]
    code = rnd.choice(CODE) % (rnd.randint(16, 512), rnd.randint(8, 784),
                               rnd.randint(1, 5), rnd.randint(1, 9),
                               rnd.randint(1, 100))
    parts.append("<pre><code>%s</code></pre>" %
                 code.replace("&", "&amp;").replace("<", "&lt;")
                 .replace(">", "&gt;"))
    parts.append("<p>I get this error:</p>")
    tb = ["Traceback (most recent call last):"]
    for d in range(rnd.randint(2, 8)):
        tb.append('  File "/usr/lib/python3.8/site-packages/%s/engine/'
                  'training.py", line %d, in %s' %
                  (rnd.choice(["keras", "torch", "tensorflow"]),
                   rnd.randint(10, 3000), rnd.choice(WORDS)))
        tb.append("    %s" % sentence(rnd, 5))
    tb.append(rnd.choice(ERRORS))
    parts.append("<pre><code>%s</code></pre>" % "\n".join(tb)
                 .replace("'", "&#39;"))
    for _ in range(rnd.randint(0, 6)):
        parts.append("<p>%s <code>%s()</code> %s</p>" % (
            sentence(rnd, 12), rnd.choice(WORDS), sentence(rnd, 8)))
    if i % 3 == 0:
        parts.append("<ul><li>%s</li><li>%s</li></ul>" %
                     (sentence(rnd, 6), sentence(rnd, 6)))
    return "\n".join(parts)


def write_posts(n, path):
    rnd = random.Random(1234)
    with open(path, "w") as f:
        for i in range(1, n + 1):
            title = "%s %s when %s" % (rnd.choice(["Why", "How to fix",
                                                   "Keras", "PyTorch"]),
                                       " ".join(rnd.choice(WORDS)
                                                for _ in range(5)),
                                       " ".join(rnd.choice(WORDS)
                                                for _ in range(3)))
            f.write(json.dumps({
                "question_id": i, "title": title,
                "tags": rnd.choice(TAGS), "score": rnd.randint(-3, 60),
                "creation_date": 1500000000 + i * 3000,
                "link": "https://stackoverflow.com/questions/%d" % i,
                "body": body(rnd, i)}) + "\n")


ACTIONS = ["input-data-generation", "network-construction",
           "hyperparameter-initialization", "import-addition", "logging",
           "obsolete-parameter-removal", "compiler-error-resolution",
           "dataset-procurement", "model-download", "version-migration"]


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc) \
        .strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def write_sessions(n, posts, path):
    """n stopped sessions in export --format jsonl form over posts."""
    rnd = random.Random(7)
    with open(path, "w") as f:
        for i in range(n):
            t = 1600000000 + i * 3600 + rnd.random()
            act = 0.0
            ev = [{"seq": 1, "kind": "start", "at": iso(t), "t": t,
                   "active_seconds": 0, "action": None,
                   "data": {"present": ["model", "code"],
                            "missing": ["data"], "source": "analysis"}}]
            for _ in range(rnd.randint(1, 12)):
                dt = rnd.uniform(30, 600)
                t += dt
                act += dt
                if rnd.random() < 0.7:
                    ev.append({"kind": "tick", "at": iso(t), "t": t,
                               "active_seconds": act,
                               "action": rnd.choice(ACTIONS), "data": None})
                else:
                    ev.append({"kind": "pause", "at": iso(t), "t": t,
                               "active_seconds": act, "action": None,
                               "data": None})
                    t += rnd.uniform(60, 900)
                    ev.append({"kind": "resume", "at": iso(t), "t": t,
                               "active_seconds": act, "action": None,
                               "data": None})
            dt = rnd.uniform(30, 600)
            t += dt
            act += dt
            out = rnd.choice(["reproduced", "reproduced", "not-reproduced",
                              "abandoned"])
            d = {"outcome": out, "effort": rnd.choice(["easy", "medium",
                                                       "hard"])}
            if out == "not-reproduced":
                d["reason"] = "missing-data"
            ev.append({"kind": "stop", "at": iso(t), "t": t,
                       "active_seconds": act, "action": None, "data": d})
            for k, e in enumerate(ev):
                e["seq"] = k + 1
            f.write(json.dumps({
                "uuid": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                "post": posts[i % len(posts)], "events": ev}) + "\n")


def measure(argv, stdin=None):
    """(seconds, peak RSS in MB, exit status) of one run, output dropped."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, stdin=stdin)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return (time.monotonic() - t0, ru.ru_maxrss / 1024.0, p.returncode,
            err.decode("utf-8", "replace").strip())


def row(name, argv):
    s, mb, rc, err = measure(argv)
    print("%-36s %8.2f s %7.1f MB%s" % (name, s, mb,
                                        "" if rc == 0 else
                                        "  (exit %d: %s)" % (rc, err[:60])))
    return rc


def bench(binary):
    n = int(os.environ.get("BENCH_POSTS", "100000"))
    nsess = int(os.environ.get("BENCH_SESSIONS", "3000"))
    nsp = min(n, int(os.environ.get("BENCH_SESSION_POSTS", "1000")))
    tmp = tempfile.mkdtemp(prefix="dlrepro-cli-bench-")
    db = os.path.join(tmp, "store.db")
    dl = [binary, "--db", db]
    try:
        write_posts(n, os.path.join(tmp, "posts.jsonl"))
        rnd = random.Random(99)
        posts = ["so:%d" % rnd.randint(1, n) for _ in range(nsp)]
        by_cmd = min(nsess, 100)
        write_sessions(nsess - by_cmd, posts,
                       os.path.join(tmp, "sessions.jsonl"))
        print("store: %d posts, %d sessions over %d posts, 1-3 KB HTML "
              "bodies" % (n, nsess, nsp))
        print("%-36s %10s %10s" % ("command", "wall", "peak RSS"))
        row("import (and analyse)", dl + ["import", "--quiet",
                                          os.path.join(tmp, "posts.jsonl")])
        os.unlink(os.path.join(tmp, "posts.jsonl"))
        row("import-sessions", dl + ["import-sessions",
                                     os.path.join(tmp, "sessions.jsonl")])
        # the rest as a user would: start, tick, pause, resume, stop
        for i in range(by_cmd):
            post = posts[(i * 7) % nsp]
            cmds = [["start", post], ["tick", "logging"], ["pause"],
                    ["resume"], ["tick", "import-addition"],
                    ["stop", "--outcome",
                     ("reproduced", "abandoned")[i % 2]]]
            for c in cmds:
                if i == by_cmd - 1:
                    row("session " + c[0], dl + ["session"] + c)
                else:
                    subprocess.run(dl + ["session"] + c, check=True,
                                   stdout=subprocess.DEVNULL)
        row("session status --json", dl + ["session", "status", "--json"])
        mid = "so:%d" % (n // 2)
        for name, args in [
                ("list --limit 20", ["list", "--limit", "20"]),
                ("list (all)", ["list"]),
                ("list --json (all)", ["list", "--json"]),
                ("list --type gpu", ["list", "--type", "gpu"]),
                ("list --missing data", ["list", "--missing", "data"]),
                ("list --search cuda --limit 20",
                 ["list", "--search", "cuda", "--limit", "20"]),
                ("list --search cuda (all)", ["list", "--search", "cuda"]),
                ("list --search 'tf.keras' --limit 20",
                 ["list", "--search", "tf.keras", "--limit", "20"]),
                ("list --sort title --desc --limit 20",
                 ["list", "--sort", "title", "--desc", "--limit", "20"]),
                ("show " + mid, ["show", mid]),
                ("analyze " + mid, ["analyze", mid]),
                ("analyze --json " + mid, ["analyze", "--json", mid]),
                ("analyze --all", ["analyze", "--all"]),
                ("history", ["history"]),
                ("history --json", ["history", "--json"]),
                ("stats", ["stats"]),
                ("stats --json", ["stats", "--json"]),
                ("export --format csv", ["export", "--format", "csv"]),
                ("export --format jsonl", ["export", "--format", "jsonl"]),
                ("export --format replication",
                 ["export", "--format", "replication", "--out",
                  os.path.join(tmp, "rep")]),
                ("delete (a post without sessions)",
                 ["delete", "so:%d" % (n // 3)]),
                ("import (10 more posts)", None)]:
            if args is None:
                more = os.path.join(tmp, "more.jsonl")
                with open(more, "w") as f:
                    for i in range(10):
                        f.write(json.dumps({
                            "question_id": n + 1 + i,
                            "title": "Another post %d" % i,
                            "tags": ["pytorch"], "body": "<p>cuda</p>",
                            "creation_date": 1700000000}) + "\n")
                args = ["import", "--quiet", more]
            row(name, dl + args)
        print("store size: %.0f MB" % (os.path.getsize(db) / 1048576.0))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "posts":
        write_posts(int(sys.argv[2]), sys.argv[3])
        return 0
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    return bench(sys.argv[1])


if __name__ == "__main__":
    sys.exit(main())
