#!/usr/bin/env python3
"""End-to-end tests of `dlrepro fetch` and `dlrepro config` against the
loopback mock (tests/mock/mockapi.py), one test per scenario of API_NOTES
section 5.  Each test asserts the exit status, the message, the stored rows
(through `dlrepro list --json`, or sqlite3 for answers) and the NUMBER of
requests the mock received, and that every request passed the mock's
checks.  Prints TAP.

DLREPRO_TEST_TIME_SCALE (a documented test hook) shrinks the program's own
timeouts and backoff; waits the mock names (backoff, retry-after, reset)
are real but small.
"""

import json
import re
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

TOP = os.environ.get("TOP_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("DLREPRO_BIN", os.path.join(TOP, "src", "dlrepro"))
MOCK = os.path.join(TOP, "tests", "mock", "mockapi.py")
PY = os.environ.get("PYTHON3", sys.executable)
SCALE = "0.05"

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Fail(Exception):
    pass


def check(cond, what, *info):
    if not cond:
        raise Fail(what + ("\n" + "\n".join(str(i) for i in info) if info else ""))


class Mock:
    def __init__(self, tmp):
        self.portfile = os.path.join(tmp, "mock.port")
        self.proc = subprocess.Popen([PY, MOCK, "--port-file", self.portfile],
                                     stdout=subprocess.DEVNULL)
        for _ in range(100):
            if os.path.exists(self.portfile):
                break
            time.sleep(0.05)
        with open(self.portfile) as f:
            self.port = int(f.read())
        self.base = "http://127.0.0.1:%d" % self.port

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=10) as r:
            return r.read()

    def scenario(self, se="gzip", gh="ok", key=""):
        self.get("/_reset")
        self.get("/_scenario?se=%s&gh=%s&key=%s" % (se, gh, key))

    def log(self, api=None):
        entries = json.loads(self.get("/_log"))
        return [e for e in entries if api is None or e["api"] == api]

    def stop(self):
        try:
            self.get("/_quit")
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Env:
    """A fresh HOME, config dir and database for one test."""

    def __init__(self, mock):
        self.mock = mock
        self.dir = tempfile.mkdtemp(prefix="dlrepro-fetch.")
        self.db = os.path.join(self.dir, "t.db")
        self.env = dict(os.environ)
        for k in ("DLREPRO_DB", "DLREPRO_SE_KEY", "GITHUB_TOKEN",
                  "DLREPRO_SE_API", "DLREPRO_GITHUB_API", "http_proxy",
                  "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                  "all_proxy", "NO_PROXY", "no_proxy"):
            self.env.pop(k, None)
        self.env.update({
            "HOME": os.path.join(self.dir, "home"),
            "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
            "XDG_DATA_HOME": os.path.join(self.dir, "data"),
            "DLREPRO_SE_API": mock.base + "/2.3",
            "DLREPRO_GITHUB_API": mock.base + "/gh",
            "DLREPRO_TEST_TIME_SCALE": SCALE,
            "TZ": "UTC", "LC_ALL": "C.UTF-8",
        })
        os.makedirs(self.env["HOME"])

    def config(self, text):
        d = os.path.join(self.env["XDG_CONFIG_HOME"], "dlrepro")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "config"), "w") as f:
            f.write(text)

    def run(self, *args, env=None, timeout=60):
        e = dict(self.env)
        if env:
            e.update(env)
        t0 = time.monotonic()
        p = subprocess.run([BIN, "--db", self.db] + list(args), env=e,
                           capture_output=True, text=True, timeout=timeout)
        self.elapsed = time.monotonic() - t0
        return p.returncode, p.stdout, p.stderr

    def fetch(self, *args, **kw):
        return self.run("fetch", *args, **kw)

    def ids(self):
        rc, out, err = self.run("list", "--json")
        check(rc == 0, "list failed", err)
        return [json.loads(l)["id"] for l in out.splitlines() if l.strip()]

    def posts(self):
        rc, out, err = self.run("list", "--json")
        check(rc == 0, "list failed", err)
        return {o["id"]: o for o in (json.loads(l) for l in out.splitlines() if l.strip())}

    def sql(self, q):
        if not os.path.exists(self.db):
            return []
        c = sqlite3.connect(self.db)
        try:
            return c.execute(q).fetchall()
        finally:
            c.close()

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def no_problems(log):
    bad = [(e["path"], e["problems"]) for e in log if e["problems"]]
    check(not bad, "the mock flagged requests", bad)


def one_line(err):
    lines = [l for l in err.splitlines() if l.strip()]
    check(len(lines) == 1, "expected one line on stderr", err)
    return lines[0]


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---------------------------------------------------------------- tests ----

@test
def gzip_and_entities(m, e):
    """200 gzip: parsed, stored, titles decoded once; then list shows them"""
    m.scenario("gzip")
    rc, out, err = e.fetch("111", "112")
    check(rc == 0, "exit 0", rc, err)
    log = m.log("se")
    check(len(log) == 1, "one request", len(log))
    no_problems(log)
    q = log[0]["query"]
    check(q.get("site") == "stackoverflow" and q.get("filter") == "withbody"
          and q.get("pagesize") == "100", "site/filter/pagesize sent", q)
    check("gzip" in log[0]["headers"].get("accept-encoding", ""), "Accept-Encoding gzip")
    check(log[0]["headers"].get("user-agent", "").startswith("dlrepro/"), "User-Agent")
    posts = e.posts()
    check(set(posts) == {"so:111", "so:112"}, "stored", posts.keys())
    check(posts["so:111"]["title"] == 'Model doesn\'t converge with "adam" & S\u00e3o Paulo data',
          "entities decoded once", posts["so:111"]["title"])
    check("fetched 2 posts" in out, "summary", out)


@test
def batches_and_second_fetch(m, e):
    """250 ids take 3 requests of <=100 ids; a second fetch takes none"""
    m.scenario("gzip")
    ids = [str(i) for i in range(1000, 1250)]
    rc, out, err = e.fetch(*ids)
    check(rc == 0, "exit 0", rc, err)
    log = m.log("se")
    check(len(log) == 3, "ceil(250/100) = 3 requests", len(log))
    no_problems(log)
    sizes = sorted(len(x["path"].split("/")[-1].split(";")) for x in log)
    check(sizes == [50, 100, 100], "batch sizes", sizes)
    check(len(e.ids()) == 250, "250 stored")
    rc, out, err = e.fetch(*ids)
    check(rc == 0 and len(m.log("se")) == 3, "second fetch sends nothing", len(m.log("se")))
    check("250 already fresh" in out, "says fresh", out)
    rc, out, err = e.fetch("--refresh", "1000", "1001")
    check(rc == 0 and len(m.log("se")) == 4, "--refresh fetches again")
    rc, out, err = e.fetch("--max-age", "0", "1000")
    check(rc == 0 and len(m.log("se")) == 5, "--max-age 0 fetches again")
    rc, out, err = e.fetch("--max-age", "12h", "1000")
    check(rc == 0 and len(m.log("se")) == 5, "--max-age 12h keeps it fresh")
    rc, out, err = e.fetch("--max-age", "soon", "1000")
    check(rc == 2 and "duration" in err, "bad --max-age is a usage error", rc, err)


@test
def encodings(m, e):
    """deflate (zlib and raw), gzip without Content-Encoding, identity"""
    for i, sc in enumerate(["deflate-zlib", "deflate-raw", "gzip-noheader", "identity"]):
        m.scenario(sc)
        rc, out, err = e.fetch(str(2000 + i))
        check(rc == 0, sc + ": exit 0", rc, err)
        check(len(m.log("se")) == 1, sc + ": one request")
    check(len(e.ids()) == 4, "4 stored", e.ids())


@test
def missing_ids(m, e):
    """/questions/1;2;3 returns 1 and 3: so:2 named on stderr, exit 0"""
    m.scenario("gzip")
    rc, out, err = e.fetch("1", "2", "3")
    check(rc == 0, "exit 0", rc, err)
    check(one_line(err) == "dlrepro: so:2 not found (deleted or never existed)", "warning", err)
    check(len(m.log("se")) == 1, "one request")
    check(sorted(e.ids()) == ["so:1", "so:3"], "1 and 3 stored", e.ids())


@test
def urls_and_sites(m, e):
    """question URLs, /q/ short links, other sites, --site, bad ids"""
    m.scenario("gzip")
    rc, out, err = e.fetch("https://stackoverflow.com/questions/3001/some-slug",
                           "https://stackoverflow.com/q/3002", "so:3003",
                           "https://ai.stackexchange.com/questions/77/x")
    check(rc == 0, "exit 0", rc, err)
    log = m.log("se")
    check(len(log) == 2, "one request per site", [x["path"] for x in log])
    sites = sorted(x["query"]["site"] for x in log)
    check(sites == ["ai", "stackoverflow"], "site parameter", sites)
    check(sorted(e.ids()) == ["se:ai:77", "so:3001", "so:3002", "so:3003"], "ids", e.ids())
    rc, out, err = e.fetch("--site", "datascience", "78")
    check(rc == 0 and "se:datascience:78" in e.ids(), "--site", rc, err)
    n = len(m.log("se"))
    rc, out, err = e.fetch("abc")
    check(rc == 2 and "'abc'" in err and len(m.log("se")) == n,
          "bad id: usage error, nothing sent", rc, err)
    rc, out, err = e.fetch("https://example.com/questions/1")
    check(rc == 2 and len(m.log("se")) == n, "foreign URL refused", rc, err)
    rc, out, err = e.fetch()
    check(rc == 2, "nothing to fetch is a usage error", rc, err)


@test
def meta_sites(m, e):
    """meta.stackoverflow.com and other meta sites: the right site parameter"""
    m.scenario("gzip")
    rc, out, err = e.fetch("https://meta.stackoverflow.com/questions/5/x",
                           "https://meta.stackexchange.com/q/6")
    check(rc == 0, "exit 0", rc, err)
    sites = sorted(x["query"]["site"] for x in m.log("se"))
    check(sites == ["meta", "meta.stackoverflow"], "site parameters", sites)
    check(sorted(e.ids()) == ["se:meta.stackoverflow:5", "se:meta:6"], "ids", e.ids())


@test
def backoff_obeyed(m, e):
    """backoff 2: same method waits (also in the next run), others do not"""
    m.scenario("backoff2")
    ids = [str(i) for i in range(4000, 4150)]
    rc, out, err = e.fetch(*ids)
    check(rc == 0, "exit 0 (no backoff violation)", rc, err)
    log = m.log("se")
    check(len(log) == 2, "two requests", len(log))
    gap = log[1]["t"] - log[0]["t"]
    check(gap >= 1.9, "second batch waited for the backoff", gap)
    rc, out, err = e.fetch("4200")
    log = m.log("se")
    check(rc == 0 and len(log) == 3, "next run succeeds", rc, err)
    check(log[2]["t"] - log[1]["t"] >= 1.9, "backoff remembered across runs",
          log[2]["t"] - log[1]["t"])
    t0 = time.time()
    rc, out, err = e.fetch("--search", "--tagged", "keras")
    log = m.log("se")
    check(rc == 0, "search allowed", rc, err)
    check(log[3]["path"].endswith("/search/advanced") and log[3]["t"] - t0 < 1.5,
          "another method is not held back", log[3]["t"] - t0)


@test
def quota_low_warning(m, e):
    """quota_remaining below 10% of quota_max: warned, still exit 0"""
    m.scenario("quota-low")
    rc, out, err = e.fetch("5")
    check(rc == 0, "exit 0", rc, err)
    check("quota low: 20 of 300 requests left" in err, "warning", err)
    check("20 of 300" in out, "quota shown", out)
    rc, out, err = e.run("config")
    check("quota 20 of 300 left" in out, "config shows the quota", out)


@test
def quota_exhausted(m, e):
    """400/502 'available in 300 seconds': reported, remembered, no more calls"""
    m.scenario("quota-exhausted")
    rc, out, err = e.fetch("5", "6")
    line = one_line(err)
    check(rc == 1, "exit 1", rc)
    check(line.startswith("dlrepro: GET /questions/5;6: quota exhausted, requests "
                          "possible again in 300 s (at ") and line.endswith("Z)"), "message", line)
    check(len(m.log("se")) == 1, "one request", len(m.log("se")))
    check(e.ids() == [], "nothing stored")
    rc, out, err = e.fetch("7")
    line = one_line(err)
    check(rc == 1 and re.search(r"quota exhausted, requests possible again in (2\d\d|300) s", line),
          "second run refused", line)
    check(len(m.log("se")) == 1, "no request in the second run", len(m.log("se")))
    rc, out, err = e.run("config")
    check("requests possible again in" in out, "config shows the wait", out)


@test
def quota_zero(m, e):
    """quota_remaining 0: the batch is stored, no further calls this run"""
    m.scenario("quota-zero")
    rc, out, err = e.fetch(*[str(i) for i in range(6000, 6150)])
    line = one_line(err)
    check(rc == 1 and "quota exhausted (0 of 300 requests left)" in line, "message", rc, err)
    check(len(m.log("se")) == 1, "one request", len(m.log("se")))
    check(len(e.ids()) == 100, "first batch kept", len(e.ids()))
    # A later run asks again; the server then names the wait.
    rc, out, err = e.fetch("6149")
    check(rc == 1 and "requests possible again in 300 s" in err, "server names the wait", err)
    rc, out, err = e.run("config")
    check(re.search(r"\*: quota 0 of 300 left, requests possible again in (2\d\d|300) s\n", out),
          "config: the quota and the wait, apart", out)


@test
def throttle_html(m, e):
    """HTML 503 page: transient, retried; persistent: given up after 4 tries"""
    m.scenario("throttle-html-once")
    rc, out, err = e.fetch("7")
    check(rc == 0 and len(m.log("se")) == 2 and e.ids() == ["so:7"], "retried once", rc, err)
    m.scenario("throttle-html")
    rc, out, err = e.fetch("8")
    line = one_line(err)
    check(rc == 1 and line == "dlrepro: GET /questions/8: HTML page instead of JSON "
          "(HTTP 503) after 4 tries", "message", line)
    check(len(m.log("se")) == 4, "4 tries", len(m.log("se")))
    check("so:8" not in e.ids(), "nothing stored")


@test
def connection_reset(m, e):
    """a reset connection is transient"""
    m.scenario("reset-once")
    rc, out, err = e.fetch("9")
    check(rc == 0 and len(m.log("se")) == 2 and e.ids() == ["so:9"], "retried", rc, err)


@test
def api_errors(m, e):
    """error_id 400/404 not retried; 500 and HTTP 500 retried 4 times; 503 once"""
    for sc, want, n in [("error400", "error 400 bad_parameter: ids", 1),
                        ("error404", "error 404 no_method", 1),
                        ("error500", "error 500 internal_error: something broke after 4 tries", 4),
                        ("http500", "HTTP 500 after 4 tries", 4)]:
        m.scenario(sc)
        rc, out, err = e.fetch("10")
        line = one_line(err)
        check(rc == 1, sc + ": exit 1", rc)
        check(line.startswith("dlrepro: GET /questions/10: ") and want in line, sc + ": message", line)
        check(len(m.log("se")) == n, sc + ": %d requests" % n, len(m.log("se")))
    check(e.ids() == [], "nothing stored")
    m.scenario("error503-once")
    rc, out, err = e.fetch("10")
    check(rc == 0 and len(m.log("se")) == 2 and e.ids() == ["so:10"], "503 retried", rc, err)


@test
def malformed_json(m, e):
    """truncated, empty, wrong types: one clean line, nothing stored"""
    for sc, want in [("truncated-json", "malformed JSON"),
                     ("empty", "empty response"),
                     ("items-not-array", "field 'items' must be an array"),
                     ("qid-string", "question_id")]:
        m.scenario(sc)
        rc, out, err = e.fetch("11", "12")
        line = one_line(err)
        check(rc == 1 and line.startswith("dlrepro: GET /questions/11;12: ") and want in line,
              sc + ": message", rc, line)
        check(len(m.log("se")) == 1, sc + ": not retried", len(m.log("se")))
    check(e.ids() == [], "nothing stored", e.ids())
    m.scenario("html200")
    rc, out, err = e.fetch("11")
    check(rc == 1 and "HTML page instead of JSON (HTTP 200)" in err, "HTML 200", err)
    m.scenario("body-null")
    rc, out, err = e.fetch("13")
    check(rc == 0 and e.ids() == ["so:13"], "null body stored as empty", rc, err)


@test
def truncated_bodies(m, e):
    """short Content-Length, chunked without terminator, cut-off gzip"""
    for sc, want in [("short-cl", "truncated response (curl 18"),
                     ("chunked-cut", "(curl 18"),
                     ("gzip-cut", "bad compressed data")]:
        m.scenario(sc)
        rc, out, err = e.fetch("14")
        line = one_line(err)
        check(rc == 1 and want in line and line.endswith("after 4 tries"), sc + ": message", line)
        check(len(m.log("se")) == 4, sc + ": retried", len(m.log("se")))
    check(e.ids() == [], "nothing stored")


@test
def slow_servers(m, e):
    """silent server and 1 byte per 2 s: timed out; closed port: cannot connect"""
    fast = {"DLREPRO_TEST_TIME_SCALE": "0.02"}
    for sc in ("silent", "drip"):
        m.scenario(sc)
        rc, out, err = e.fetch("15", env=fast)
        line = one_line(err)
        check(rc == 1 and "timed out (curl 28" in line, sc + ": message", line)
        check(e.elapsed < 6, sc + ": given up quickly (scaled budget)", e.elapsed)
    port = closed_port()
    rc, out, err = e.fetch("--api-base", "http://127.0.0.1:%d/2.3" % port, "15", env=fast)
    line = one_line(err)
    check(rc == 1 and "cannot connect (curl 7" in line, "closed port", line)
    check(e.ids() == [], "nothing stored")


@test
def oversized(m, e):
    """40 MB body, gzip bomb with and without header: capped, not retried"""
    for sc in ("oversize", "gzip-bomb", "gzip-bomb-noheader"):
        m.scenario(sc)
        rc, out, err = e.fetch("16")
        line = one_line(err)
        check(rc == 1 and "response larger than 33554432 bytes" in line, sc + ": message", line)
        check(len(m.log("se")) == 1, sc + ": one request", len(m.log("se")))
    check(e.ids() == [], "nothing stored")


@test
def dead_proxy(m, e):
    """http_proxy pointing at a dead port: loopback still reached directly"""
    m.scenario("gzip")
    dead = "http://127.0.0.1:%d" % closed_port()
    rc, out, err = e.fetch("17", env={"http_proxy": dead, "HTTPS_PROXY": dead,
                                      "ALL_PROXY": dead, "https_proxy": dead})
    check(rc == 0 and e.ids() == ["so:17"], "fetched", rc, err)


@test
def key_handling(m, e):
    """key from the config file or environment; never printed or stored"""
    secret = "SeKrEtKeY((42"
    m.scenario("gzip", key=secret)
    e.config("# my settings\nse_key = %s\nmax_age = 2d\n" % secret)
    rc, out, err = e.fetch("18")
    check(rc == 0, "exit 0", rc, err)
    no_problems(m.log("se"))
    check(secret not in out + err, "not printed")
    rc, out, err = e.run("config")
    check(rc == 0 and "se_key        set (config file)" in out, "config shows set", out)
    check("max_age       2d (config file)" in out, "max_age from the file", out)
    check(secret not in out, "config hides it")
    # An error path must not leak it either.
    m.scenario("error400", key=secret)
    rc, out, err = e.fetch("--refresh", "18")
    check(rc == 1 and secret not in err, "error hides it", err)
    e.config("")
    m.scenario("gzip", key="EnvKey77")
    rc, out, err = e.fetch("19", env={"DLREPRO_SE_KEY": "EnvKey77"})
    check(rc == 0, "key from the environment", rc, err)
    no_problems(m.log("se"))
    rc, out, err = e.run("config", env={"DLREPRO_SE_KEY": "EnvKey77"})
    check("se_key        set (environment)" in out and "EnvKey77" not in out, "origin", out)
    rc, out, err = e.fetch("--key", "x", "20")
    check(rc == 2 and "never taken from the command line" in err, "--key refused", rc, err)
    with open(e.db, "rb") as f:
        data = f.read()
    for suffix in ("-wal",):
        if os.path.exists(e.db + suffix):
            with open(e.db + suffix, "rb") as f:
                data += f.read()
    check(secret.encode() not in data and b"EnvKey77" not in data, "not in the database")


def db_text(e):
    """Every row of the database as SQL text (iterdump), for secret greps."""
    if not os.path.exists(e.db):
        return ""
    c = sqlite3.connect(e.db)
    try:
        return "\n".join(c.iterdump())
    finally:
        c.close()


@test
def secrets_redacted(m, e):
    """servers that echo the key/token: never printed, noted or stored"""
    key, token = "SEKEYzz9(", "GHTOKqq7"
    enc = "SEKEYzz9%28"
    env = {"DLREPRO_SE_KEY": key, "GITHUB_TOKEN": token}
    m.scenario("gzip", gh="ok")
    rc, out, err = e.fetch("111", env=env)
    check(rc == 0, "a post stored first", rc, err)
    m.scenario("echo")
    rc, out, err = e.fetch("5", env=env)
    line = one_line(err)
    check(rc == 1 and line.startswith("dlrepro: GET /questions/5: error 400 "
                                      "bad_parameter: you asked "), "SE message kept", rc, line)
    check(key not in out + err and enc not in out + err and "SEKEYzz9" not in err,
          "SE key not printed", err)
    check("key=***" in line, "key= value masked", line)
    for gh in ("echo", "echo418"):
        m.scenario(gh="%s" % gh)
        rc, out, err = e.fetch("--github", "a/b#1", env=env)
        line = one_line(err)
        check(rc == 1 and "HTTP 4" in line and "Forbidden: you asked GET /gh/repos/a/b/issues/1"
              in line, gh + ": message kept", rc, line)
        check(token not in out + err, gh + ": token not printed", err)
        check("Bearer ***" in line, gh + ": Bearer value masked", line)
    # The key of a file and the same server: nothing in the --json output.
    m.scenario("echo", gh="echo")
    rc, out, err = e.fetch("--json", "6", "--github", "a/b#2", env=env)
    check(rc == 1 and key not in out + err and token not in out + err, "--json run", out, err)
    # The dashboard's way (fetch_job_error and the status line).
    m.scenario("echo")
    r = loop(m, e, "7", env={"DLREPRO_SE_KEY": key})
    check(r["status"] == "failed" and "bad_parameter" in r["error"], "loop failed", r)
    check(key not in json.dumps(r) and "SEKEYzz9" not in r["error"] + r["status_line"],
          "loop: error and status line redacted", r)
    dump = db_text(e)
    check("so:111" in dump, "dump has the stored post")
    for s in (key, enc, "SEKEYzz9", token):
        check(s not in dump, "%s not in the database" % s)


@test
def server_escapes(m, e):
    """a GitHub message with escape sequences: dropped whole, not half"""
    m.scenario(gh="esc")
    rc, out, err = e.fetch("--github", "a/b#1")
    line = one_line(err)
    check(rc == 1 and "HTTP 418: bad" in line and "thing" in line, "message kept", rc, line)
    check("\x1b" not in err and "\x07" not in err, "no control bytes", repr(err))
    check("[31m" not in line and "[0m" not in line and "pwned" not in line,
          "escape sequences dropped whole", repr(line))


@test
def config_command(m, e):
    """config: origins of each setting; a bad line names file and line"""
    rc, out, err = e.run("config", "--api-base", "http://127.0.0.1:9/x")
    check(rc == 0, "exit 0", rc, err)
    check("se_api        http://127.0.0.1:9/x (option)" in out, "option origin", out)
    check("github_api    %s/gh (environment)" % m.base in out, "env origin", out)
    check("site          stackoverflow (default)" in out, "default origin", out)
    check("github_token  unset (default)" in out, "token unset", out)
    check("database      %s (option)" % e.db in out, "db path", out)
    rc, out, err = e.run("config", "--json")
    j = json.loads(out)
    check(j["se_key"] == {"value": "unset", "origin": "default"}, "json", j)
    e.config("site = stackoverflow\n\nbogus line here\n")
    rc, out, err = e.run("config")
    path = os.path.join(e.env["XDG_CONFIG_HOME"], "dlrepro", "config")
    check(rc == 1 and one_line(err) == "dlrepro: %s:3: expected 'key = value'" % path,
          "bad line", rc, err)
    e.config("colour = red\n")
    rc, out, err = e.fetch("1")
    check(rc == 1 and ":1: unknown key 'colour'" in err, "unknown key", rc, err)


@test
def config_file_forms(m, e):
    """config file: a UTF-8 BOM, quoted values, comments after a value"""
    e.config("\ufeffsite = math # the maths site\nse_key = \"QuotedKey1\"\n"
             "max_age = '2d'\t# two days\n")
    rc, out, err = e.run("config")
    check(rc == 0, "exit 0", rc, err)
    check("site          math (config file)" in out, "BOM skipped, comment dropped", out)
    check("max_age       2d (config file)" in out, "quotes stripped", out)
    m.scenario("gzip", key="QuotedKey1")
    rc, out, err = e.fetch("5")
    check(rc == 0 and m.log("se")[0]["query"].get("key") == "QuotedKey1"
          and m.log("se")[0]["query"].get("site") == "math", "key sent without quotes", rc, err)
    no_problems(m.log("se"))
    e.config("se_key = \"unterminated\n")
    rc, out, err = e.run("config")
    check(rc == 1 and one_line(err).endswith(":1: se_key: no closing \"") and
          "unterminated" not in err, "unmatched quote named, value not shown", rc, err)


@test
def search(m, e):
    """--search: server-side query, paging, client-side criteria, report"""
    m.scenario("gzip")
    rc, out, err = e.fetch("--search", "--tagged", "tensorflow")
    check(rc == 0, "exit 0", rc, err)
    log = m.log("se")
    check(len(log) == 2, "two pages", len(log))
    no_problems(log)
    q = log[0]["query"]
    for k, v in [("tagged", "tensorflow"), ("nottagged", "pytorch;keras"), ("accepted", "true"),
                 ("sort", "votes"), ("min", "1"), ("order", "desc"), ("page", "1")]:
        check(q.get(k) == v, "query %s=%s" % (k, v), q)
    check(log[1]["query"]["page"] == "2", "page 2")
    now = time.time()
    check(abs(int(q["todate"]) - now) < 120 and
          abs(now - int(q["fromdate"]) - 3 * 365.25 * 86400) < 3 * 86400, "last three years", q)
    check(sorted(e.ids()) == ["so:5001", "so:5011"], "kept", e.ids())
    check("search: 9 hits, 2 kept, 7 dropped (tags 1, title 3, accepted-answer 0, score 1, code 2)"
          in out, "report", out)
    e2 = Env(m)
    try:
        m.scenario("gzip")
        rc, out, err = e2.fetch("--search", "--json")
        j = json.loads(out)
        check(rc == 0 and j["stored"] == 4 and len(m.log("se")) == 4, "all three frameworks", j)
        check(sorted(e2.ids()) == ["so:5001", "so:5011", "so:5012", "so:5013"], "kept", e2.ids())
        m.scenario("gzip")
        rc, out, err = e2.fetch("--search", "--tagged", "tensorflow", "--max", "1", "--json")
        j = json.loads(out)
        check(rc == 0 and j["stored"] == 1 and j["kept"] == 1 and len(m.log("se")) == 1,
              "--max 1", out)
        check(j["seen"] == j["kept"] + j["over_max"] + sum(j["dropped"].values()),
              "hits = kept + past --max + dropped", out)
        m.scenario("gzip")
        rc, out, err = e2.fetch("--search", "--tagged", "tensorflow", "--refresh", "111")
        check(rc == 0 and "fetched 1 post\n" in out and
              "search: 9 hits, 2 kept, 7 dropped (" in out,
              "a post named beside a search is counted apart from the hits", out)
        m.scenario("gzip")
        rc, out, err = e2.fetch("--search", "--tagged", "tensorflow", "--from", "2010-01-01",
                                "--to", "2030-12-31", "--json")
        q = m.log("se")[0]["query"]
        check(rc == 0 and q["fromdate"] == "1262304000" and q["todate"] == "1924991999", "dates", q)
        check(json.loads(out)["stored"] == 3, "old post inside the window", out)
        m.scenario("gzip")
        rc, out, err = e2.fetch("--search", "--tagged", "tensorflow", "--from", "1900-01-01",
                                "--to", "2030-12-31", "--json")
        q = m.log("se")[-1]["query"]
        check(rc == 0 and q["fromdate"] == "0", "a --from before 1970 asks from 0", q)
        rc, out, err = e2.fetch("--search", "--from", "1900-01-01", "--to", "1950-01-01")
        check(rc == 2 and "--to 1950-01-01 is before 1970" in err, "--to before 1970", rc, err)
        rc, out, err = e2.fetch("--search", "--tagged", "theano")
        check(rc == 2 and "theano" in err, "bad --tagged", rc, err)
        rc, out, err = e2.fetch("--tagged", "keras", "1")
        check(rc == 2, "--tagged needs --search", rc)
    finally:
        e2.cleanup()


def search_log(m):
    return [(x["query"].get("tagged"), x["query"].get("page")) for x in m.log("se")]


@test
def search_max_shared(m, e):
    """--search --max N is shared among the frameworks, round-robin"""
    m.scenario("gzip")
    rc, out, err = e.fetch("--search", "--max", "3", "--json")
    j = json.loads(out)
    check(rc == 0 and j["kept"] == 3, "3 kept", rc, out, err)
    check(search_log(m) == [("pytorch", "1"), ("tensorflow", "1"), ("keras", "1")],
          "one page of each framework, keras included", search_log(m))
    check(sorted(e.ids()) == ["so:5001", "so:5012", "so:5013"], "one post each", e.ids())
    check(j["seen"] == j["kept"] + j["over_max"] + sum(j["dropped"].values()),
          "hits = kept + past --max + dropped", out)
    e2 = Env(m)
    try:
        # Share 1 each: --max 1 asks one framework only (the last one).
        m.scenario("gzip")
        rc, out, err = e2.fetch("--search", "--max", "1", "--json")
        check(rc == 0 and json.loads(out)["kept"] == 1 and search_log(m) == [("keras", "1")],
              "--max 1: one request", out, search_log(m))
    finally:
        e2.cleanup()
    e3 = Env(m)
    try:
        # tensorflow's share is 1 but its page has 2 passing hits; keras
        # runs dry at 1 of 2 and passes 1 on: the spare hit is stored
        # without another request.
        m.scenario("gzip")
        rc, out, err = e3.fetch("--search", "--tagged", "tensorflow", "--tagged", "keras",
                                "--max", "3", "--from", "2010-01-01", "--to", "2030-12-31",
                                "--json")
        j = json.loads(out)
        check(rc == 0 and j["kept"] == 3 and j["over_max"] == 0, "shortfall passed on", out)
        check(search_log(m) == [("tensorflow", "1"), ("keras", "1")], "two requests",
              search_log(m))
        check(sorted(e3.ids()) == ["so:5001", "so:5012", "so:5015"], "stored", e3.ids())
    finally:
        e3.cleanup()
    e4 = Env(m)
    try:
        # A share of 0 waits; keras finds nothing in the window and hands
        # its share to tensorflow, which is then asked.
        m.scenario("gzip")
        rc, out, err = e4.fetch("--search", "--tagged", "tensorflow", "--tagged", "keras",
                                "--max", "1", "--from", "2010-01-01", "--to", "2015-01-01",
                                "--json")
        check(rc == 0 and json.loads(out)["kept"] == 1 and e4.ids() == ["so:5015"],
              "zero share woken", out, e4.ids())
        check(search_log(m) == [("keras", "1"), ("tensorflow", "1")], "order", search_log(m))
    finally:
        e4.cleanup()


@test
def with_answers(m, e):
    """--with-answers fetches the accepted answers and stores them apart"""
    m.scenario("gzip")
    rc, out, err = e.fetch("--with-answers", "111", "112")
    check(rc == 0, "exit 0", rc, err)
    log = m.log("se")
    check([x["path"] for x in log] == ["/2.3/questions/111;112", "/2.3/answers/222;333"],
          "questions then answers", [x["path"] for x in log])
    no_problems(log)
    rows = e.sql("SELECT post_id, answer_id, is_accepted FROM answers ORDER BY answer_id")
    check(rows == [("so:111", 222, 1), ("so:112", 333, 1)], "answers stored", rows)
    check("stored 2 accepted answers" in out, "summary", out)
    rc, out, err = e.fetch("--with-answers", "111", "112")
    check(rc == 0 and len(m.log("se")) == 2, "fresh with answers: nothing asked", rc, err)


@test
def with_answers_fresh(m, e):
    """--with-answers on fresh questions fetches only the missing answers"""
    m.scenario("gzip")
    rc, out, err = e.fetch("111", "112", "113")
    check(rc == 0 and e.sql("SELECT count(*) FROM answers") == [(0,)], "no answers yet", rc, err)
    rc, out, err = e.fetch("--with-answers", "111", "112", "113")
    check(rc == 0, "exit 0", rc, err)
    paths = [x["path"] for x in m.log("se")]
    check(paths == ["/2.3/questions/111;112;113", "/2.3/answers/222;333"],
          "questions not asked again; answers in one batch", paths)
    rows = e.sql("SELECT post_id, answer_id FROM answers ORDER BY answer_id")
    check(rows == [("so:111", 222), ("so:112", 333)], "answers stored", rows)
    check("3 already fresh" in out and "stored 2 accepted answers" in out, "summary", out)


@test
def github_issue(m, e):
    """GitHub issue: headers, labels, null body, URL form; list shows it"""
    m.scenario(gh="ok")
    rc, out, err = e.fetch("--github", "pytorch/pytorch#1",
                           "https://github.com/keras-team/keras/issues/7")
    check(rc == 0, "exit 0", rc, err)
    log = m.log("gh")
    check(len(log) == 2, "two requests", len(log))
    no_problems(log)
    check(log[0]["headers"]["user-agent"].startswith("dlrepro/"), "User-Agent")
    posts = e.posts()
    check(set(posts) == {"gh:pytorch/pytorch#1", "gh:keras-team/keras#7"}, "stored", posts)
    check(posts["gh:pytorch/pytorch#1"]["tags"] == ["module: cuda", "triaged"], "labels", posts)
    check(posts["gh:keras-team/keras#7"]["tags"] == ["bug", "keras-3"], "string labels", posts)
    row = e.sql("SELECT body_format, state, body FROM posts WHERE id = 'gh:keras-team/keras#7'")
    check(row == [("markdown", "closed", "")], "markdown, state, null body", row)
    rc, out, err = e.fetch("--github", "pytorch/pytorch#1")
    check(rc == 0 and len(m.log("gh")) == 2, "fresh: not asked again")
    m.scenario(gh="ok", key="ghp_T0ken")
    rc, out, err = e.fetch("--refresh", "--github", "pytorch/pytorch#1",
                           env={"GITHUB_TOKEN": "ghp_T0ken"})
    check(rc == 0, "with a token", rc, err)
    no_problems(m.log("gh"))


@test
def github_refusals(m, e):
    """pull requests skipped; 301 followed; 404 and 410 explained; exit 0"""
    m.scenario(gh="ok")
    rc, out, err = e.fetch("--github", "pytorch/pytorch#2")
    check(rc == 0 and one_line(err) == "dlrepro: gh:pytorch/pytorch#2 is a pull request, "
          "not an issue (skipped)", "PR skipped", rc, err)
    check("fetched 0 posts, 1 not found" in out, "counted", out)
    rc, out, err = e.fetch("--github", "old/repo#5")
    check(rc == 0 and "gh:old/repo#5" in e.ids(), "301 followed", rc, err)
    check(len(m.log("gh")) == 3, "redirect counted by the mock", len(m.log("gh")))
    rc, out, err = e.fetch("--github", "pytorch/pytorch#999")
    check(rc == 0 and one_line(err) == "dlrepro: gh:pytorch/pytorch#999 not found (HTTP 404: "
          "no such issue, or a private one the token, if any, may not read)", "404", rc, err)
    rc, out, err = e.fetch("--github", "pytorch/pytorch#410")
    check(rc == 0 and one_line(err) == "dlrepro: gh:pytorch/pytorch#410 deleted (HTTP 410)",
          "410", rc, err)
    check(e.ids() == ["gh:old/repo#5"], "only the issue stored", e.ids())
    rc, out, err = e.fetch("--github", "https://github.com/pytorch/pytorch/pull/3")
    check(rc == 2 and "pull request" in err, "PR URL refused up front", rc, err)


@test
def github_missing_goes_on(m, e):
    """a missing, gone or PR issue is a warning: the rest is fetched"""
    m.scenario("gzip", gh="ok")
    rc, out, err = e.fetch("--json", "--github", "foo/bar#9", "--github", "pytorch/pytorch#1",
                           "--github", "pytorch/pytorch#410", "--github", "pytorch/pytorch#2",
                           "--github", "keras-team/keras#7", "112")
    check(rc == 0, "exit 0 as for Stack Exchange ids not found", rc, err)
    lines = [l for l in err.splitlines() if l.strip()]
    check(len(lines) == 3 and all(l.startswith("dlrepro: gh:") for l in lines),
          "one warning per missing issue", err)
    check(len(m.log("gh")) == 5, "every issue requested", len(m.log("gh")))
    j = json.loads(out)
    check(j["stored"] == 3 and j["not_found"] == 3 and j["asked"] == 6, "summary", out)
    check(sorted(e.ids()) == ["gh:keras-team/keras#7", "gh:pytorch/pytorch#1", "so:112"],
          "stored", e.ids())
    # A real failure still stops the job.
    m.scenario("gzip", gh="echo418")
    rc, out, err = e.fetch("--refresh", "--github", "foo/bar#9", "--github", "pytorch/pytorch#1")
    check(rc == 1 and "HTTP 418" in one_line(err) and len(m.log("gh")) == 1, "418 stops",
          rc, err)
    # A 404 that echoes the token: the warning carries our words only.
    m.scenario("gzip", gh="echo404")
    rc, out, err = e.fetch("--github", "foo/bar#10", env={"GITHUB_TOKEN": "GHTOKqq7"})
    check(rc == 0 and "GHTOKqq7" not in out + err and "foo/bar#10 not found" in err,
          "echoing 404", rc, err)


@test
def github_rate_limits(m, e):
    """403 remaining 0 + reset; 429 retry-after; 403 bare; reset far away"""
    m.scenario(gh="ratelimit-once")
    rc, out, err = e.fetch("--github", "pytorch/pytorch#1")
    check(rc == 0 and len(m.log("gh")) == 2, "waited for reset then fetched", rc, err)
    check(e.elapsed >= 0.9, "waited", e.elapsed)
    m.scenario(gh="429-once")
    rc, out, err = e.fetch("--refresh", "--github", "pytorch/pytorch#1")
    log = m.log("gh")
    check(rc == 0 and len(log) == 2 and log[1]["t"] - log[0]["t"] >= 1.9, "retry-after 2", rc, err)
    m.scenario(gh="403-bare-once")
    rc, out, err = e.fetch("--refresh", "--github", "pytorch/pytorch#1",
                           env={"DLREPRO_TEST_TIME_SCALE": "0.02"})
    log = m.log("gh")
    # 60 s scaled by DLREPRO_TEST_TIME_SCALE=0.02: 1.2 s.
    check(rc == 0 and len(log) == 2 and log[1]["t"] - log[0]["t"] >= 1.15, "secondary limit wait",
          rc, err, [x["t"] for x in log])
    m.scenario(gh="ratelimit-long")
    rc, out, err = e.fetch("--refresh", "--github", "pytorch/pytorch#1")
    line = one_line(err)
    check(rc == 1 and re.search(r"rate limit exceeded, requests possible again in 3[56]\d\d s \(at ", line),
          "reported", line)
    check(len(m.log("gh")) == 1, "not slept through")
    # What is left is what the refusal said, not the last success's count.
    rc, out, err = e.run("config", "--json")
    gh = [s for s in json.loads(out)["api_state"]
          if s["base_url"].endswith("/gh") and s["method"] == "*"]
    check(rc == 0 and len(gh) == 1 and gh[0].get("quota_remaining") == 0
          and gh[0].get("quota_max") == 60 and gh[0]["wait_seconds"] > 3000,
          "config shows the limit as spent", out)
    rc, out, err = e.fetch("--refresh", "--github", "keras-team/keras#7")
    check(rc == 1 and len(m.log("gh")) == 1 and "rate limit exceeded" in err,
          "remembered across runs", rc, err)


@test
def user_agent_required(m, e):
    """the mock refuses requests without User-Agent: ours always has one"""
    m.scenario(gh="ok")
    rc, out, err = e.fetch("--github", "pytorch/pytorch#1")
    check(rc == 0, "exit 0", rc, err)
    check(all(x["headers"].get("user-agent") for x in m.log()), "every request had one")


LOOP = os.path.join(os.environ.get("TOP_BUILDDIR", os.path.dirname(BIN) + "/.."),
                    "tests", "e2e", "fetch_loop")


def loop(m, e, *ids, env=None):
    """Run the dashboard-style driver; returns its JSON report."""
    ev = dict(e.env)
    ev.update(env or {})
    p = subprocess.run([LOOP, e.db, m.base + "/2.3"] + list(ids), env=ev,
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "fetch_loop ran", p.returncode, p.stderr)
    return json.loads(p.stdout)


@test
def event_loop_stays_responsive(m, e):
    """dashboard-style steps: steps of 100 ms never block on the network; a key wakes the loop"""
    m.scenario("silent")
    r = loop(m, e, "21", env={"DLREPRO_TEST_TIME_SCALE": "0.02"})
    check(r["status"] == "failed", "silent server given up", r)
    check(r["max_step_ms"] <= 1000, "no step blocks (silent server)", r)
    check(r["woken"] >= 1, "the watched descriptor woke the loop", r)
    m.scenario("backoff2")
    r = loop(m, e, *[str(i) for i in range(7000, 7150)])
    check(r["status"] == "done" and r["stored"] == 150, "fetched", r)
    check(r["elapsed_ms"] >= 1900, "the backoff was waited out", r)
    check(r["max_step_ms"] <= 1000, "no step blocks (backoff)", r)
    check(len(m.log("se")) == 2, "two requests", len(m.log("se")))


class Skip(Exception):
    pass


@test
def fetch_then_analyze(m, e):
    """fetch then analyze works on what was fetched (SO and GitHub)"""
    rc, out, err = e.run("--help")
    if not re.search(r"^  analyze ", out, re.M):
        raise Skip("the analyze command is not registered in this build")
    m.scenario("gzip", gh="ok")
    rc, out, err = e.fetch("112", "--github", "pytorch/pytorch#1")
    check(rc == 0, "fetch", rc, err)
    rc, out, err = e.run("analyze", "--json", "so:112", "gh:pytorch/pytorch#1")
    check(rc == 0, "analyze exit 0", rc, err)
    objs = [json.loads(l) for l in out.splitlines() if l.strip()]
    check([o["id"] for o in objs] == ["so:112", "gh:pytorch/pytorch#1"], "one object each", out)
    check(all(o.get("type") for o in objs), "a type for each", out)


def main():
    if not os.access(BIN, os.X_OK):
        print("Bail out! %s is not built" % BIN)
        return 1
    tmp = tempfile.mkdtemp(prefix="dlrepro-mock.")
    mock = Mock(tmp)
    # Test names on the command line run only those (for debugging).
    tests = [t for t in TESTS if len(sys.argv) < 2 or t.__name__ in sys.argv[1:]]
    print("1..%d" % len(tests))
    failed = 0
    try:
        for i, fn in enumerate(tests, 1):
            env = Env(mock)
            t0 = time.monotonic()
            try:
                fn(mock, env)
                print("ok %d - %s (%.1f s)" % (i, fn.__doc__.strip(), time.monotonic() - t0))
            except Skip as ex:
                print("ok %d - %s # SKIP %s" % (i, fn.__doc__.strip(), ex))
            except Fail as ex:
                failed += 1
                print("not ok %d - %s" % (i, fn.__doc__.strip()))
                for line in str(ex).splitlines():
                    print("# " + line)
            except Exception:
                failed += 1
                print("not ok %d - %s" % (i, fn.__doc__.strip()))
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
            finally:
                env.cleanup()
            sys.stdout.flush()
    finally:
        mock.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
