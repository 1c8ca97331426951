#!/usr/bin/env python3
"""Write a synthetic tn event stream of N syscall events (tn-events(5)).

Usage: gen-events.py N FILE

A header, then N syscall records with a realistic mix of names, arguments,
paths, errors and log-normal durations (about 150-250 bytes a line), spread
over a few processes and threads, and an exit record for each process.
Deterministic (fixed seed), so two runs write the same bytes.
"""
import random
import sys

# name, nr, weight, median duration (ns), error rate, errno name
MIX = [
    ("read", 0, 20, 1800, 0.05, "EAGAIN"),
    ("write", 1, 18, 2500, 0.01, "EPIPE"),
    ("openat", 257, 8, 3200, 0.30, "ENOENT"),
    ("close", 3, 8, 700, 0.0, ""),
    ("newfstatat", 262, 7, 1200, 0.10, "ENOENT"),
    ("mmap", 9, 6, 2200, 0.0, ""),
    ("munmap", 11, 3, 4000, 0.0, ""),
    ("futex", 202, 9, 45000, 0.25, "EAGAIN"),
    ("epoll_wait", 232, 6, 120000, 0.02, "EINTR"),
    ("recvfrom", 45, 4, 2600, 0.40, "EAGAIN"),
    ("sendto", 44, 3, 5400, 0.0, ""),
    ("lseek", 8, 2, 400, 0.0, ""),
    ("getpid", 39, 2, 250, 0.0, ""),
    ("ioctl", 16, 1, 900, 0.50, "ENOTTY"),
    ("clock_nanosleep", 230, 1, 1000000, 0.0, ""),
]
PATHS = ["/etc/ld.so.cache", "/usr/lib/x86_64-linux-gnu/libc.so.6",
         "/proc/self/status", "/home/user/project/data/input-0001.csv",
         "/usr/share/locale/locale.alias", "/tmp/tn-bench/scratch.bin"]


def main():
    n = int(sys.argv[1])
    rnd = random.Random(42)
    names = [m for m in MIX for _ in range(m[2])]
    pids = [(7000 + 10 * i, [7000 + 10 * i + k for k in range(3)]) for i in range(4)]
    ts = 1_000_000_000
    with open(sys.argv[2], "w", buffering=1 << 20) as f:
        f.write('{"type":"header","schema":1,"producer":"gen-events","version":"0.1.0",'
                '"run":"00000000000000000000000000000bec","clock":"monotonic",'
                '"start_ts":%d,"start_time":"2026-01-01T00:00:00.000000000Z",'
                '"host":"bench","arch":"x86_64","pid":6999,"argv":["bench"]}\n' % ts)
        out = []
        for i in range(n):
            name, nr, _, med, erate, errno = names[rnd.randrange(len(names))]
            pid, tids = pids[rnd.randrange(len(pids))]
            tid = tids[rnd.randrange(len(tids))]
            dur = int(rnd.lognormvariate(0, 0.8) * med) + 50
            ts += dur + rnd.randrange(100, 5000)
            fd = rnd.randrange(3, 64)
            addr = "0x%x" % rnd.randrange(0x7f0000000000, 0x7fffffffffff)
            if name in ("openat", "newfstatat"):
                extra = ',"args":[-100,"%s",524288,0],"path":"%s"' % (addr, PATHS[rnd.randrange(len(PATHS))])
            else:
                extra = ',"args":[%d,"%s",%d]' % (fd, addr, rnd.randrange(1, 65536))
            if rnd.random() < erate:
                res = ',"ret":-%d,"err":"%s"' % (11 if errno == "EAGAIN" else 2, errno)
            else:
                res = ',"ret":%d' % rnd.randrange(0, 4096)
            out.append('{"type":"syscall","ts":%d,"pid":%d,"tid":%d,"name":"%s","nr":%d,'
                       '"arch":"x86_64"%s%s,"dur":%d}\n' % (ts, pid, tid, name, nr, extra, res, dur))
            if len(out) >= 10000:
                f.write("".join(out))
                out.clear()
        f.write("".join(out))
        for pid, _ in pids:
            ts += 1000
            f.write('{"type":"exit","ts":%d,"pid":%d,"tid":%d,"thread":false,"code":0,'
                    '"wall":%d,"utime":1000000,"stime":2000000,"maxrss":4194304}\n'
                    % (ts, pid, pid, ts - 1_000_000_000))


if __name__ == "__main__":
    main()
