#!/usr/bin/env python3
"""Drive the dashboard through a pseudo-terminal and time it.

    ui-pty.py gen N FILE      write N generated posts as JSON Lines
    ui-pty.py run BIN DB      time the dashboard on DB

Times are measured from the write of a key to the last byte of the screen
update it caused (the update is over when the terminal has been quiet for
QUIET seconds; that quiet wait is not counted).  Peak RSS is the
process's VmHWM just before it quits.  Standard library only.
"""
import fcntl
import os
import random
import select
import signal
import statistics
import struct
import sys
import termios
import time
import json

QUIET = 0.05
COLS, ROWS = 120, 40

WORDS = ("tensor model layer loss gradient shape batch epoch optimizer cuda "
         "keras pytorch tensorflow dataset training accuracy nan memory "
         "conv2d lstm dense embedding dropout softmax learning rate").split()
TAGS = [["python", "pytorch"], ["keras", "loss-function"], ["tensorflow",
        "gpu"], ["python", "valueerror"], ["pytorch", "tensor"],
        ["keras", "layer"]]


def gen(n, path):
    rnd = random.Random(42)
    with open(path, "w") as f:
        for i in range(n):
            words = " ".join(rnd.choice(WORDS) for _ in range(8))
            body = ("<p>%s</p><pre><code>model.fit(x, y, epochs=%d)\n"
                    "</code></pre><p>%s</p>" % (words, i % 50, words))
            title = "Post %d: %s" % (i, " ".join(rnd.choice(WORDS)
                                                 for _ in range(5)))
            if i == n // 2:
                title += " zebracorn"
            f.write(json.dumps({
                "question_id": 1000000 + i, "title": title,
                "tags": TAGS[i % len(TAGS)], "score": i % 17,
                "creation_date": 1600000000 + i * 60,
                "link": "https://stackoverflow.com/questions/%d" % (1000000 + i),
                "body": body}) + "\n")


def read_until_quiet(fd, deadline=10.0):
    """Read until QUIET seconds pass with no output; return (data, t_last)."""
    buf = b""
    t_last = None
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], QUIET)
        if not r:
            if t_last is not None:
                break
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        t_last = time.monotonic()
    return buf, t_last


def press(fd, keys):
    t0 = time.monotonic()
    os.write(fd, keys)
    data, t_last = read_until_quiet(fd, 2.0)
    if t_last is None:
        return None
    return (t_last - t0) * 1000


def vmhwm(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1


def summary(name, ms):
    ms = [m for m in ms if m is not None]
    if not ms:
        print("%-28s no redraw seen" % name)
        return
    ms.sort()
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print("%-28s n=%3d  median %6.2f ms  p95 %6.2f ms  max %6.2f ms"
          % (name, len(ms), statistics.median(ms), p95, ms[-1]))


def run(binary, db):
    env = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8",
               TZ="UTC")
    env.pop("NO_COLOR", None)
    pid, fd = os.forkpty()
    if pid == 0:
        os.execve(binary, [binary, "--db", db], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ,
                struct.pack("HHHH", ROWS, COLS, 0, 0))
    t0 = time.monotonic()
    buf = b""
    t_first = None
    while time.monotonic() - t0 < 20:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                sys.stdout.write("the program exited before its first "
                                 "frame:\n%s\n" % buf.decode("utf-8",
                                                              "replace"))
                return 1
            if b"q quit" in buf:
                # curses writes a frame in one go: the rest of this frame
                # follows at once; later output is idle analysis of the
                # visible rows, which starts 150 ms after the last key.
                t_first = time.monotonic()
                end = t_first + 0.01
                while True:
                    r, _, _ = select.select([fd], [], [],
                                            max(0, end - time.monotonic()))
                    if not r:
                        break
                    buf += os.read(fd, 65536)
                    t_first = time.monotonic()
                    end = t_first + 0.005
                break
    if t_first is None:
        print("first frame: not seen within 20 s")
        os.kill(pid, signal.SIGKILL)
        return 1
    print("first frame                  %6.1f ms" % ((t_first - t0) * 1000))
    if os.environ.get("UI_BENCH_FIRST_ONLY"):
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        return 0
    # Let the idle analysis of the visible rows finish before timing keys.
    read_until_quiet(fd, 10)
    summary("move (j)", [press(fd, b"j") for _ in range(60)])
    summary("move (k)", [press(fd, b"k") for _ in range(30)])
    summary("page (Ctrl-d)", [press(fd, b"\x04") for _ in range(30)])
    summary("page (Ctrl-u)", [press(fd, b"\x15") for _ in range(20)])
    summary("last/first (G, g)", [press(fd, k) for k in (b"G", b"g") * 5])
    ms = []
    for _ in range(5):
        press(fd, b"/")
        os.write(fd, b"\x15zebracorn")
        read_until_quiet(fd)
        ms.append(press(fd, b"\r"))
        press(fd, b"f")
        ms_clear = press(fd, b"7")
    summary("search (/ ... Enter)", ms)
    summary("clear search (f 7)", [ms_clear])
    rss = vmhwm(pid)
    print("peak RSS                     %6.1f MB" % rss)
    os.write(fd, b"q")
    read_until_quiet(fd, 2)
    _, status = os.waitpid(pid, 0)
    print("exit status                  %d" % os.waitstatus_to_exitcode(status))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "gen":
        gen(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "run":
        sys.exit(run(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
