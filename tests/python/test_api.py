"""The Python API as a user relies on it: shoal.connect(), Cluster.submit(), Future.result(),
stats() and dumps(), remote exceptions with their tracebacks, print output, limits, and
several clusters and many calls at once.

Each test compares with what CPython gives for the same call wherever that is meaningful.
Needs an importable `shoal` (tests/conftest.py puts $SHOAL_BUILD_DIR/python on sys.path).
"""

import math
import os
import subprocess
import sys
import textwrap
import threading
import traceback

import pytest

import shoal

HERE = os.path.abspath(__file__)
BUILD = os.environ.get("SHOAL_BUILD_DIR", os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))), "build"))
TIMEOUT = 60  # seconds for any single result(); calls here take milliseconds


@pytest.fixture(scope="module")
def cluster():
    with shoal.connect(workers=2) as c:
        yield c


def marker_line(tag):
    """The line of this file carrying the comment `# LINE: tag` (never hard-coded)."""
    with open(HERE, encoding="utf-8") as f:
        hits = [n for n, text in enumerate(f, 1) if text.rstrip().endswith("# LINE: " + tag)]
    assert len(hits) == 1, tag
    return hits[0]


def cpython_outcome(fn, *args, **kwargs):
    """("value", v) or ("error", type, str) of calling fn in CPython."""
    try:
        return ("value", fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001
        return ("error", type(e), str(e))


def shoal_outcome(cluster, fn, *args, **kwargs):
    try:
        return ("value", cluster.submit(fn, *args, **kwargs).result(timeout=TIMEOUT))
    except Exception as e:  # noqa: BLE001
        return ("error", type(e), str(e))


def same(a, b):
    """Equal with identical types all the way down; floats bit-exact, NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return (a != a and b != b) or (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))
    return a == b


def remote_frames(exc):
    """(file, function, line) of the traceback entries after shoal's own frames (the remote
    ones), read from the traceback objects themselves."""
    out = []
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        out.append((code.co_filename, code.co_name, tb.tb_lineno))
        tb = tb.tb_next
    package = os.path.dirname(shoal.__file__)
    last_own = max((i for i, f in enumerate(out) if os.path.dirname(f[0]) == package), default=-1)
    return out[last_own + 1:]


# ---------------------------------------------------------------- functions submitted below

def ident(x):
    return x


def describe(i, f, s, t, n, b, big):
    return (i * 3 - 1, f / 4, s + "!", t[1], n, not b, big * big + 1)


def add3(a, b=10, c=100):
    return a + b * 2 + c * 3


def with_kwonly(a, *, b=2):
    return a + b


def double(x):
    return x * 2


def uses_module_function(x):
    return double(x) + double(x + 1)


SCALE = 7


def uses_global_and_math(x):
    return x * SCALE + math.floor(math.sqrt(x))


def make_adder(n):
    def adder(x):
        return x + n
    return adder


def counts_with_a_nested_function(k):
    count = 0

    def step():
        nonlocal count
        count += 1
        return count
    for _ in range(k):
        step()
    return count


def make_counter():
    count = 0

    def step(k):
        nonlocal count
        count += k  # LINE: nonlocal-rebind
        return count
    return step


def apply_twice(x):
    f = lambda y: y * 3 + 1  # noqa: E731
    return f(f(x))


def raise_value_error(x):
    raise ValueError("bad value")


def divide_by_zero(x):
    return x // 0


def float_divide_by_zero(x):
    return x / 0.0


def raise_key_error(x):
    raise KeyError("missing")


def index_out_of_range(t):
    return t[5]


def add_str_to_int(x):
    return x + "a"


def math_range_error(x):
    return math.exp(x)


def raise_runtime_error(x):
    raise RuntimeError("custom message " + str(x))


def raise_bare_value_error(x):
    raise ValueError


def inner_fails(x):
    y = x + 1
    raise ValueError("inner failed with " + str(y))  # LINE: inner-raise


def outer_calls_inner(x):
    z = inner_fails(x * 2)  # LINE: outer-call
    return z


def uses_match_statement(n):
    match n:  # LINE: list-literal
        case 1:
            return 0
    return n


def formats_with_percent(x):
    return "value=%d" % x


def returns_nul_string(x):
    return "a\x00b" + str(x)


def recurse_forever(n):
    return recurse_forever(n + 1) + 1


def huge_power(x):
    return 10 ** (10 ** 12) + x


def huge_string(x):
    return "x" * (10 ** 15) + str(x)


def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def power_of_two(n):
    return 2 ** n


def doubled(n):
    r = 1
    for _ in range(n):
        r = r + r
    return r


def square(x):
    return x * x


def cache_probe(x):
    return x + x * x


def dump_probe(x):
    return x * 5 - 3


def prints(n):
    print("first line", n)
    print("second", n + 1, "end")
    return n * 10


def prints_then_raises(n):
    print("about to fail", n)
    raise ZeroDivisionError("after printing")


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def mixed_work(n):
    total = 0
    for i in range(1, n + 1):
        total += i * i if i % 3 else -i
    return (total, total / n, str(total), total > 0)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


# ---------------------------------------------------------------- values


@pytest.mark.parametrize("value", [
    0, 1, -5, 2 ** 63 - 1, -2 ** 63,
    2.5, -0.0, float("inf"), float("-inf"), float("nan"), 1e308, 5e-324,
    "", "hello", "héllo wörld", "日本語 😀", "tab\tnew\nline",
    None, True, False,
    2 ** 63, -2 ** 63 - 1, 2 ** 100, -2 ** 70, 10 ** 40 + 7,
    (), (1,), (1, "a", (2.0, None), (True, (2 ** 80,))), tuple(range(100)),
], ids=lambda v: repr(v) if len(repr(v)) < 40 else repr(v)[:36] + "...")
def test_value_round_trips_with_its_type(cluster, value):
    result = cluster.submit(ident, value).result(timeout=TIMEOUT)
    assert same(result, value), (value, result)


def test_strings_with_nul_characters(cluster):
    assert cluster.submit(ident, "a\x00b").result(timeout=TIMEOUT) == "a\x00b"
    assert cluster.submit(returns_nul_string, 1).result(timeout=TIMEOUT) == "a\x00b1"


def test_arguments_of_every_type_are_computed_on(cluster):
    args = (4, 3.0, "s", ("x", "y"), None, False, 2 ** 70)
    assert same(cluster.submit(describe, *args).result(timeout=TIMEOUT), describe(*args))


def test_keyword_arguments_and_defaults(cluster):
    cases = [((1,), {}), ((1, 2), {}), ((1, 2, 3), {}), ((1,), {"c": 3}), ((), {"a": 1, "b": 2, "c": 3}),
             ((), {"c": 5, "a": -1}), ((1.5,), {"b": 0.25})]
    for args, kwargs in cases:
        got = cluster.submit(add3, *args, **kwargs).result(timeout=TIMEOUT)
        assert same(got, add3(*args, **kwargs)), (args, kwargs, got)


def test_binding_errors_are_reported_like_cpython(cluster):
    with pytest.raises(TypeError, match="add3"):
        cluster.submit(add3)
    with pytest.raises(TypeError, match="add3"):
        cluster.submit(add3, 1, d=4)
    with pytest.raises(TypeError, match="add3"):
        cluster.submit(add3, 1, 2, 3, 4)


def test_keyword_only_parameters_work_or_are_reported_unsupported(cluster):
    try:
        assert cluster.submit(with_kwonly, 1, b=5).result(timeout=TIMEOUT) == 6
    except shoal.UnsupportedError as e:
        assert os.path.basename(HERE) in str(e)


def test_calls_other_module_functions_globals_and_math(cluster):
    assert cluster.submit(uses_module_function, 5).result(timeout=TIMEOUT) == uses_module_function(5)
    assert cluster.submit(uses_global_and_math, 17).result(timeout=TIMEOUT) == uses_global_and_math(17)


def test_closures_nonlocal_and_lambdas(cluster):
    add7 = make_adder(7)
    assert cluster.submit(add7, 5).result(timeout=TIMEOUT) == 12
    assert cluster.submit(make_adder("-post"), "fix").result(timeout=TIMEOUT) == "fix-post"
    assert cluster.submit(counts_with_a_nested_function, 4).result(timeout=TIMEOUT) == 4
    assert cluster.submit(apply_twice, 2).result(timeout=TIMEOUT) == apply_twice(2)


def test_submitted_closure_rebinding_its_nonlocal_is_reported_unsupported(cluster):
    # the cell lives in this process; the node cannot write it back, so shoal refuses clearly
    with pytest.raises(shoal.UnsupportedError) as info:
        cluster.submit(make_counter(), 4).result(timeout=TIMEOUT)
    assert "%s, line %d" % (HERE, marker_line("nonlocal-rebind")) in str(info.value)


def test_returning_a_function_is_unsupported_not_garbage(cluster):
    with pytest.raises(shoal.UnsupportedError, match="function"):
        cluster.submit(make_adder, 3).result(timeout=TIMEOUT)


@pytest.mark.parametrize("value", [b"ab", 1 + 2j, (1, b"x"), object()],
                         ids=["bytes", "complex", "tuple-with-bytes", "object"])
def test_argument_of_an_unsupported_type_is_reported(cluster, value):
    with pytest.raises(shoal.UnsupportedError) as info:
        cluster.submit(ident, value).result(timeout=TIMEOUT)
    msg = str(info.value)
    assert HERE in msg and "is not supported by shoal yet" in msg, msg
    assert type(value if not isinstance(value, tuple) else value[1]).__name__ in msg, msg


def test_only_python_functions_can_be_submitted(cluster):
    with pytest.raises(shoal.UnsupportedError, match="builtin_function_or_method"):
        cluster.submit(len, "abc")


def test_result_is_kept_and_done_reports_it(cluster):
    fut = cluster.submit(square, 12)
    assert fut.result(timeout=TIMEOUT) == 144
    assert fut.done()
    assert fut.result() == 144
    assert fut.result(timeout=0) == 144


def test_submit_after_close_raises():
    c = shoal.connect(workers=1)
    assert c.submit(square, 3).result(timeout=TIMEOUT) == 9
    c.close()
    c.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="closed"):
        c.submit(square, 3)


# ---------------------------------------------------------------- timeouts

# A call that runs for many seconds cannot be cancelled yet, and closing its cluster waits for it;
# so it runs in a child process that is thrown away (os._exit) once the checks are made.
_TIMEOUT_SCRIPT = textwrap.dedent("""
    import os, sys, threading, time
    sys.path.insert(0, {pkg!r})
    import shoal

    def spin(n):
        t = 0
        for i in range(n):
            t += i & 1
        return t

    def square(x):
        return x * x

    def report(*words):
        print(*words, flush=True)

    c = shoal.connect(workers=2)
    fut = c.submit(spin, 10 ** 10)
    t0 = time.monotonic()
    try:
        fut.result(timeout=0.5)
        report("NO-TIMEOUT")
    except TimeoutError as e:
        report("TIMEOUT", round(time.monotonic() - t0, 2), str(e))
    report("DONE", fut.done())
    try:
        fut.result(timeout=0.1)
        report("NO-TIMEOUT-2")
    except TimeoutError:
        report("TIMEOUT-2")
    report("SAME-CLUSTER", c.submit(square, 7).result(timeout=30))
    with shoal.connect(workers=1) as other:
        report("OTHER-CLUSTER", other.submit(square, 8).result(timeout=30))
    closer = threading.Thread(target=c.close, daemon=True)
    closer.start()
    closer.join(2)
    report("CLOSED-WHILE-RUNNING", not closer.is_alive())
    os._exit(0)
""")


@pytest.fixture(scope="module")
def timeout_run(tmp_path_factory):
    script = tmp_path_factory.mktemp("timeout") / "timeout_script.py"
    script.write_text(_TIMEOUT_SCRIPT.format(pkg=os.path.join(BUILD, "python")))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    lines = {}
    for line in proc.stdout.splitlines():
        key, _, rest = line.partition(" ")
        lines[key] = rest
    return proc, lines


def test_result_timeout_raises_timeout_error_and_the_node_keeps_working(timeout_run):
    proc, lines = timeout_run
    info = "rc=%s\nstdout:\n%s\nstderr:\n%s" % (proc.returncode, proc.stdout, proc.stderr)
    assert proc.returncode == 0, info
    assert "TIMEOUT" in lines, info
    waited = float(lines["TIMEOUT"].split()[0])
    assert 0.4 <= waited < 5, info
    assert "0.5" in lines["TIMEOUT"], info  # the message names the timeout
    assert lines["DONE"] == "False", info
    assert "TIMEOUT-2" in lines, info  # waiting again times out again
    assert lines["SAME-CLUSTER"] == "49", info  # another worker of the same node answers
    assert lines["OTHER-CLUSTER"] == "64", info


@pytest.mark.xfail(strict=True, reason="known limitation: a running call cannot be cancelled, so "
                   "Cluster.close() (and leaving `with shoal.connect()`) blocks until it ends")
def test_close_returns_while_a_call_is_still_running(timeout_run):
    proc, lines = timeout_run
    assert lines.get("CLOSED-WHILE-RUNNING") == "True", proc.stdout


# ---------------------------------------------------------------- exceptions


@pytest.mark.parametrize("fn, arg", [
    (raise_value_error, 1),
    (raise_bare_value_error, 1),
    (divide_by_zero, 5),
    (float_divide_by_zero, 5.0),
    (raise_key_error, 1),
    (index_out_of_range, (1, 2)),
    (add_str_to_int, 1),
    (math_range_error, 1000.0),
    (raise_runtime_error, 42),
], ids=lambda v: getattr(v, "__name__", repr(v)))
def test_exception_has_the_same_type_and_message_as_cpython(cluster, fn, arg):
    expected = cpython_outcome(fn, arg)
    assert expected[0] == "error"
    got = shoal_outcome(cluster, fn, arg)
    assert got == expected


def test_remote_exception_is_an_instance_of_its_builtin_type(cluster):
    with pytest.raises(LookupError) as info:
        cluster.submit(raise_key_error, 1).result(timeout=TIMEOUT)
    assert type(info.value) is KeyError
    assert info.value.args == ("missing",)


def test_traceback_names_file_function_and_line(cluster):
    with pytest.raises(ValueError) as info:
        cluster.submit(inner_fails, 1).result(timeout=TIMEOUT)
    assert str(info.value) == "inner failed with 2"
    frames = remote_frames(info.value)
    assert (HERE, "inner_fails", marker_line("inner-raise")) in frames, frames


def test_traceback_of_a_nested_call_shows_both_functions_outermost_first(cluster):
    with pytest.raises(ValueError) as info:
        cluster.submit(outer_calls_inner, 3).result(timeout=TIMEOUT)
    assert str(info.value) == "inner failed with 7"
    frames = remote_frames(info.value)
    outer = (HERE, "outer_calls_inner", marker_line("outer-call"))
    inner = (HERE, "inner_fails", marker_line("inner-raise"))
    assert outer in frames and inner in frames, frames
    assert frames.index(outer) < frames.index(inner), frames
    assert frames[-1] == inner, frames  # the raising statement is the innermost entry


def test_traceback_module_shows_the_remote_lines(cluster):
    with pytest.raises(ValueError) as info:
        cluster.submit(outer_calls_inner, 3).result(timeout=TIMEOUT)
    summary = [(f.filename, f.name, f.lineno) for f in traceback.extract_tb(info.value.__traceback__)]
    assert (HERE, "outer_calls_inner", marker_line("outer-call")) in summary, summary
    assert (HERE, "inner_fails", marker_line("inner-raise")) in summary, summary
    text = "".join(traceback.format_exception(info.value))
    assert 'line %d, in inner_fails' % marker_line("inner-raise") in text, text


def test_unsupported_construct_names_file_and_line(cluster):
    with pytest.raises(shoal.UnsupportedError) as info:
        cluster.submit(uses_match_statement, 3).result(timeout=TIMEOUT)
    msg = str(info.value)
    assert HERE in msg, msg
    assert "line %d" % marker_line("list-literal") in msg, msg
    assert "not supported by shoal yet" in msg, msg


def test_percent_formatting_works_or_is_reported_unsupported(cluster):
    try:
        assert cluster.submit(formats_with_percent, 3).result(timeout=TIMEOUT) == "value=3"
    except shoal.UnsupportedError as e:
        assert HERE in str(e)


# ---------------------------------------------------------------- limits


def run_child(tmp_path, body, timeout=30):
    """Runs body (after `import shoal`) in a child Python; returns (returncode, stdout, stderr).
    For calls that crash or hang: the child ends with os._exit, never waiting on a stuck node."""
    path = tmp_path / "child.py"
    path.write_text("import os, sys\nsys.path.insert(0, %r)\nimport shoal\n\n" % os.path.join(BUILD, "python")
                    + textwrap.dedent(body) + "\nsys.stdout.flush()\nos._exit(0)\n")
    try:
        proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or "", e.stderr or ""
    return proc.returncode, proc.stdout, proc.stderr


def test_infinite_recursion_raises_recursion_error_and_the_cluster_still_works(cluster):
    with pytest.raises(RecursionError, match="maximum recursion depth exceeded"):
        cluster.submit(recurse_forever, 0).result(timeout=TIMEOUT)
    assert cluster.submit(fib, 15).result(timeout=TIMEOUT) == 610
    with pytest.raises(RecursionError):  # a second time, same node
        cluster.submit(recurse_forever, 0).result(timeout=TIMEOUT)
    assert cluster.submit(square, 11).result(timeout=TIMEOUT) == 121


def test_recursion_within_the_limit_is_fine(cluster):
    assert cluster.submit(fib, 20).result(timeout=TIMEOUT) == 6765


@pytest.mark.parametrize("fn", [huge_power, huge_string], ids=lambda f: f.__name__)
def test_huge_allocation_raises_memory_error_and_the_cluster_still_works(cluster, fn):
    with pytest.raises(MemoryError):
        cluster.submit(fn, 1).result(timeout=TIMEOUT)
    assert cluster.submit(square, 9).result(timeout=TIMEOUT) == 81
    assert cluster.submit(factorial, 30).result(timeout=TIMEOUT) == math.factorial(30)


_GROW = """
def grow(n):
    s = "ab"
    for _ in range(n):
        s = s + s
    return len(s)

def square(x):
    return x * x

def attempt(label, c, n):
    try:
        print(label, c.submit(grow, n).result(timeout=30), flush=True)
    except MemoryError:
        print(label, "MemoryError", flush=True)
"""


def test_memory_limit_of_a_cluster_gives_memory_error(tmp_path):
    # in a child: the limit is set on the process's collected heap
    rc, out, err = run_child(tmp_path, _GROW + """
with shoal.connect(workers=1, memory_limit=32 << 20) as c:
    attempt("small", c, 10)
    attempt("too-big", c, 27)  # a 128 MiB string
    print("after", c.submit(square, 5).result(timeout=30))
    attempt("small-again", c, 12)
""")
    assert rc == 0, err[-2000:]
    assert out == "small 2048\ntoo-big MemoryError\nafter 25\nsmall-again 8192\n", (out, err[-2000:])


@pytest.mark.xfail(strict=True, reason="known limitation: the collected heap is one per process, "
                   "capped at the largest memory_limit any embedded cluster asked for; the per-cluster "
                   "limit binds only big-int and repetition sizes")
def test_memory_limit_stays_with_its_cluster(tmp_path):
    # a list grows on the collected heap, which only the process-wide cap bounds (strings and big
    # ints also check the call's own limit)
    rc, out, err = run_child(tmp_path, _GROW + """
def grow(n):
    xs = [0, 1]
    for _ in range(n):
        xs = xs + xs
    return len(xs)

small = shoal.connect(workers=1, memory_limit=32 << 20)
attempt("before", small, 24)
other = shoal.connect(workers=1)
attempt("after-another-connect", small, 24)
""")
    assert rc == 0, err[-2000:]
    assert out == "before MemoryError\nafter-another-connect MemoryError\n", (out, err[-2000:])


# ---------------------------------------------------------------- big ints, cache, dumps


def test_int_overflow_reruns_with_big_ints_exactly(cluster):
    fut = cluster.submit(factorial, 50)
    assert fut.result(timeout=TIMEOUT) == math.factorial(50)
    assert fut.stats()["deoptimised"] is True
    fut = cluster.submit(doubled, 200)
    assert fut.result(timeout=TIMEOUT) == 2 ** 200
    assert fut.stats()["deoptimised"] is True
    assert cluster.submit(power_of_two, 200).result(timeout=TIMEOUT) == 2 ** 200
    assert cluster.submit(power_of_two, 64).result(timeout=TIMEOUT) == 2 ** 64
    fut = cluster.submit(collatz_steps, 2 ** 70 + 1)  # a big int argument from the start
    assert fut.result(timeout=TIMEOUT) == collatz_steps(2 ** 70 + 1)


def test_big_int_of_4000_digits_crosses_both_ways(cluster):
    big = 3 ** 8000  # 3818 digits: under CPython's default int/str conversion limit of 4300
    assert cluster.submit(ident, big).result(timeout=TIMEOUT) == big
    assert cluster.submit(power_of_two, 13000).result(timeout=TIMEOUT) == 2 ** 13000


def test_big_int_argument_over_4300_digits(tmp_path):
    rc, out, err = run_child(tmp_path, """
        def ident(x):
            return x

        with shoal.connect(workers=1) as c:
            print("SAME", c.submit(ident, 3 ** 10000).result(timeout=30) == 3 ** 10000)
    """)
    assert (rc, out) == (0, "SAME True\n"), err[-2000:]


def test_big_int_result_over_4300_digits(cluster):
    assert cluster.submit(power_of_two, 20000).result(timeout=TIMEOUT) == 2 ** 20000


def test_multiplying_big_ints_of_hundreds_of_thousands_of_bits(tmp_path):
    rc, out, err = run_child(tmp_path, """
        def big_square_mod(n):
            x = 3 ** n
            y = x * x
            return y % 1000

        with shoal.connect(workers=1) as c:
            for n in (500000, 460000):
                try:
                    print(n, c.submit(big_square_mod, n).result(timeout=5) == big_square_mod(n), flush=True)
                except TimeoutError:
                    print(n, "TIMEOUT", flush=True)
                    os._exit(0)
    """, timeout=30)
    assert (rc, out) == (0, "500000 True\n460000 True\n"), (rc, out, err[-2000:])


def test_no_overflow_no_deopt(cluster):
    fut = cluster.submit(factorial, 20)  # 20! still fits in 64 bits
    assert fut.result(timeout=TIMEOUT) == math.factorial(20)
    assert fut.stats()["deoptimised"] is False
    fut = cluster.submit(doubled, 62)
    assert fut.result(timeout=TIMEOUT) == 2 ** 62
    assert fut.stats()["deoptimised"] is False


def test_stats_fields(cluster):
    stats = cluster.submit(square, 4).stats(timeout=TIMEOUT)
    assert set(stats) >= {"compile_seconds", "run_seconds", "cache_hit", "deoptimised"}
    assert stats["compile_seconds"] >= 0 and stats["run_seconds"] >= 0


def test_compile_cache_hit_for_the_same_function_and_types(cluster):
    first = cluster.submit(cache_probe, 3)
    assert first.result(timeout=TIMEOUT) == 12
    assert first.stats()["cache_hit"] is False
    second = cluster.submit(cache_probe, 5)
    assert second.result(timeout=TIMEOUT) == 30
    assert second.stats()["cache_hit"] is True
    assert second.stats()["compile_seconds"] <= first.stats()["compile_seconds"]
    other_types = cluster.submit(cache_probe, 0.5)
    assert other_types.result(timeout=TIMEOUT) == 0.75
    assert other_types.stats()["cache_hit"] is False
    again = cluster.submit(cache_probe, 1.5)
    assert again.result(timeout=TIMEOUT) == 3.75
    assert again.stats()["cache_hit"] is True


def test_dumps_hold_the_stages_asked_for(cluster):
    fut = cluster.submit(dump_probe, 2, dump="ast,ir,llvm")
    assert fut.result(timeout=TIMEOUT) == 7
    dumps = fut.dumps()
    assert set(dumps) == {"ast", "ir", "llvm"}
    assert all(text.strip() for text in dumps.values()), dumps
    assert "dump_probe" in dumps["ast"]
    assert "define" in dumps["llvm"]
    only_ast = cluster.submit(dump_probe, 3, dump="ast")
    assert only_ast.result(timeout=TIMEOUT) == 12
    assert set(only_ast.dumps()) == {"ast"}
    none = cluster.submit(dump_probe, 4)
    assert none.result(timeout=TIMEOUT) == 17
    assert none.dumps() == {}


def test_dumps_of_a_failing_call(cluster):
    fut = cluster.submit(divide_by_zero, 1, dump="ir")
    with pytest.raises(ZeroDivisionError):
        fut.result(timeout=TIMEOUT)
    assert set(fut.dumps()) == {"ir"}


# ---------------------------------------------------------------- print output


def test_print_output_appears_on_stdout(cluster, capsys):
    assert cluster.submit(prints, 3).result(timeout=TIMEOUT) == 30
    assert capsys.readouterr().out == "first line 3\nsecond 4 end\n"


def test_print_output_appears_even_when_the_call_raises(cluster, capsys):
    with pytest.raises(ZeroDivisionError, match="after printing"):
        cluster.submit(prints_then_raises, 8).result(timeout=TIMEOUT)
    assert capsys.readouterr().out == "about to fail 8\n"


def test_print_output_appears_once_per_call(cluster, capsys):
    fut = cluster.submit(prints, 1)
    fut.result(timeout=TIMEOUT)
    fut.result(timeout=TIMEOUT)
    fut.stats()
    assert capsys.readouterr().out == "first line 1\nsecond 2 end\n"


# ---------------------------------------------------------------- several clusters, many calls


def test_several_clusters_in_one_process():
    a = shoal.connect(workers=1)
    b = shoal.connect(workers=2)
    try:
        futs = [(c, n, c.submit(collatz_steps, n)) for n in range(1, 30) for c in (a, b)]
        for _, n, f in futs:
            assert f.result(timeout=TIMEOUT) == collatz_steps(n)
        a.close()
        assert b.submit(fib, 12).result(timeout=TIMEOUT) == 144  # closing one leaves the other
    finally:
        a.close()
        b.close()


def test_two_hundred_concurrent_submits(cluster):
    futures = [(n, cluster.submit(collatz_steps, n)) for n in range(1, 201)]
    for n, f in futures:
        assert f.result(timeout=TIMEOUT) == collatz_steps(n), n


def test_submits_from_several_threads(cluster):
    errors = []

    def work(base):
        try:
            futs = [(n, cluster.submit(mixed_work, n)) for n in range(base, base + 25)]
            for n, f in futs:
                got = f.result(timeout=TIMEOUT)
                if not same(got, mixed_work(n)):
                    errors.append((n, got))
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(1 + 25 * k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads)
    assert errors == []


_CALLS = [
    (fib, (18,)), (factorial, (40,)), (mixed_work, (50,)), (collatz_steps, (27,)),
    (power_of_two, (100,)), (describe, (1, 2.0, "z", (0, 1), None, True, 3)),
    (add3, (1.0, 2, 3)), (raise_value_error, (1,)), (divide_by_zero, (1,)),
]


def test_results_are_the_same_with_one_or_two_workers():
    outcomes = []
    for workers in (1, 2):
        with shoal.connect(workers=workers) as c:
            assert c.workers == workers
            outcomes.append([shoal_outcome(c, fn, *args) for fn, args in _CALLS])
    one, two = outcomes
    for (fn, args), x, y in zip(_CALLS, one, two):
        assert same(x[1], y[1]) if x[0] == "value" else x == y, fn.__name__
        assert x == cpython_outcome(fn, *args) if x[0] == "error" else same(x[1], fn(*args)), fn.__name__


def raises_with_args(k):
    if k == 1:
        raise KeyError(1)
    if k == 2:
        raise ValueError('a', 2)
    raise ValueError


@pytest.mark.parametrize("k", [1, 2, 3])
def test_remote_exceptions_keep_their_arguments(cluster, k):
    with pytest.raises(Exception) as local:
        raises_with_args(k)
    with pytest.raises(Exception) as remote:
        cluster.submit(raises_with_args, k).result(timeout=TIMEOUT)
    assert type(remote.value) is type(local.value)
    assert remote.value.args == local.value.args
    assert str(remote.value) == str(local.value)
