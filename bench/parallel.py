"""Parallel benchmark kernels for shoal: the `parallel` suite of bench/run.py.

Every kernel is an ordinary Python function of one size parameter, written
once, the way a data scientist would write it, with no annotations and no
hint of parallelism: a sum over a generator expression, list
comprehensions, a divide-and-conquer recursion ``f(a) + f(b)``.  bench/run.py
runs each kernel under CPython, under shoal with 1 and with 2 workers, and
under the peers: multiprocessing.Pool(2) and Dask, which both run the
kernel's own per-item functions over chunks of its index range (``SPLITS``
below says how), and Numba, whose ``prange`` versions are written separately
in bench/parallel_numba.py.

The kernels build their inputs from the size inside the kernel (no
``random`` module: counter-based integer hashes whose intermediates stay
below 2**63), so their arguments are one small int and every runtime does
the same work.  Ints come out exact everywhere; float sums may be
associated differently by a parallel runtime, so bench/run.py compares
floats to 1e-9 relative.

Kernels use only what shoal compiles (ints, floats, tuples, lists,
comprehensions, generator expressions, the math module) and no docstrings,
only comments.  Keep this file valid Python 3.9 (PyPy may import it).
"""

import math
from functools import partial


# --------------------------------------------------------------------------
# A 32-bit integer hash of a counter (the "hash32" finaliser of Thomas
# Mueller's integer hash).  Every product is below 2**32 * 2**27 = 2**59, so
# it stays in int64.  The kernels draw their "random" numbers from it.

def hash32(i):
    h = (i * 2654435761 + 40503) % 4294967296
    h = ((h >> 16) ^ h) * 73244475 % 4294967296
    h = ((h >> 16) ^ h) * 73244475 % 4294967296
    return (h >> 16) ^ h


# --------------------------------------------------------------------------
# count_primes: how many k below n are prime, by trial division of each k
# (Ufora's demo): hundreds of thousands of tiny, uneven pieces of work.

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
    return sum(1 for k in range(2, n) if is_prime(k))


# --------------------------------------------------------------------------
# monte_carlo_pi: pi from n points of the unit square, point i made of two
# hashes of its index, so any subset of the points can be drawn on its own.

def inside(i):
    x = hash32(2 * i) / 4294967296.0
    y = hash32(2 * i + 1) / 4294967296.0
    return x * x + y * y <= 1.0


def monte_carlo_pi(n):
    return 4.0 * sum(1 for i in range(n) if inside(i)) / n


# --------------------------------------------------------------------------
# pieces_100us: m independent pieces of about 100 microseconds of compiled
# float work each (about ten thousand steps of a damped iteration, the count
# depending on i), summed.

def work(i):
    steps = 10000 + i % 1000
    x = 0.5 + (i % 97) / 200.0
    acc = 0.0
    for k in range(steps):
        x = math.sqrt(x * 0.999 + 0.25 + k * 1e-9)
        acc += x
    return acc


def pieces_100us(m):
    return sum(work(i) for i in range(m))


# --------------------------------------------------------------------------
# dc_sum: divide-and-conquer recursion over an index range, leaves of at most
# 2,000 items; f(i) is the number of Collatz steps from i down to 1, so the
# leaves are uneven.

def collatz_steps(i):
    steps = 0
    while i > 1:
        if i % 2 == 0:
            i = i // 2
        else:
            i = 3 * i + 1
        steps += 1
    return steps


def dc_total(lo, hi):
    if hi - lo <= 2000:
        return sum(collatz_steps(i) for i in range(lo, hi))
    mid = (lo + hi) // 2
    return dc_total(lo, mid) + dc_total(mid, hi)


def dc_sum(n):
    return dc_total(0, n)


# --------------------------------------------------------------------------
# correlation: Pearson correlation of two float series of length n built
# from formulas, from three dot products and two sums of the same lists.

def series_x(i):
    return math.sin(i * 0.001) + (hash32(i) % 1000) / 1000.0 - 0.5


def series_y(i):
    return 0.6 * math.sin(i * 0.001) + 0.4 * math.cos(i * 0.0037) + (hash32(i + 7) % 1000) / 2000.0


def pearson(n, sx, sy, sxx, syy, sxy):
    mx = sx / n
    my = sy / n
    cov = sxy / n - mx * my
    return cov / math.sqrt((sxx / n - mx * mx) * (syy / n - my * my))


def correlation(n):
    xs = [series_x(i) for i in range(n)]
    ys = [series_y(i) for i in range(n)]
    sxy = sum(x * y for x, y in zip(xs, ys))
    sxx = sum(x * x for x in xs)
    syy = sum(y * y for y in ys)
    return pearson(n, sum(xs), sum(ys), sxx, syy, sxy)


# --------------------------------------------------------------------------
# company_stats: nested parallelism.  n companies, each with its own list of
# 100 to 1,099 transaction amounts (cents as floats); the mean and the
# largest amount of every company, then the number of transactions, the mean
# of the means and the largest amount overall.

def amount(c, t):
    return (hash32(c * 65536 + t) % 1000000) / 100.0


def transactions(c):
    return [amount(c, t) for t in range(100 + hash32(c) % 1000)]


def company_stats(n):
    companies = [transactions(c) for c in range(n)]
    means = [sum(amounts) / len(amounts) for amounts in companies]
    peaks = [max(amounts) for amounts in companies]
    count = sum(len(amounts) for amounts in companies)
    return (count, sum(means) / n, max(peaks))


# --------------------------------------------------------------------------
# noop_sum: a no-op per item, for the per-piece overhead measurement
# (bench/run.py times sum(noop(i) for i in range(n)) with 1 and 2 workers).

def noop(i):
    return i


def noop_sum(n):
    return sum(noop(i) for i in range(n))


# --------------------------------------------------------------------------
# How multiprocessing and Dask run the kernels (not used by CPython, shoal or
# Numba).  A Split cuts a kernel's index range [first, n) into chunks; a
# worker process runs piece(lo, hi) on one chunk -- the kernel's own per-item
# function over range(lo, hi), reduced there so that only one small partial
# result crosses back -- and the parent calls combine(partials, n) with the
# partials in chunk order.

class Split:
    """How multiprocessing and Dask divide one kernel into chunks."""

    def __init__(self, first, piece, combine):
        self.first = first      # the kernel's index range is range(first, n)
        self.piece = piece      # piece(lo, hi) -> partial result (picklable)
        self.combine = combine  # combine(partials, n) -> the kernel's result

    def chunks(self, n, count):
        """At most `count` contiguous (lo, hi) ranges covering range(first, n)."""
        size = max(1, -(-(n - self.first) // count))
        return [(lo, min(lo + size, n)) for lo in range(self.first, n, size)]


def count_piece(item, lo, hi):
    """How many i in range(lo, hi) have a true item(i)."""
    return sum(1 for i in range(lo, hi) if item(i))


def sum_piece(item, lo, hi):
    """The sum of item(i) over range(lo, hi)."""
    return sum(item(i) for i in range(lo, hi))


def moments_piece(lo, hi):
    """correlation's five sums (x, y, x*x, y*y, x*y) over range(lo, hi)."""
    xs = [series_x(i) for i in range(lo, hi)]
    ys = [series_y(i) for i in range(lo, hi)]
    return (sum(xs), sum(ys), sum(x * x for x in xs), sum(y * y for y in ys),
            sum(x * y for x, y in zip(xs, ys)))


def company_piece(lo, hi):
    """company_stats over companies lo..hi-1: (transactions, sum of means, largest amount)."""
    companies = [transactions(c) for c in range(lo, hi)]
    return (sum(len(amounts) for amounts in companies),
            sum(sum(amounts) / len(amounts) for amounts in companies),
            max(max(amounts) for amounts in companies))


def add_up(partials, n):
    """Sum of the partial results (an int or a float)."""
    return sum(partials)


def pi_from_hits(partials, n):
    """monte_carlo_pi's estimate from the per-chunk counts of points inside."""
    return 4.0 * sum(partials) / n


def pearson_from_moments(partials, n):
    """correlation's result from the per-chunk sums."""
    sx, sy, sxx, syy, sxy = (sum(p[k] for p in partials) for k in range(5))
    return pearson(n, sx, sy, sxx, syy, sxy)


def company_totals(partials, n):
    """company_stats' result from the per-chunk partial results."""
    return (sum(p[0] for p in partials), sum(p[1] for p in partials) / n,
            max(p[2] for p in partials))


SPLITS = {
    "count_primes": Split(2, partial(count_piece, is_prime), add_up),
    "monte_carlo_pi": Split(0, partial(count_piece, inside), pi_from_hits),
    "pieces_100us": Split(0, partial(sum_piece, work), add_up),
    "dc_sum": Split(0, partial(sum_piece, collatz_steps), add_up),
    "correlation": Split(0, moments_piece, pearson_from_moments),
    "company_stats": Split(0, company_piece, company_totals),
}
