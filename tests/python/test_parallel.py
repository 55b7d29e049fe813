"""Automatic parallelism on one node: every parallel construct gives CPython's result (or
CPython's exception) with 1, 2 and 4 workers; float reductions are identical across worker
counts; the split tree shows pieces where expected and none for tiny inputs; explain() says
what runs in parallel and why the rest does not."""

import math

import pytest

import shoal



WORKERS = (1, 2, 4)


@pytest.fixture(scope="module", params=WORKERS, ids=lambda w: "%dw" % w)
def node(request):
    with shoal.connect(workers=request.param) as c:
        yield c


# ---------------------------------------------------------------- functions shipped to shoal

def is_prime(k):
    if k < 2:
        return False
    d = 2
    while d * d <= k:
        if k % d == 0:
            return False
        d += 1
    return True


def count_primes(n):
    return sum(1 for k in range(n) if is_prime(k))


def prime_list(n):
    return [k for k in range(n) if is_prime(k)]


def squares_of(xs):
    return [x * x - 3 for x in xs]


def float_sum(xs):
    return sum(x * 0.1 for x in xs)


def float_fold(n):
    total = 0.0
    for i in range(n):
        total += math.sin(i) * 1e-3
    return total


def int_fold(xs):
    total = 7
    for x in xs:
        total = total + x * x
    return total


def guarded_fold(n):
    hits = 0
    for i in range(n):
        if is_prime(i):
            hits += i
    return hits


def product_fold(n):
    p = 1
    for i in range(1, n):
        p *= (i % 7) + 1
    return p % 1000000007


def string_fold(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
    return s


def min_max(xs):
    lo = min((x * 37) % 1001 for x in xs)
    hi = max((x % 97, -x) for x in xs)
    return lo, hi


def min_max_fold(n):
    best = 10 ** 9
    for i in range(n):
        best = min(best, (i * 7919) % 100003)
    return best


def first_true(n, bad):
    # CPython stops at the first true element and never reaches the one that raises
    return any(check_big(i, bad) for i in range(n))


def check_big(i, bad):
    if i == bad:
        raise ValueError("reached %d" % i)
    return i * i > 1000


def all_small(xs):
    return all(x < 10 ** 6 for x in xs)


def raising_comp(n):
    return [10 // ((i - n // 3) * (i - 2 * n // 3)) for i in range(n)]


def raising_value(i, a, b):
    if i == a or i == b:
        raise ValueError("bad %d" % i)
    return i


def first_exception_wins(n):
    return sum(raising_value(i, n // 3, 2 * n // 3) for i in range(n))


def overflowing(n):
    return sum(i ** 5 for i in range(n))


def psum(lo, hi):
    if hi - lo <= 1000:
        return sum(i * i % 7 for i in range(lo, hi))
    mid = (lo + hi) // 2
    return psum(lo, mid) + psum(mid, hi)


def merge(a, b):
    out = []
    i = 0
    j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    return out + a[i:] + b[j:]


def msort(xs):
    if len(xs) <= 64:
        return sorted(xs)
    mid = len(xs) // 2
    return merge(msort(xs[:mid]), msort(xs[mid:]))


def dot(xs, ys):
    return sum(x * y for x, y in zip(xs, ys))


def correlation(xs, ys):
    sxy = dot(xs, ys)
    sxx = dot(xs, xs)
    syy = dot(ys, ys)
    return sxy / math.sqrt(sxx * syy)


def company_means(companies):
    return [sum(t * 1.5 for t in ts) / len(ts) for ts in companies]


def nested_counts(n):
    return [sum(1 for k in range(m * 50) if is_prime(k)) for m in range(n)]


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


DATA = list(range(50000))
FLOATS = [math.sin(i) * 1000.0 for i in range(40000)]
COMPANIES = [[(c * 31 + t * 7) % 1000 for t in range(50 + c % 300)] for c in range(300)]

CASES = [
    (count_primes, (60000,)),
    (prime_list, (30000,)),
    (squares_of, (DATA,)),
    (int_fold, (DATA,)),
    (guarded_fold, (30000,)),
    (product_fold, (5000,)),
    (string_fold, (3000,)),
    (min_max, (DATA,)),
    (min_max_fold, (100000,)),
    (first_true, (50000, 40000)),
    (all_small, (DATA,)),
    (overflowing, (20000,)),
    (psum, (0, 300000)),
    (msort, ([(i * 7919) % 10007 for i in range(20000)],)),
    (correlation, (FLOATS[:20000], FLOATS[20000:])),
    (nested_counts, (60,)),
    (fib, (22,)),
]


@pytest.mark.parametrize("fn, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_parallel_constructs_give_cpythons_result(node, fn, args):
    expected = fn(*args)
    got = node.submit(fn, *args).result()
    if isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-9)
    else:
        assert got == expected


@pytest.mark.parametrize("fn, n, exc, message", [
    (raising_comp, 3000, ZeroDivisionError, "integer division or modulo by zero"),
    (first_exception_wins, 30000, ValueError, "bad 10000"),
], ids=["comprehension", "reduction"])
def test_the_exception_cpython_raises_first_wins(node, fn, n, exc, message):
    with pytest.raises(exc) as info:
        fn(n)
    assert str(info.value) == message
    with pytest.raises(exc) as got:
        node.submit(fn, n).result()
    assert str(got.value) == message


def test_float_reductions_are_identical_for_any_number_of_workers():
    results = {}
    for w in WORKERS:
        with shoal.connect(workers=w) as c:
            results[w] = (c.submit(float_sum, FLOATS).result(), c.submit(float_fold, 100000).result(),
                          c.submit(company_means, COMPANIES).result())
    assert results[1] == results[2] == results[4]
    # and as accurate as CPython's left-to-right sum (blocked sums differ at most in the last bits)
    assert results[2][0] == pytest.approx(float_sum(FLOATS), rel=1e-12)
    assert results[2][0] == pytest.approx(math.fsum(x * 0.1 for x in FLOATS), rel=1e-12)
    assert results[2][1] == pytest.approx(float_fold(100000), rel=1e-12)


def test_small_float_reductions_add_up_exactly_as_cpython():
    xs = FLOATS[:5000]  # one block: CPython's order
    with shoal.connect(workers=2) as c:
        assert c.submit(float_sum, xs).result() == float_sum(xs)


# ---------------------------------------------------------------- split tree

def test_split_tree_shows_pieces_on_both_workers():
    with shoal.connect(workers=2) as c:
        c.submit(count_primes, 1000).result()
        fut = c.submit(count_primes, 400000, trace=True)
        assert fut.result() == count_primes(400000)
        tree = fut.split_tree()
        assert len(tree.roots) == 1
        root = tree.roots[0]
        assert root.line > 0 and root.hi == 400000
        pieces = tree.pieces()
        assert len(pieces) >= 2
        assert tree.workers() == [0, 1]
        # the pieces cover the range exactly once
        covered = sorted((p.lo, p.hi) for p in pieces)
        assert covered[0][0] == 0 and covered[-1][1] == 400000
        assert all(a[1] == b[0] for a, b in zip(covered, covered[1:]))
        assert "piece" in str(tree)


def test_nested_constructs_nest_in_the_split_tree():
    with shoal.connect(workers=2) as c:
        fut = c.submit(nested_counts, 120, trace=True)
        assert fut.result() == nested_counts(120)
        tree = fut.split_tree()
        assert tree.roots, "the outer comprehension should be split"


def test_tiny_inputs_are_not_split():
    with shoal.connect(workers=2) as c:
        for n in (0, 1, 5, 50):
            fut = c.submit(count_primes, n, trace=True)
            assert fut.result() == count_primes(n)
            assert len(fut.split_tree()) == 0, str(fut.split_tree())


def test_one_worker_never_splits():
    with shoal.connect(workers=1) as c:
        fut = c.submit(count_primes, 200000, trace=True)
        assert fut.result() == count_primes(200000)
        assert len(fut.split_tree()) == 0


def test_independent_calls_run_on_both_workers():
    with shoal.connect(workers=2) as c:
        c.submit(psum, 0, 10).result()
        fut = c.submit(psum, 0, 3000000, trace=True)
        assert fut.result() == psum(0, 3000000)
        assert fut.split_tree().workers() == [0, 1] or len(fut.split_tree()) > 0


# ---------------------------------------------------------------- explain

class Rng:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return self.state


def estimate_with_rng(n, rng):
    hits = 0
    for i in range(n):
        hits += rng.next() % 2
    return hits


def printing_loop(xs):
    total = 0
    for x in xs:
        print(x)
        total += x
    return total


def appending(xs, out):
    return [out.append(x) for x in xs]


def through_zip_and_enumerate(xs, ys):
    a = sum(x * y for x, y in zip(xs, ys))
    b = sum(i * x for i, x in enumerate(xs))
    return a + b


def _decisions(c, fn, *args):
    return {d.line - fn.__code__.co_firstlineno: d for d in c.explain(fn, *args)}


def test_explain_names_the_state_a_loop_updates():
    with shoal.connect(workers=2) as c:
        report = c.explain(estimate_with_rng, 10, Rng(1))
        (d,) = report
        assert not d.parallel
        assert "rng" in d.reason and "state" in d.reason
        assert d.line == estimate_with_rng.__code__.co_firstlineno + 2
        assert "sequential" in str(report)
        assert c.submit(estimate_with_rng, 1000, Rng(1)).result() == estimate_with_rng(1000, Rng(1))


def test_explain_reports_parallel_constructs_and_calls():
    with shoal.connect(workers=2) as c:
        report = c.explain(count_primes, 10)
        assert [d.parallel for d in report] == [True]
        fib_report = c.explain(fib, 10)
        assert len(fib_report) == 1 and fib_report[0].parallel
        assert "fib(n - 1)" in fib_report[0].construct
        corr = c.explain(correlation, [1.0], [2.0])
        assert any("dot(xs, ys)" in d.construct and d.parallel for d in corr)


def test_explain_keeps_side_effects_sequential():
    with shoal.connect(workers=2) as c:
        (d,) = c.explain(printing_loop, [1])
        assert not d.parallel and "prints" in d.reason
        (d,) = c.explain(appending, [1], [])
        assert not d.parallel and "out" in d.reason
        decisions = c.explain(through_zip_and_enumerate, [1.0], [2.0])
        by_construct = {("zip" in d.construct): d for d in decisions}
        assert by_construct[True].parallel
        assert not by_construct[False].parallel and "enumerate" in by_construct[False].reason
        assert c.submit(appending, [1, 2], []).result() == [None, None]


def test_mutating_loops_keep_cpythons_semantics(node):
    rng = Rng(7)
    expected = estimate_with_rng(5000, Rng(7))
    assert node.submit(estimate_with_rng, 5000, rng).result() == expected
    assert rng.state == 7  # arguments are the call's own copies


# ---------------------------------------------------------------- the statistical-cost model

def spin(n):
    t = 0
    for i in range(n):
        t += (i * i) % 7
    return t


def test_profile_reports_calls_and_fitted_models_and_a_second_run_reads_them(tmp_path):
    with shoal.connect(workers=2, data_dir=str(tmp_path)) as c:
        for n in (10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6, 10 ** 7):  # four decades: scaling beats noise
            assert c.submit(spin, n).result() == spin_expected(n)
        prof = c.profile()
        row = prof.get("spin")
        assert row is not None and row.calls == 5
        assert row.total > 0 and row.mean == pytest.approx(row.total / 5)
        assert "x0" in row.model  # a size model on the argument, not a constant
        assert prof.model_file == str(tmp_path / "cost_model.txt")
    assert (tmp_path / "cost_model.txt").exists()
    with shoal.connect(workers=2, data_dir=str(tmp_path)) as again:
        row = again.profile().get("spin")
        assert row is not None and row.calls == 5, "the second run starts from the persisted model"
    with shoal.connect(workers=2, data_dir="") as fresh:
        assert fresh.profile().get("spin") is None


def spin_expected(n):
    cycle = [0, 1, 4, 2, 2, 4, 1]  # (i * i) % 7 repeats every 7
    return 14 * (n // 7) + sum(cycle[: n % 7])


def test_progress_of_a_running_call_predicts_the_time_left(tmp_path):
    import time
    with shoal.connect(workers=2, data_dir=str(tmp_path)) as c:
        for n in (10 ** 5, 10 ** 6, 10 ** 7):
            c.submit(spin, n).result()
        fut = c.submit(spin, 3 * 10 ** 8)
        time.sleep(0.3)
        p = fut.progress()
        if p.running:  # a fast machine may be done already
            assert p.workers == 2 and 0 <= p.busy <= 2
            assert p.elapsed > 0
            assert p.remaining is not None and p.remaining >= 0
            assert "cores busy" in str(p)
        assert fut.result() == spin_expected(3 * 10 ** 8)
        assert not fut.progress().running and str(fut.progress()) == "done"
