#!/usr/bin/env python3
"""session_kill.py - durability of reproduction sessions under SIGKILL.

Scripted sessions run on the real clock.  Every `dlrepro session ...`
command that changes something runs with DLREPRO_TEST_TXN_DELAY_MS, which
makes it sleep inside its transaction (after the writes, before COMMIT),
and is killed with SIGKILL at a random moment: before it opened the
database, inside the transaction, or after it finished.  After each
command the log is read back and checked:

- a command that exited 0 has its event (nothing committed is lost);
- a killed command left either no event or exactly its own event;
- the active time reported by `session status` (which, for the open
  interval, counts up to now) stays within one second of the truth kept
  by this script from its own clock.

Prints TAP.  Runs in well under 30 s.
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("DLREPRO_BIN", "src/dlrepro")
TOP = os.environ.get("TOP_SRCDIR", ".")
FIXTURE = os.path.join(TOP, "tests", "fixtures", "session_posts.json")
POSTS = ["so:55328966", "so:59278771", "so:59325381"]
ACTIONS = ["input-data-generation", "network-construction",
           "hyperparameter-initialization", "import-addition", "logging",
           "obsolete-parameter-removal", "compiler-error-resolution",
           "dataset-procurement", "model-download", "version-migration"]
SESSIONS = 4
STEPS = 14          # commands per session besides start and stop
DELAY_MS = 120      # sleep inside the transaction

results = []


def tap(ok, name, diag=""):
    results.append((ok, name, diag))


def main():
    seed = int(os.environ.get("DLREPRO_KILL_SEED", str(os.getpid())))
    rng = random.Random(seed)
    print("# seed %d (DLREPRO_KILL_SEED reruns it)" % seed)
    tmp = tempfile.mkdtemp(prefix="dlrepro-kill-")
    db = os.path.join(tmp, "k.db")
    env = dict(os.environ)
    env.pop("DLREPRO_TEST_NOW", None)
    env["HOME"] = tmp
    slow = dict(env, DLREPRO_TEST_TXN_DELAY_MS=str(DELAY_MS))

    def dl(*args, e=env):
        return subprocess.run([BIN, "--db", db] + list(args), env=e,
                              capture_output=True, text=True)

    def status(sid=None):
        args = ["session", "status", "--json"]
        if sid is not None:
            args += ["--session", str(sid)]
        r = dl(*args)
        if r.returncode != 0:
            raise RuntimeError("status failed: " + r.stderr)
        return json.loads(r.stdout)

    r = dl("import", FIXTURE)
    if r.returncode != 0:
        print("1..0 # SKIP cannot import the fixture: " + r.stderr.strip())
        return 0

    kills = lost = bad = committed_killed = 0
    max_err = 0.0

    def attempt(args, kind, before):
        """Run one command with a random kill; check the log after it."""
        nonlocal kills, lost, bad, committed_killed
        t_launch = time.time()
        p = subprocess.Popen([BIN, "--db", db, "session"] + args, env=slow,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, (DELAY_MS + 60) / 1000.0))
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)
            kills += 1
        p.wait()
        err = p.stderr.read().decode()
        p.stderr.close()
        st = status(before["id"]) if before.get("id") else status()
        n0 = len(before["events"])
        n1 = len(st["events"])
        if p.returncode == 0:
            if n1 != n0 + 1 or st["events"][-1]["kind"] != kind:
                lost += 1
        elif killed:
            if n1 == n0 + 1:
                committed_killed += 1
                if st["events"][-1]["kind"] != kind:
                    bad += 1
            elif n1 != n0:
                bad += 1
        else:
            bad += 1
            print("# unexpected failure: %s: %s" % (args, err.strip()))
        return st, n1 == n0 + 1, t_launch

    for k in range(SESSIONS):
        # Start (retried until it commits).
        while True:
            before = status()
            if before["state"] != "none":
                break
            st, done, t = attempt(["start", POSTS[k % len(POSTS)]], "start",
                                  before)
            if done:
                break
        truth, since = 0.0, t
        sid = st["id"]
        for _ in range(STEPS):
            cur = status(sid)
            ticked = [x["action"] for x in cur["ticks"]]
            choices = ["tick"] * 3 + ["pause" if cur["state"] == "running"
                                      else "resume"] * 2
            if ticked:
                choices += ["untick", "undo"]
            op = rng.choice(choices)
            if op == "tick":
                free = [a for a in ACTIONS if a not in ticked]
                args = ["tick", rng.choice(free)]
            elif op == "untick":
                args = ["untick", rng.choice(ticked)]
            else:
                args = [op]
            st, done, t = attempt(args, args[0], cur)
            if done and op == "pause":
                truth += t - since
                since = None
            elif done and op == "resume":
                since = t
            # The open interval counts up to now, across killed processes.
            now = time.time()
            expect = truth + (now - since if since is not None else 0)
            got = status(sid)["active_seconds"]
            max_err = max(max_err, abs(got - expect))
            time.sleep(rng.uniform(0, 0.05))
        # Stop (retried until it commits).
        while True:
            cur = status(sid)
            if cur["state"] == "stopped":
                break
            st, done, t = attempt(["stop", "--outcome", "reproduced"],
                                  "stop", cur)
            if done:
                if since is not None:
                    truth += t - since
                break
        final = status(sid)
        err = abs(final["active_seconds"] - truth)
        max_err = max(max_err, err)
        tap(final["state"] == "stopped" and err < 1.0,
            "session %d: stopped, active %.3f s vs truth %.3f s"
            % (k + 1, final["active_seconds"], truth))
        # The ticks shown are the replay of the stored log.
        replay = []
        undone = {e["seq"] for e in final["events"] if e.get("undone")}
        for e in final["events"]:
            if e["kind"] == "tick" and e["seq"] not in undone:
                replay.append(e["action"])
            elif e["kind"] == "untick" and e["seq"] not in undone:
                replay.remove(e["action"])
        tap(replay == [x["action"] for x in final["ticks"]],
            "session %d: ticks are the replay of the stored log" % (k + 1))

    tap(kills >= 30, "%d commands killed with SIGKILL (want 30+)" % kills)
    tap(lost == 0, "no event of a command that exited 0 was lost (%d lost)"
        % lost)
    tap(bad == 0, "killed commands left nothing or exactly their event "
        "(%d killed after commit)" % committed_killed)
    tap(max_err < 1.0, "active time always within 1 s of the truth "
        "(max error %.3f s)" % max_err)
    r = dl("history", "--json")
    tap(r.returncode == 0 and len(json.loads(r.stdout)) == SESSIONS,
        "history lists the %d sessions" % SESSIONS)
    subprocess.run(["rm", "-rf", tmp])
    return 0


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # report, never hang or pass silently
        tap(False, "durability test crashed: %r" % exc)
    print("1..%d" % len(results))
    for i, (ok, name, diag) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if diag:
            print("# " + diag)
    sys.exit(0)
