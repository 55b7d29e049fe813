#!/usr/bin/env python3
"""Times benchmark kernels in a separate Python process (bench/run.py runs it under PyPy).

    pypy3 bench/pyrun.py < jobs.json

stdin holds a JSON object:

    {"warmup": W, "repeat": R,
     "jobs": [{"module": "containers", "kernel": "group_by", "args": [1000000, 12345],
               "pause_gc": false}, ...]}

Each kernel runs W untimed warm-up calls (so that a JIT has compiled it), then R
timed calls; the best time is reported.  With "pause_gc" the garbage collector
is paused while timing (bench/run.py does the same for the loop kernels in
CPython); otherwise a collection runs before each call and the collector stays
on.  stdout gets one JSON line describing the interpreter, then one per kernel:

    {"kernel": ..., "seconds": best, "warmup_s": [...], "all_s": [...], "result": ...}

or {"kernel": ..., "error": "Type: message"} if the kernel raised.  Tuples in
results come out as JSON lists (bench/run.py turns them back into tuples);
floats are written with repr, so they round-trip exactly.

Keep this file and the kernel modules valid Python 3.9 (Debian 12's pypy3).
"""

import gc
import importlib
import json
import os
import platform
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def run_job(job, warmup, repeat):
    fn = getattr(importlib.import_module(job["module"]), job["kernel"])
    args = tuple(job["args"])
    pause_gc = job.get("pause_gc", False)
    warm = []
    for _ in range(warmup):
        gc.collect()
        t0 = time.perf_counter()
        fn(*args)
        warm.append(time.perf_counter() - t0)
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        if pause_gc:
            gc.disable()
        try:
            t0 = time.perf_counter()
            result = fn(*args)
            times.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    return {"kernel": job["kernel"], "seconds": min(times), "warmup_s": warm, "all_s": times,
            "result": result}


def main():
    spec = json.load(sys.stdin)
    warmup = int(spec.get("warmup", 0))
    repeat = max(1, int(spec.get("repeat", 1)))
    print(json.dumps({"python": "%s %s (%s)" % (platform.python_implementation(),
                                                 platform.python_version(), sys.executable),
                      "version": " ".join(sys.version.split())}), flush=True)
    for job in spec["jobs"]:
        print("[pyrun] %s %s(%s): %d warm-up + best of %d"
              % (platform.python_implementation(), job["kernel"],
                 ", ".join(repr(a) for a in job["args"]), warmup, repeat),
              file=sys.stderr, flush=True)
        try:
            rec = run_job(job, warmup, repeat)
        except Exception as exc:
            traceback.print_exc()
            rec = {"kernel": job["kernel"], "error": "%s: %s" % (type(exc).__name__, exc)}
        print(json.dumps(rec), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
