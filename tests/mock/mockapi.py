#!/usr/bin/env python3
"""Loopback mock of the Stack Exchange 2.3 and GitHub REST APIs.

Serves the fixtures in tests/mock/fixtures/ and injects every scenario of
API_NOTES section 5, so that `dlrepro fetch` can be tested end to end
without a network.  Python 3.11 standard library only.

    mockapi.py [--port-file FILE] [--expect-key KEY]

Binds 127.0.0.1 on a free port and prints "PORT\\n" on stdout (and into
--port-file).  Stack Exchange lives under /2.3, GitHub under /gh.

Scenarios "echo" (SE and GitHub: error bodies quoting the request line,
query string and Authorization header), "echo418", "echo404" and "esc"
(GitHub: a message with escape sequences) test that secrets and escapes
never reach the user.

Control endpoints (not part of either API):
    GET /_scenario?se=NAME&gh=NAME&key=KEY   choose the behaviour
    GET /_log                                JSON list of recorded requests
    GET /_reset                              clear log, counters, backoff
    GET /_quit                               stop the server

Every API request is recorded with the checks it failed ("problems"), so a
test can assert both the NUMBER of requests and that each was well formed.
"""

import argparse
import gzip
import json
import os
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")


def load(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return json.load(f)


QUESTIONS = load("questions.json")
SEARCH = load("search.json")
GITHUB = load("github.json")
BY_ID = {q["question_id"]: q for q in QUESTIONS["questions"]}
ANSWERS = {a["answer_id"]: a for a in QUESTIONS["answers"]}
DELETED = set(QUESTIONS["deleted"])


def gen_question(qid, site):
    """Any id not in the fixtures (and not deleted) exists, generated."""
    return {
        "tags": ["python", "tensorflow"],
        "owner": {"user_id": qid % 97, "display_name": "user%d" % (qid % 97)},
        "is_answered": True, "view_count": qid % 1000,
        "answer_count": 1, "score": qid % 13,
        "last_activity_date": 1700000000 + qid % 5000,
        "creation_date": 1690000000 + qid % 5000,
        "question_id": qid, "content_license": "CC BY-SA 4.0",
        "link": "https://%s.com/questions/%d/q" % (site, qid),
        "title": "Generated question %d about tensors" % qid,
        "body": "<p>Question %d</p><pre><code>x = %d</code></pre>" % (qid, qid),
    }


class State:
    def __init__(self, expect_key):
        self.lock = threading.Lock()
        self.expect_key = expect_key
        self.reset()

    def reset(self):
        self.log = []
        self.se = "gzip"
        self.gh = "ok"
        self.counts = {}
        self.not_before = {}	# method -> monotonic time (backoff contract)
        self.quota_left = None


STATE = None
BOMB = {}


def make_bomb(mib):
    """gzip of mib MiB of '0': about 100 kB on the wire."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"0" * (1 << 20)
    out = [c.compress(block) for _ in range(mib)]
    out.append(c.flush())
    return b"".join(out)


def bomb():
    # Built before serving (see main) so that building it never looks
    # like a stalled server to the client.
    return BOMB["gz"]


def se_method(parts):
    # /2.3/questions/1;2;3 -> "questions/{ids}"; /2.3/answers/.. likewise
    if len(parts) >= 2 and parts[0] in ("questions", "answers"):
        return parts[0] + "/{ids}"
    return "/".join(parts)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mockapi/1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    # ---- plumbing ----
    def raw(self, status, body, headers=(), ctype="application/json; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def encoded(self, status, obj, enc, headers=()):
        body = json.dumps(obj).encode()
        hdrs = list(headers)
        if enc == "gzip":
            body = gzip.compress(body)
            hdrs.append(("Content-Encoding", "gzip"))
        elif enc == "gzip-noheader":
            body = gzip.compress(body)
        elif enc == "deflate-zlib":
            body = zlib.compress(body)
            hdrs.append(("Content-Encoding", "deflate"))
        elif enc == "deflate-raw":
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = c.compress(body) + c.flush()
            hdrs.append(("Content-Encoding", "deflate"))
        self.raw(status, body, hdrs)

    def record(self, api, problems, extra=None):
        u = urllib.parse.urlsplit(self.path)
        ent = {"api": api, "path": urllib.parse.unquote(u.path),
               "query": dict(urllib.parse.parse_qsl(u.query)),
               "headers": {k.lower(): v for k, v in self.headers.items()},
               "problems": problems, "t": time.time()}
        if extra:
            ent.update(extra)
        with STATE.lock:
            STATE.log.append(ent)
            return len([e for e in STATE.log if e["api"] == api])

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(u.path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        if path.startswith("/_"):
            return self.control(path, q)
        if path.startswith("/2.3/"):
            return self.stackexchange(path[5:].strip("/").split("/"), q)
        if path.startswith("/gh/"):
            return self.github(path[4:], q)
        self.raw(404, b'{"message":"no such mock path"}')

    # ---- control ----
    def control(self, path, q):
        if path == "/_scenario":
            with STATE.lock:
                if "se" in q:
                    STATE.se = q["se"]
                if "gh" in q:
                    STATE.gh = q["gh"]
                if "key" in q:
                    STATE.expect_key = q["key"] or None
            return self.raw(200, b"ok\n", ctype="text/plain")
        if path == "/_log":
            with STATE.lock:
                body = json.dumps(STATE.log).encode()
            return self.raw(200, body)
        if path == "/_reset":
            with STATE.lock:
                key = STATE.expect_key
                STATE.reset()
                STATE.expect_key = key
            return self.raw(200, b"ok\n", ctype="text/plain")
        if path == "/_quit":
            self.raw(200, b"bye\n", ctype="text/plain")
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            return None
        return self.raw(404, b"unknown control\n", ctype="text/plain")

    def echo_text(self):
        u = urllib.parse.urlsplit(self.path)
        return "you asked %s (query %s; Authorization: %s)" % (
            self.requestline, urllib.parse.unquote(u.query),
            self.headers.get("Authorization", "none"))

    # ---- Stack Exchange ----
    def se_error(self, eid, name, msg, enc="identity"):
        self.encoded(400, {"error_id": eid, "error_name": name,
                           "error_message": msg}, enc)

    def stackexchange(self, parts, q):
        problems = []
        if "accept-encoding" not in {k.lower() for k in self.headers.keys()}:
            problems.append("no Accept-Encoding")
        site = q.get("site")
        if not site:
            problems.append("no site")
        ps = q.get("pagesize")
        if ps is None:
            problems.append("no pagesize")
        elif not ps.isdigit() or int(ps) > 100:
            problems.append("pagesize %s > 100" % ps)
        if not q.get("filter"):
            problems.append("no filter")
        if STATE.expect_key and q.get("key") != STATE.expect_key:
            problems.append("key missing or wrong")
        if not STATE.expect_key and "key" in q:
            problems.append("unexpected key")
        ids = []
        if len(parts) == 2 and parts[0] in ("questions", "answers"):
            try:
                ids = [int(x) for x in parts[1].split(";")]
            except ValueError:
                ids = None
            if ids is not None and len(ids) > 100:
                problems.append("%d ids > 100" % len(ids))
        method = se_method(parts)
        n = self.record("se", problems, {"method": method})
        sc = STATE.se
        now = time.monotonic()

        # The backoff contract: a method hit before its backoff ran out is
        # refused like the real API does.
        with STATE.lock:
            nb = STATE.not_before.get(method, 0)
        if now < nb:
            return self.se_error(502, "throttle_violation",
                                 "Violation of backoff parameter")
        if ps is not None and ps.isdigit() and int(ps) > 100:
            return self.se_error(400, "bad_parameter", "pagesize")

        # Scenarios that replace the answer whatever the method.
        once = sc.endswith("-once")
        base = sc[:-5] if once else sc
        if once and n > 1:
            base = "gzip"
        if base == "quota-exhausted":
            return self.se_error(502, "throttle_violation",
                                 "too many requests from this IP, more requests available in 300 seconds")
        if base == "error400":
            return self.se_error(400, "bad_parameter", "ids")
        if base == "echo":
            # A server that quotes the request back, key and all: the
            # raw request line, the decoded query and any Authorization.
            return self.se_error(400, "bad_parameter", self.echo_text())
        if base == "error404":
            return self.se_error(404, "no_method", "no method found with this name")
        if base == "error500":
            return self.se_error(500, "internal_error", "something broke")
        if base == "error503":
            return self.se_error(503, "temporarily_unavailable", "try later",
                                 enc="gzip")
        if base == "http500":
            return self.raw(500, b"Internal Server Error\n", ctype="text/plain")
        if base == "throttle-html":
            return self.raw(503, b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>",
                            ctype="text/html")
        if base == "html200":
            return self.raw(200, b"<html><body>maintenance</body></html>",
                            ctype="text/html")
        if base == "reset":
            # RST instead of an answer: what a ban may look like.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return None
        if base == "empty":
            return self.raw(200, b"")
        if base == "truncated-json":
            return self.raw(200, b'{"items":[{"question_id":1,"title":"cut')
        if base == "items-not-array":
            return self.encoded(200, {"items": {"question_id": 1},
                                      "has_more": False, "quota_max": 300,
                                      "quota_remaining": 299}, "gzip")
        if base == "short-cl":
            body = json.dumps({"items": [], "has_more": False}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + 500))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            return None
        if base == "chunked-cut":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"10\r\n{\"items\":[],\"has\r\n")
            self.wfile.flush()
            self.close_connection = True
            return None
        if base == "gzip-cut":
            body = gzip.compress(json.dumps(self.questions_reply(ids or [1], site)).encode())
            body = body[: len(body) // 2]
            return self.raw(200, body, [("Content-Encoding", "gzip")])
        if base == "silent":
            # Accept, read the request, never answer (until the client
            # gives up or 30 s pass).
            self.connection.settimeout(30)
            try:
                self.connection.recv(1)
            except OSError:
                pass
            self.close_connection = True
            return None
        if base == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(15):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(2)
            except OSError:
                pass
            self.close_connection = True
            return None
        if base == "oversize":
            # 40 MB of JSON whitespace, uncompressed.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            size = 40 * 1024 * 1024
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b" " * 65536
            try:
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                pass
            self.close_connection = True
            return None
        if base == "gzip-bomb":
            return self.raw(200, bomb(), [("Content-Encoding", "gzip")])
        if base == "gzip-bomb-noheader":
            return self.raw(200, bomb())

        if parts[0] == "questions" and len(parts) == 2:
            if ids is None:
                return self.se_error(404, "no_method", "ids must be numbers")
            reply = self.questions_reply(ids, site)
        elif parts[0] == "answers" and len(parts) == 2:
            reply = self.answers_reply(ids or [])
        elif parts == ["search", "advanced"]:
            reply = self.search_reply(q)
        else:
            return self.se_error(404, "no_method", "no method found with this name")

        if base == "qid-string" and reply["items"]:
            reply["items"][0]["question_id"] = str(reply["items"][0]["question_id"])
        if base == "body-null" and reply["items"]:
            reply["items"][0]["body"] = None
        if base.startswith("backoff"):
            secs = int(base[7:] or 3)
            reply["backoff"] = secs
            with STATE.lock:
                STATE.not_before[method] = time.monotonic() + secs
        if base == "quota-low":
            reply["quota_remaining"] = 20
        if base == "quota-zero":
            with STATE.lock:
                left = STATE.quota_left
                STATE.quota_left = 0
            if left == 0:
                return self.se_error(502, "throttle_violation",
                                     "too many requests from this IP, more requests available in 300 seconds")
            reply["quota_remaining"] = 0
        enc = base if base in ("identity", "deflate-zlib", "deflate-raw",
                               "gzip-noheader") else "gzip"
        self.encoded(200, reply, enc)

    def questions_reply(self, ids, site):
        items = []
        for i in ids:
            if i in DELETED:
                continue
            items.append(dict(BY_ID[i]) if i in BY_ID else gen_question(i, site or "stackoverflow"))
        return {"items": items, "has_more": False, "quota_max": 300,
                "quota_remaining": 290}

    def answers_reply(self, ids):
        items = [ANSWERS[i] for i in ids if i in ANSWERS]
        return {"items": items, "has_more": False, "quota_max": 300,
                "quota_remaining": 289}

    def search_reply(self, q):
        # Server-side part only: tagged (OR), nottagged, date window, sort
        # by score.  accepted/min are not applied, as if the index were
        # stale, so that the client-side checks are exercised.
        tagged = set(filter(None, q.get("tagged", "").split(";")))
        nottagged = set(filter(None, q.get("nottagged", "").split(";")))
        lo = int(q.get("fromdate", "0"))
        hi = int(q.get("todate", str(2**40)))
        hits = []
        for it in SEARCH["items"]:
            tags = set(it["tags"])
            if tagged and not any(t in tags for t in tagged):
                continue
            if tags & nottagged:
                continue
            if not lo <= it["creation_date"] <= hi:
                continue
            hits.append({k: v for k, v in it.items() if k != "expect"})
        hits.sort(key=lambda x: -x["score"])
        page = int(q.get("page", "1"))
        size = int(q.get("pagesize", "30"))
        # The mock pages in fives whatever pagesize says so that paging is
        # exercised with a small corpus.
        size = min(size, 5)
        chunk = hits[(page - 1) * size: page * size]
        return {"items": chunk, "has_more": page * size < len(hits),
                "quota_max": 300, "quota_remaining": 280, "page": page}

    # ---- GitHub ----
    def github(self, rest, q):
        problems = []
        h = {k.lower(): v for k, v in self.headers.items()}
        ua = h.get("user-agent", "")
        if not ua:
            problems.append("no User-Agent")
        if h.get("accept") != "application/vnd.github+json":
            problems.append("wrong Accept")
        if h.get("x-github-api-version") != "2022-11-28":
            problems.append("no X-GitHub-Api-Version")
        if STATE.expect_key and h.get("authorization") != "Bearer " + STATE.expect_key:
            problems.append("token missing or wrong")
        if not STATE.expect_key and "authorization" in h:
            problems.append("unexpected Authorization")
        n = self.record("gh", problems)
        if not ua:
            return self.raw(403, b'{"message":"Request forbidden by administrative rules. Please make sure your request has a User-Agent header"}')
        sc = STATE.gh
        once = sc.endswith("-once")
        base = sc[:-5] if once else sc
        if once and n > 1:
            base = "ok"
        now = int(time.time())
        rl = [("x-ratelimit-limit", "60"), ("x-ratelimit-used", "1"),
              ("x-ratelimit-resource", "core")]
        if base == "ratelimit":
            return self.raw(403, b'{"message":"API rate limit exceeded"}',
                            rl + [("x-ratelimit-remaining", "0"),
                                  ("x-ratelimit-reset", str(now + 2))])
        if base == "ratelimit-long":
            return self.raw(403, b'{"message":"API rate limit exceeded"}',
                            rl + [("x-ratelimit-remaining", "0"),
                                  ("x-ratelimit-reset", str(now + 3600))])
        if base == "429":
            return self.raw(429, b'{"message":"You have exceeded a secondary rate limit"}',
                            [("retry-after", "2")])
        if base.startswith("echo"):
            # echo: 403, echo418: 418, echo404: 404, all quoting the request.
            status = int(base[4:] or 403)
            return self.raw(status, json.dumps(
                {"message": "Forbidden: " + self.echo_text()}).encode(), rl)
        if base == "esc":
            return self.raw(418, json.dumps(
                {"message": "bad \x1b[31mred\x1b[0m \x1b]0;pwned\x07 thing"}).encode(), rl)
        if base == "403-bare":
            return self.raw(403, b'{"message":"You have exceeded a secondary rate limit"}')
        rl.append(("x-ratelimit-remaining", "59"))
        rl.append(("x-ratelimit-reset", str(now + 3600)))
        parts = rest.split("/")
        # repos/OWNER/REPO/issues/N
        if len(parts) == 5 and parts[0] == "repos" and parts[3] == "issues":
            key = "%s/%s#%s" % (parts[1], parts[2], parts[4])
            if key in GITHUB["moved"]:
                loc = "http://%s:%d/gh%s" % (self.server.server_address[0],
                                             self.server.server_address[1],
                                             GITHUB["moved"][key])
                return self.raw(301, b'{"message":"Moved Permanently"}',
                                rl + [("Location", loc)])
            if key in GITHUB["gone"]:
                return self.raw(410, b'{"message":"This issue was deleted"}', rl)
            if key in GITHUB["issues"]:
                return self.encoded(200, GITHUB["issues"][key], "gzip", rl)
        return self.raw(404, b'{"message":"Not Found"}', rl)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that give up (timeouts, caps) reset connections: expected.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def main():
    global STATE
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file")
    ap.add_argument("--expect-key")
    a = ap.parse_args()
    STATE = State(a.expect_key)
    BOMB["gz"] = make_bomb(100)	# decodes to 100 MiB, over the 32 MiB cap
    srv = Server(("127.0.0.1", 0), Handler)
    port = srv.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, a.port_file)
    print(port, flush=True)
    srv.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
