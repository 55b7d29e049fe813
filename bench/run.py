#!/usr/bin/env python3
"""shoal benchmark harness.

One command times two suites of kernels side by side.  The "loops" suite
(bench/kernels.py) runs four ways -- CPython (in this process), PyPy (pypy3 in
a subprocess, bench/pyrun.py), shoal (``cluster.submit(f, size).result()``
after one warm-up submit that fills the compile cache) and hand-written C++
(bench/cpp/kernels.cpp, compiled with ``g++ -O2 -std=c++20``).  The
"containers" suite (bench/containers.py: lists, dicts, strings, a class,
sorting) runs under CPython, PyPy and shoal.  Every result is checked against
CPython's, and the tables print the ratios and the targets.  With the loops
suite it also measures shoal's first-call latency on freshly generated
functions and the wall time of ``build/shoal run examples/hello.py``.

    /usr/bin/python3 bench/run.py [--quick] [--repeat R] [--suite S] [--markdown FILE]

If ``import shoal`` fails, the shoal columns read "shoal unavailable"; if
pypy3 is not installed, the PyPy column reads "unavailable"; the run still
succeeds.  A kernel named in SHOAL_UNSUPPORTED_ALLOWED that shoal rejects with
shoal.UnsupportedError reads "unsupported" and is not a failure either.  The
exit status is non-zero only when something is wrong: results disagree, a
kernel raises, the C++ baseline does not compile, or ``shoal run`` fails.
Missed performance targets are reported, not fatal.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CPP_SOURCE = BENCH_DIR / "cpp" / "kernels.cpp"
CXX_FLAGS = ["-O2", "-std=c++20"]

PYRUN = BENCH_DIR / "pyrun.py"

sys.path.insert(0, str(BENCH_DIR))
import containers  # noqa: E402  (bench/containers.py)
import kernels  # noqa: E402  (bench/kernels.py)

# The container kernels build their input from this seed inside the kernel.
SEED = 12345


@dataclass(frozen=True)
class KernelSpec:
    name: str
    size: int        # full run: CPython takes roughly 0.5-3 s (see README)
    quick: int       # --quick: a few milliseconds at most
    loop: bool       # counts toward the ">= 30x CPython on loop kernels" target
    suite: str = "loops"

    @property
    def module(self) -> Any:
        return kernels if self.suite == "loops" else containers

    def args(self, size: int) -> tuple:
        # loop kernels take the size; container kernels the size and a seed
        return (size,) if self.suite == "loops" else (size, SEED)

    @property
    def has_cpp(self) -> bool:
        return self.suite == "loops"


# sum_squares* cannot go beyond n ~ 3.0e6: the C++ int64_t total would
# overflow (sum of i*i for i < 3e6 is ~9.0e18 < 2**63 ~ 9.22e18).
LOOP_KERNELS = [
    KernelSpec("sum_squares", 3_000_000, 1_000, True),
    KernelSpec("sum_squares_gen", 3_000_000, 1_000, True),
    KernelSpec("pairwise", 3_000, 50, True),
    KernelSpec("fib", 34, 15, False),
    KernelSpec("monte_carlo_pi", 2_000_000, 1_000, True),
    KernelSpec("count_primes", 300_000, 1_000, True),
    KernelSpec("nbody", 100_000, 1_000, True),
    KernelSpec("mandelbrot", 600, 20, True),
]

# Lists, dicts, strings, a class and sorting; no C++ baseline.  Sizes: CPython
# takes about 1-2 s each (see README).
CONTAINER_KERNELS = [
    KernelSpec("word_frequency", 2_000_000, 2_000, False, "containers"),
    KernelSpec("group_by", 5_000_000, 1_000, False, "containers"),
    KernelSpec("records", 500_000, 500, False, "containers"),
    KernelSpec("sort_key", 600_000, 1_000, False, "containers"),
]

SUITES = {"loops": LOOP_KERNELS, "containers": CONTAINER_KERNELS}
KERNELS = LOOP_KERNELS + CONTAINER_KERNELS

# ALLOWANCE, to be removed: kernels that shoal may still reject with
# shoal.UnsupportedError while the compiler is gaining lists, dicts, strings and
# classes.  Their shoal cell reads "unsupported" and the run does not fail.
# Take a name out as soon as shoal compiles that kernel (and drop the set, and
# --allow-unsupported, once it is empty).  An UnsupportedError on any other
# kernel is a failure.  tests/python/test_bench_smoke.py has its own copy.
SHOAL_UNSUPPORTED_ALLOWED = frozenset()  # every container kernel compiles now
UNSUPPORTED = "unsupported"

# Targets.
TARGET_VS_CPP = 1.5          # shoal time <= 1.5 x C++ time
TARGET_VS_CPYTHON = 30.0     # CPython time / shoal time >= 30 on loop kernels
TARGET_FIRST_CALL_S = 0.050  # first call of a never-compiled function
TARGET_HELLO_S = 0.300       # `build/shoal run examples/hello.py`
TARGET_CONTAINERS_VS_CPYTHON = 5.0  # CPython time / shoal time >= 5 on container kernels (and < PyPy's)

FLOAT_RTOL = 1e-9
UNAVAILABLE = "shoal unavailable"


# --------------------------------------------------------------------------
# small helpers

def best_of(repeat: int, fn: Callable[[], Any], pause_gc: bool = True) -> tuple[float, Any]:
    """Run fn() `repeat` times; return (fastest wall time, last result).

    pause_gc: the cyclic GC is off while timing (loop kernels).  Otherwise it
    stays on and a collection runs before each call (container kernels)."""
    best = math.inf
    result = None
    gc_was_enabled = gc.isenabled()
    gc.collect()
    if pause_gc:
        gc.disable()
    try:
        for _ in range(repeat):
            if not pause_gc:
                gc.collect()
            t0 = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - t0
            best = min(best, elapsed)
    finally:
        if gc_was_enabled:
            gc.enable()
    return best, result


def agree(expected: Any, got: Any) -> bool:
    """ints exactly (and must come back as ints); floats to 1e-9 relative;
    tuples element by element (and must come back as tuples)."""
    if isinstance(expected, tuple):
        return (isinstance(got, tuple) and len(got) == len(expected)
                and all(agree(e, g) for e, g in zip(expected, got)))
    if isinstance(expected, bool) or isinstance(expected, int):
        return isinstance(got, int) and int(got) == int(expected)
    if isinstance(expected, float):
        if not isinstance(got, (int, float)):
            return False
        got = float(got)
        if math.isnan(expected) or math.isnan(got):
            return math.isnan(expected) and math.isnan(got)
        if expected == got:
            return True
        return abs(expected - got) <= FLOAT_RTOL * max(abs(expected), abs(got))
    return expected == got


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "-"
    if s >= 100:
        return f"{s:.0f}"
    if s >= 1e-3:
        return f"{s:.4f}"
    return f"{s:.2e}"


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "-"
    if r >= 100:
        return f"{r:.0f}x"
    if r >= 10:
        return f"{r:.1f}x"
    return f"{r:.2f}x"



def status(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "NOT met")


def render_table(headers: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        out = ["| " + " | ".join(headers) + " |",
               "|" + "|".join("---" for _ in headers) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out)


def call_text(name: str, args: tuple) -> str:
    return f"{name}({', '.join(map(repr, args))})"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# C++ baseline

@dataclass
class CppOutcome:
    available: bool
    note: str = ""
    error: bool = False           # compile/run failure (fatal) vs. no compiler
    results: dict[str, dict] = field(default_factory=dict)


def build_cpp() -> tuple[Path | None, str, bool]:
    """Compile bench/cpp/kernels.cpp into a temp dir, cached by source mtime.

    Returns (executable or None, note, is_error)."""
    cxx = os.environ.get("CXX", "g++")
    if shutil.which(cxx) is None:
        return None, f"C++ compiler {cxx!r} not found", False
    st = CPP_SOURCE.stat()
    key = hashlib.sha256(
        f"{CPP_SOURCE}|{st.st_mtime_ns}|{st.st_size}|{cxx}|{' '.join(CXX_FLAGS)}".encode()
    ).hexdigest()[:16]
    cache_dir = Path(tempfile.gettempdir()) / f"shoal-bench-{os.getuid()}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    exe = cache_dir / f"kernels-{key}"
    if exe.exists():
        return exe, f"cached {exe}", False
    tmp = cache_dir / f"kernels-{key}.tmp{os.getpid()}"
    cmd = [cxx, *CXX_FLAGS, "-o", str(tmp), str(CPP_SOURCE)]
    log(f"[bench] compiling C++ baseline: {' '.join(cmd)}")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        return None, f"C++ compile failed:\n{proc.stderr}", True
    os.replace(tmp, exe)  # atomic: concurrent runs never see half a binary
    return exe, f"compiled {exe}", False


def run_cpp(specs: list[KernelSpec], sizes: dict[str, int], repeat: int) -> CppOutcome:
    exe, note, is_error = build_cpp()
    if exe is None:
        return CppOutcome(False, note, is_error)
    cmd = [str(exe), "--repeat", str(repeat)]
    for spec in specs:
        cmd += [spec.name, str(sizes[spec.name])]
    log(f"[bench] running C++ baseline ({len(specs)} kernels, best of {repeat})")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return CppOutcome(False, f"C++ baseline failed (rc={proc.returncode}):\n{proc.stderr}", True)
    out = CppOutcome(True, note)
    for line in proc.stdout.splitlines():
        if line.strip():
            rec = json.loads(line)
            out.results[rec["kernel"]] = rec
    return out


# --------------------------------------------------------------------------
# PyPy (bench/pyrun.py in a pypy3 subprocess)

@dataclass
class PypyOutcome:
    available: bool
    note: str = ""
    error: bool = False           # the subprocess failed (fatal) vs. no pypy3
    version: str = ""
    results: dict[str, dict] = field(default_factory=dict)


def from_json(v: Any) -> Any:
    """Kernel results come back from pyrun.py with tuples as JSON lists; the
    kernels never return lists, so every list was a tuple."""
    if isinstance(v, list):
        return tuple(from_json(x) for x in v)
    return v


def run_pypy(exe_name: str, specs: list[KernelSpec], sizes: dict[str, int],
             warmup: int, repeat: int) -> PypyOutcome:
    exe = shutil.which(exe_name)
    if exe is None:
        return PypyOutcome(False, f"{exe_name!r} not found (Debian: apt-get install pypy3)")
    jobs = [{"module": s.module.__name__, "kernel": s.name, "args": list(s.args(sizes[s.name])),
             "pause_gc": s.suite == "loops"} for s in specs]
    log(f"[bench] running PyPy ({exe}; {len(specs)} kernels, {warmup} warm-up + best of {repeat})")
    proc = subprocess.run([exe, str(PYRUN)], input=json.dumps(
        {"warmup": warmup, "repeat": repeat, "jobs": jobs}), capture_output=True, text=True)
    if proc.stderr:
        sys.stderr.write(proc.stderr)
    out = PypyOutcome(True, exe)
    lines = []
    for line in proc.stdout.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # not one of pyrun.py's lines (something a kernel printed)
        if isinstance(rec, dict):
            lines.append(rec)
    if lines and "python" in lines[0]:
        out.version = lines.pop(0)["python"]
    for rec in lines:
        out.results[rec["kernel"]] = rec
    if proc.returncode != 0:
        out.error = True
        out.note = f"PyPy runner failed (rc={proc.returncode}):\n{proc.stderr[-2000:]}"
    return out


# --------------------------------------------------------------------------
# shoal

def import_shoal(build_dir: Path) -> tuple[Any, str]:
    """Returns (module or None, note)."""
    py_dir = build_dir / "python"
    if py_dir.is_dir():
        sys.path.insert(0, str(py_dir))
    try:
        import shoal  # type: ignore
    except Exception as exc:  # ImportError, or anything the module raises
        return None, f"import shoal failed: {type(exc).__name__}: {exc}"
    return shoal, f"shoal from {getattr(shoal, '__file__', '?')}"


FRESH_TEMPLATE = '''\
import math


def {name}(n):
    # generated by bench/run.py; the constants make the source unique
    seed = {seed}
    acc = {offset}
    total = 0.0
    for i in range(n):
        v = (i * seed + {offset}) % 1000003
        if v % 3 == 0:
            acc += v
        else:
            acc -= v % 7
        total += math.sqrt(v + 1.0)
    k = 0
    while k < 10:
        acc += k * seed % 97
        k += 1
    pair = (acc, total)
    a, b = pair
    best = max(a % 1000, int(b) % 1000)
    return a + best + sum(j * j for j in range(k))
'''


def make_fresh_function(tmpdir: Path, index: int) -> Callable[[int], int]:
    """Write a never-seen-before ~20-line kernel to a .py file and import it.

    The function name and its constants are derived from pid, time and index,
    so no compile cache (in-process or on disk) can have seen this source."""
    token = f"{os.getpid()}_{time.time_ns()}_{index}"
    digest = int(hashlib.sha256(token.encode()).hexdigest(), 16)
    name = f"fresh_{hashlib.sha256(token.encode()).hexdigest()[:12]}"
    seed = 1_000 + digest % 1_000_000
    offset = (digest >> 64) % 100_000
    module_name = f"shoal_bench_{name}"
    path = tmpdir / f"{module_name}.py"
    path.write_text(FRESH_TEMPLATE.format(name=name, seed=seed, offset=offset))
    importlib.invalidate_caches()
    module = importlib.import_module(module_name)
    return getattr(module, name)


def measure_first_call(cluster: Any, count: int) -> dict:
    tmpdir = Path(tempfile.mkdtemp(prefix="shoal-bench-fresh-"))
    sys.path.insert(0, str(tmpdir))
    times: list[float] = []
    errors: list[str] = []
    try:
        for i in range(count):
            fn = make_fresh_function(tmpdir, i)
            arg = 1_000
            expected = fn(arg)
            t0 = time.perf_counter()
            got = cluster.submit(fn, arg).result()
            elapsed = time.perf_counter() - t0
            if not agree(expected, got):
                errors.append(f"fresh function {i}: shoal returned {got!r}, CPython {expected!r}")
            times.append(elapsed)
    finally:
        sys.path.remove(str(tmpdir))
        shutil.rmtree(tmpdir, ignore_errors=True)
    return {"best": min(times), "median": statistics.median(times), "all": times,
            "errors": errors}


# --------------------------------------------------------------------------
# `build/shoal run examples/hello.py`

def display_path(p: Path) -> str:
    return str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p)


def measure_hello(build_dir: Path, script: Path, runs: int) -> dict:
    exe = build_dir / "shoal"
    if not exe.exists():
        return {"skipped": f"{display_path(exe)} does not exist"}
    if not script.exists():
        return {"skipped": f"{display_path(script)} does not exist"}
    cmd = [str(exe), "run", display_path(script)]

    def once() -> tuple[float, subprocess.CompletedProcess]:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
        return time.perf_counter() - t0, proc

    _, proc = once()  # warm the OS file cache; not counted
    if proc.returncode != 0:
        return {"error": f"`{' '.join(cmd)}` exited {proc.returncode}:\n{proc.stdout}{proc.stderr}"}
    times = []
    for _ in range(runs):
        elapsed, proc = once()
        if proc.returncode != 0:
            return {"error": f"`{' '.join(cmd)}` exited {proc.returncode}:\n{proc.stdout}{proc.stderr}"}
        times.append(elapsed)
    return {"median": statistics.median(times), "best": min(times), "all": times,
            "stdout": proc.stdout.strip()}


# --------------------------------------------------------------------------

@dataclass
class Row:
    spec: KernelSpec
    size: int
    cpython_s: float | None = None
    cpython_result: Any = None
    shoal_s: float | None = None
    shoal_first_s: float | None = None   # warm-up submit, includes compilation
    shoal_result: Any = None
    shoal_note: str = ""                 # "shoal unavailable" / "unsupported" / "error" / ...
    pypy_s: float | None = None
    pypy_result: Any = None
    pypy_note: str = ""                  # "unavailable" / "error" / "MISMATCH"
    cpp_s: float | None = None
    cpp_result: Any = None
    problems: list[str] = field(default_factory=list)

    @property
    def pypy_over_shoal(self) -> float | None:
        if self.pypy_s is None or not self.shoal_s:
            return None
        return self.pypy_s / self.shoal_s

    @property
    def cpython_over_pypy(self) -> float | None:
        if self.cpython_s is None or not self.pypy_s:
            return None
        return self.cpython_s / self.pypy_s

    @property
    def cpython_over_shoal(self) -> float | None:
        if self.cpython_s is None or not self.shoal_s:
            return None
        return self.cpython_s / self.shoal_s

    @property
    def shoal_over_cpp(self) -> float | None:
        if self.shoal_s is None or not self.cpp_s:
            return None
        return self.shoal_s / self.cpp_s

    def vs_cpython_met(self) -> bool | None:
        r = self.cpython_over_shoal
        if r is None or not self.spec.loop:
            return None
        return r >= TARGET_VS_CPYTHON

    def vs_cpp_met(self) -> bool | None:
        r = self.shoal_over_cpp
        return None if r is None else r <= TARGET_VS_CPP


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="tiny sizes: checks the harness and agreement, not speed")
    ap.add_argument("--repeat", type=int, default=3, metavar="R",
                    help="best of R timed runs per kernel and column (default 3)")
    ap.add_argument("--fast-repeat", type=int, default=None, metavar="N",
                    help="best of N for the shoal and C++ columns, which take milliseconds and are "
                         "noisier (default: max(R, 10); with --quick: R)")
    ap.add_argument("--markdown", metavar="FILE", help="also write the tables as markdown")
    ap.add_argument("--json", metavar="FILE", help="also write all raw figures as JSON")
    ap.add_argument("--suite", metavar="S,...",
                    help="only these suites: %s (default: all)" % ", ".join(
                        f"{name} ({', '.join(k.name for k in ks)})" for name, ks in SUITES.items()))
    ap.add_argument("--kernels", metavar="A,B,...",
                    help="only these kernels, from any suite (default: all of the suites)")
    ap.add_argument("--build-dir", default=str(REPO / "build"),
                    help="shoal build directory holding python/ and the shoal binary (default build/)")
    ap.add_argument("--no-shoal", action="store_true", help="skip shoal even if importable")
    ap.add_argument("--no-cpp", action="store_true", help="skip the C++ baseline")
    ap.add_argument("--pypy", default=os.environ.get("PYPY", "pypy3"), metavar="EXE",
                    help="PyPy interpreter (default: $PYPY or pypy3); missing = column unavailable")
    ap.add_argument("--no-pypy", action="store_true", help="skip the PyPy column")
    ap.add_argument("--pypy-warmup", type=int, default=None, metavar="W",
                    help="untimed warm-up calls per kernel under PyPy before the best of R "
                         "(default 2; with --quick: 1)")
    ap.add_argument("--allow-unsupported", metavar="A,B,...", default=None,
                    help="kernels whose shoal.UnsupportedError reads 'unsupported' instead of "
                         "failing the run (default: %s; '' allows none)"
                         % ",".join(sorted(SHOAL_UNSUPPORTED_ALLOWED)))
    ap.add_argument("--fresh", type=int, default=None, metavar="N",
                    help="number of fresh functions for the first-call latency (default 5, quick 3)")
    ap.add_argument("--hello-script", default=str(REPO / "examples" / "hello.py"), metavar="FILE",
                    help="script for the `shoal run` wall-time measurement (default examples/hello.py)")
    ap.add_argument("--hello-runs", type=int, default=5, metavar="N",
                    help="timed runs of `shoal run examples/hello.py` (median reported; default 5)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    if args.fast_repeat is None:
        args.fast_repeat = args.repeat if args.quick else max(args.repeat, 10)
    if args.fast_repeat < 1:
        ap.error("--fast-repeat must be >= 1")
    if args.pypy_warmup is None:
        args.pypy_warmup = 1 if args.quick else 2
    if args.pypy_warmup < 0:
        ap.error("--pypy-warmup must be >= 0")
    build_dir = Path(args.build_dir).resolve()

    specs = KERNELS
    if args.suite:
        wanted = [k.strip() for k in args.suite.split(",") if k.strip()]
        unknown = set(wanted) - set(SUITES)
        if unknown:
            ap.error(f"unknown suites: {', '.join(sorted(unknown))} (known: {', '.join(SUITES)})")
        specs = [k for k in specs if k.suite in wanted]
    if args.kernels:
        wanted = [k.strip() for k in args.kernels.split(",") if k.strip()]
        unknown = set(wanted) - {k.name for k in KERNELS}
        if unknown:
            ap.error(f"unknown kernels: {', '.join(sorted(unknown))}")
        specs = [k for k in specs if k.name in wanted]
    if not specs:
        ap.error("--suite and --kernels leave no kernel to run")
    if args.allow_unsupported is None:
        allowed_unsupported = set(SHOAL_UNSUPPORTED_ALLOWED)
    else:
        allowed_unsupported = {k.strip() for k in args.allow_unsupported.split(",") if k.strip()}
        unknown = allowed_unsupported - {k.name for k in KERNELS}
        if unknown:
            ap.error(f"unknown kernels in --allow-unsupported: {', '.join(sorted(unknown))}")
    loops_run = any(k.suite == "loops" for k in specs)
    cpp_specs = [k for k in specs if k.has_cpp]
    sizes = {k.name: (k.quick if args.quick else k.size) for k in specs}
    rows = {k.name: Row(k, sizes[k.name]) for k in specs}
    failures: list[str] = []
    notes: list[str] = []

    # ---- C++ (separate process; run first so nothing else competes) --------
    if not cpp_specs:
        cpp = CppOutcome(False, "no kernel of the loops suite selected")
    elif args.no_cpp:
        cpp = CppOutcome(False, "skipped (--no-cpp)")
    else:
        cpp = run_cpp(cpp_specs, sizes, args.fast_repeat)
    if cpp.error:
        failures.append(cpp.note)
    if not cpp.available and cpp_specs:
        notes.append(f"C++ unavailable: {cpp.note.splitlines()[0] if cpp.note else ''}")
    for name, rec in cpp.results.items():
        if name in rows:
            rows[name].cpp_s = rec["seconds"]
            rows[name].cpp_result = rec["result"]

    # ---- PyPy (separate process, one kernel at a time) -------------------------
    if args.no_pypy:
        pypy = PypyOutcome(False, "skipped (--no-pypy)")
    else:
        pypy = run_pypy(args.pypy, specs, sizes, args.pypy_warmup, args.repeat)
    if pypy.error:
        failures.append(pypy.note)
    if not pypy.available:
        notes.append(f"PyPy unavailable: {pypy.note}")
    for row in rows.values():
        rec = pypy.results.get(row.spec.name)
        if not pypy.available:
            row.pypy_note = "unavailable"
        elif rec is None:
            row.pypy_note = "error"
            row.problems.append("PyPy runner returned no result")
        elif "error" in rec:
            row.pypy_note = "error"
            row.problems.append(f"PyPy raised {rec['error']}")
        else:
            row.pypy_s = rec["seconds"]
            row.pypy_result = from_json(rec["result"])

    # ---- CPython (in process), before any shoal threads exist --------------
    for spec in specs:
        row = rows[spec.name]
        fn = getattr(spec.module, spec.name)
        fn_args = spec.args(row.size)
        log(f"[bench] CPython {call_text(spec.name, fn_args)} best of {args.repeat}")
        row.cpython_s, row.cpython_result = best_of(args.repeat, lambda: fn(*fn_args),
                                                    pause_gc=spec.suite == "loops")
        if cpp.available and row.cpp_result is not None and not agree(row.cpython_result, row.cpp_result):
            row.problems.append(f"C++ result {row.cpp_result!r} != CPython {row.cpython_result!r}")
        if row.pypy_s is not None and not agree(row.cpython_result, row.pypy_result):
            row.pypy_note = "MISMATCH"
            row.problems.append(f"PyPy result {row.pypy_result!r} != CPython {row.cpython_result!r}")

    # ---- shoal -----------------------------------------------------------------
    shoal_mod, shoal_note = (None, "skipped (--no-shoal)") if args.no_shoal else import_shoal(build_dir)
    first_call: dict | None = None
    cluster_cm = None
    cluster = None
    if shoal_mod is None:
        notes.append(f"{UNAVAILABLE}: {shoal_note}")
        for row in rows.values():
            row.shoal_note = UNAVAILABLE
    else:
        log(f"[bench] {shoal_note}")
        try:
            cluster_cm = shoal_mod.connect(workers=1)
            cluster = cluster_cm.__enter__()
        except Exception as exc:
            failures.append(f"shoal.connect(workers=1) failed: {type(exc).__name__}: {exc}")
            traceback.print_exc()
            cluster_cm = None
            for row in rows.values():
                row.shoal_note = "connect failed"
    if cluster is not None:
        try:
            for spec in specs:
                row = rows[spec.name]
                fn = getattr(spec.module, spec.name)
                fn_args = spec.args(row.size)
                log(f"[bench] shoal {call_text(spec.name, fn_args)} warm-up + best of {args.fast_repeat}")
                try:
                    t0 = time.perf_counter()
                    warm = cluster.submit(fn, *fn_args).result()
                    row.shoal_first_s = time.perf_counter() - t0
                    row.shoal_s, row.shoal_result = best_of(
                        args.fast_repeat, lambda: cluster.submit(fn, *fn_args).result(),
                        pause_gc=spec.suite == "loops")
                except shoal_mod.UnsupportedError as exc:
                    row.shoal_first_s = row.shoal_s = None
                    first_line = (str(exc).splitlines() or [""])[0]
                    if spec.name in allowed_unsupported:
                        row.shoal_note = UNSUPPORTED
                        notes.append(f"{spec.name}: shoal {UNSUPPORTED} (allowed for now): "
                                     f"UnsupportedError: {first_line}")
                        log(f"[bench] shoal {spec.name}: UnsupportedError: {first_line}")
                    else:
                        row.shoal_note = "error"
                        row.problems.append(f"shoal raised UnsupportedError: {exc}")
                        traceback.print_exc()
                    continue
                except Exception as exc:
                    row.shoal_note = "error"
                    row.problems.append(f"shoal raised {type(exc).__name__}: {exc}")
                    traceback.print_exc()
                    continue
                for label, value in (("warm-up", warm), ("timed", row.shoal_result)):
                    if not agree(row.cpython_result, value):
                        row.shoal_note = "MISMATCH"
                        row.problems.append(
                            f"shoal {label} result {value!r} != CPython {row.cpython_result!r}")
            n_fresh = args.fresh if args.fresh is not None else (3 if args.quick else 5)
            if n_fresh > 0 and loops_run:
                log(f"[bench] shoal first-call latency on {n_fresh} fresh functions")
                try:
                    first_call = measure_first_call(cluster, n_fresh)
                    failures.extend(first_call["errors"])
                except Exception as exc:
                    first_call = {"error": f"{type(exc).__name__}: {exc}"}
                    failures.append(f"first-call measurement failed: {first_call['error']}")
                    traceback.print_exc()
        finally:
            cluster_cm.__exit__(None, None, None)

    # ---- shoal run hello (with the loops suite) ----------------------------------
    hello_script = Path(args.hello_script).resolve()
    if loops_run:
        log(f"[bench] `shoal run {display_path(hello_script)}`")
        hello = measure_hello(build_dir, hello_script, args.hello_runs)
    else:
        hello = {"skipped": "the loops suite was not selected"}
    if "error" in hello:
        failures.append(hello["error"])

    for row in rows.values():
        failures.extend(f"{row.spec.name}: {p}" for p in row.problems)

    # ---- report ------------------------------------------------------------------
    report = build_report(args, specs, rows, cpp, pypy, shoal_mod is not None and cluster is not None,
                          first_call, hello, notes, failures)
    print(report["text"])
    if args.markdown:
        Path(args.markdown).write_text(report["markdown"])
        log(f"[bench] wrote {args.markdown}")
    if args.json:
        Path(args.json).write_text(json.dumps(report["json"], indent=2, default=repr) + "\n")
        log(f"[bench] wrote {args.json}")
    return 1 if failures else 0


def environment() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cxx = os.environ.get("CXX", "g++")
    try:
        cxx_version = subprocess.run([cxx, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except Exception:
        cxx_version = "unavailable"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                                capture_output=True, text=True).stdout.strip() or "none"
    except Exception:
        commit = "unknown"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        "cxx": f"{cxx_version} {' '.join(CXX_FLAGS)}",
        "commit": commit,
    }


def build_report(args, specs, rows, cpp, pypy, shoal_ok, first_call, hello, notes, failures) -> dict:
    env = environment()
    if pypy.available:
        env["pypy"] = pypy.version or pypy.note
    mode = "quick" if args.quick else "full"
    loop_specs = [s for s in specs if s.suite == "loops"]
    container_specs = [s for s in specs if s.suite == "containers"]
    if not loop_specs:
        env.pop("cxx", None)  # no C++ baseline without the loops suite

    def shoal_cell(r: Row) -> str:
        cell = r.shoal_note if r.shoal_note and r.shoal_s is None else fmt_seconds(r.shoal_s)
        if r.shoal_note == "MISMATCH":
            cell += " MISMATCH"
        return cell

    def pypy_cell(r: Row) -> str:
        cell = r.pypy_note if r.pypy_note and r.pypy_s is None else fmt_seconds(r.pypy_s)
        if r.pypy_note == "MISMATCH":
            cell += " MISMATCH"
        return cell

    headers = ["kernel", "size", "CPython s", "PyPy s", "shoal s", "C++ s", "CPython/shoal",
               "PyPy/shoal", "shoal/C++", f">={TARGET_VS_CPYTHON:g}x CPython",
               f"<={TARGET_VS_CPP:g}x C++", "shoal 1st call s"]

    def kernel_rows() -> list[list[str]]:
        out = []
        for spec in loop_specs:
            r = rows[spec.name]
            vs_py = status(r.vs_cpython_met())
            if r.shoal_s is None:
                vs_py = vs_cpp = "-"
            else:
                vs_cpp = status(r.vs_cpp_met())
                if not spec.loop:
                    vs_py = "n/a (not a loop kernel)"
            no_shoal = r.shoal_note or "-"
            out.append([
                spec.name, f"{r.size:,}", fmt_seconds(r.cpython_s), pypy_cell(r), shoal_cell(r),
                fmt_seconds(r.cpp_s) if cpp.available else "unavailable",
                fmt_ratio(r.cpython_over_shoal) if r.shoal_s is not None else no_shoal,
                fmt_ratio(r.pypy_over_shoal) if r.shoal_s is not None else no_shoal,
                fmt_ratio(r.shoal_over_cpp) if r.shoal_s is not None else no_shoal,
                vs_py, vs_cpp, fmt_seconds(r.shoal_first_s),
            ])
        return out

    c_headers = ["kernel", "size", "CPython s", "PyPy s", "shoal s", "CPython/shoal", "PyPy/shoal",
                 "CPython/PyPy", "shoal 1st call s"]

    def container_rows() -> list[list[str]]:
        out = []
        for spec in container_specs:
            r = rows[spec.name]
            out.append([
                spec.name, f"{r.size:,}", fmt_seconds(r.cpython_s), pypy_cell(r), shoal_cell(r),
                fmt_ratio(r.cpython_over_shoal), fmt_ratio(r.pypy_over_shoal),
                fmt_ratio(r.cpython_over_pypy), fmt_seconds(r.shoal_first_s),
            ])
        return out

    # summary of targets (loops suite only)
    loop_rows = [rows[s.name] for s in loop_specs if s.loop]
    speedups = [r.cpython_over_shoal for r in loop_rows if r.cpython_over_shoal is not None]
    vs_cpp = [rows[s.name].shoal_over_cpp for s in loop_specs
              if rows[s.name].shoal_over_cpp is not None]
    t_headers = ["target", "measured", "status"]
    t_rows = []
    if loop_specs:
        if speedups and len(speedups) == len(loop_rows):
            worst = min(speedups)
            t_rows.append([f"shoal >= {TARGET_VS_CPYTHON:g}x CPython on loop kernels",
                           f"worst {fmt_ratio(worst)}, geomean {fmt_ratio(geomean(speedups))}",
                           status(worst >= TARGET_VS_CPYTHON)])
        else:
            t_rows.append([f"shoal >= {TARGET_VS_CPYTHON:g}x CPython on loop kernels",
                           UNAVAILABLE if not shoal_ok else "incomplete", "n/a"])
        if vs_cpp and len(vs_cpp) == len(loop_specs):
            worst = max(vs_cpp)
            t_rows.append([f"shoal within {TARGET_VS_CPP:g}x of C++",
                           f"worst {fmt_ratio(worst)}, geomean {fmt_ratio(geomean(vs_cpp))}",
                           status(worst <= TARGET_VS_CPP)])
        else:
            t_rows.append([f"shoal within {TARGET_VS_CPP:g}x of C++",
                           UNAVAILABLE if not shoal_ok else "incomplete", "n/a"])
    if container_specs:
        c_rows = [rows[s.name] for s in container_specs]
        c_speedups = [r.cpython_over_shoal for r in c_rows if r.cpython_over_shoal is not None]
        if c_speedups and len(c_speedups) == len(c_rows):
            worst = min(c_speedups)
            t_rows.append([f"shoal >= {TARGET_CONTAINERS_VS_CPYTHON:g}x CPython on container kernels",
                           f"worst {fmt_ratio(worst)}, geomean {fmt_ratio(geomean(c_speedups))}",
                           status(worst >= TARGET_CONTAINERS_VS_CPYTHON)])
        vs_pypy = [r.pypy_over_shoal for r in c_rows if r.pypy_over_shoal is not None]
        if vs_pypy and len(vs_pypy) == len(c_rows):
            worst = min(vs_pypy)
            t_rows.append(["shoal faster than PyPy on container kernels",
                           f"worst PyPy/shoal {fmt_ratio(worst)}, geomean {fmt_ratio(geomean(vs_pypy))}",
                           status(worst > 1.0)])
    if loop_specs:
        if first_call and "best" in first_call:
            t_rows.append([f"first call <= {TARGET_FIRST_CALL_S * 1e3:g} ms",
                           f"best {first_call['best'] * 1e3:.1f} ms, median {first_call['median'] * 1e3:.1f} ms"
                           f" ({len(first_call['all'])} fresh functions)",
                           status(first_call["best"] <= TARGET_FIRST_CALL_S)])
        else:
            t_rows.append([f"first call <= {TARGET_FIRST_CALL_S * 1e3:g} ms",
                           (first_call or {}).get("error", UNAVAILABLE), "n/a"])
        hello_name = display_path(Path(args.hello_script).resolve())
        if "median" in hello:
            t_rows.append([f"`shoal run {hello_name}` <= {TARGET_HELLO_S * 1e3:g} ms",
                           f"median {hello['median'] * 1e3:.1f} ms of {len(hello['all'])}"
                           f" (best {hello['best'] * 1e3:.1f} ms)",
                           status(hello["median"] <= TARGET_HELLO_S)])
        else:
            t_rows.append([f"`shoal run {hello_name}` <= {TARGET_HELLO_S * 1e3:g} ms",
                           "skipped: " + hello["skipped"] if "skipped" in hello else "failed", "n/a"])

    env_lines = [f"{k}: {v}" for k, v in env.items()]
    method = (f"CPython in-process, best of {args.repeat}; "
              f"PyPy = {args.pypy} subprocess, {args.pypy_warmup} warm-up calls then best of {args.repeat}; "
              f"shoal = submit(f, *args).result() after a warm-up submit, best of {args.fast_repeat}")
    if loop_specs:
        method += f"; C++ (loops) = {' '.join(['g++', *CXX_FLAGS])}, best of {args.fast_repeat}"
    if container_specs:
        method += "; GC paused while timing loop kernels, left on for container kernels"
    head = f"shoal benchmark ({mode} sizes; {method})"
    if args.quick:
        notes.insert(0, "quick sizes: this run checks the harness and result agreement; "
                        "its timings and target verdicts are not meaningful")
    if any(r.problems for r in rows.values()):
        agreement = "PROBLEMS with some kernels -- see PROBLEMS below"
    else:
        agreement = ("all available results agree (ints exactly, floats to 1e-9 relative, "
                     "tuples element by element)")

    def assemble(markdown: bool) -> str:
        parts = []
        if markdown:
            parts.append(f"### shoal benchmark ({mode} sizes)\n")
            parts.append(method + ".\n")
            parts.append("\n".join(f"- {l}" for l in env_lines) + "\n")
        else:
            parts.append(head)
            parts.append("\n".join(env_lines))
            parts.append("")
        if loop_specs:
            if container_specs:
                parts.append("#### loops suite\n" if markdown else "loops suite:")
            parts.append(render_table(headers, kernel_rows(), markdown))
            parts.append("")
        if container_specs:
            if loop_specs:
                parts.append("#### containers suite\n" if markdown else "containers suite:")
            parts.append(render_table(c_headers, container_rows(), markdown))
            parts.append("")
        parts.append(agreement)
        if t_rows:
            parts.append("")
            parts.append(render_table(t_headers, t_rows, markdown))
        if notes:
            parts.append("")
            parts.extend(("- " if markdown else "note: ") + n for n in notes)
        if failures:
            parts.append("")
            parts.append("PROBLEMS:")
            parts.extend(("- " if markdown else "  ") + f.replace("\n", "\n    ") for f in failures)
        return "\n".join(parts) + "\n"

    raw = {
        "mode": mode, "repeat": args.repeat, "fast_repeat": args.fast_repeat, "environment": env,
        "kernels": {s.name: {
            "suite": s.suite, "size": rows[s.name].size, "args": list(s.args(rows[s.name].size)),
            "cpython_s": rows[s.name].cpython_s, "cpython_result": rows[s.name].cpython_result,
            "pypy_s": rows[s.name].pypy_s, "pypy_result": rows[s.name].pypy_result,
            "pypy_note": rows[s.name].pypy_note,
            "pypy_warmup_s": pypy.results.get(s.name, {}).get("warmup_s"),
            "pypy_all_s": pypy.results.get(s.name, {}).get("all_s"),
            "shoal_s": rows[s.name].shoal_s, "shoal_first_call_s": rows[s.name].shoal_first_s,
            "shoal_result": rows[s.name].shoal_result, "shoal_note": rows[s.name].shoal_note,
            "cpp_s": rows[s.name].cpp_s, "cpp_result": rows[s.name].cpp_result,
            "problems": rows[s.name].problems,
        } for s in specs},
        "first_call": first_call, "hello": hello, "notes": notes, "failures": failures,
    }
    return {"text": assemble(False), "markdown": assemble(True), "json": raw}


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


if __name__ == "__main__":
    sys.exit(main())
