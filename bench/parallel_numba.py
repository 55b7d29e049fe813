"""Numba versions of the parallel suite's kernels (bench/parallel.py).

Numba needs its parallel loops spelled out, so each kernel is written again
here the way a Numba user would: ``@njit(parallel=True)`` with
``numba.prange`` over the kernel's index range, scalar reductions
(``total += ...``) and NumPy arrays where bench/parallel.py builds lists.
The per-item helpers are the same algorithms as in bench/parallel.py,
compiled with ``@njit`` so the parallel loops can call them.  A prange
index is unsigned (uint64) in Numba, and uint64 mixed with int64 arithmetic
gives float64, so the loops pass ``np.int64(i)`` to the helpers to keep
their arithmetic in int64 (as a Numba user learns to).  Results equal
bench/parallel.py's (floats to 1e-9 relative: prange reductions associate
differently).

Importing this module imports numba and numpy; bench/run.py reports the
Numba column as "unavailable" if that fails.  The first call of each kernel
compiles it (reported separately by bench/run.py).  Keep this file valid
Python 3.9.
"""

import math

import numpy as np
from numba import njit, prange


@njit(cache=False)
def hash32(i):
    """bench/parallel.py's 32-bit counter hash (every product below 2**59)."""
    h = (i * 2654435761 + 40503) % 4294967296
    h = ((h >> 16) ^ h) * 73244475 % 4294967296
    h = ((h >> 16) ^ h) * 73244475 % 4294967296
    return (h >> 16) ^ h


@njit(cache=False)
def is_prime(k):
    """Trial division, as in bench/parallel.py."""
    if k < 2:
        return False
    d = 2
    while d * d <= k:
        if k % d == 0:
            return False
        d += 1
    return True


@njit(parallel=True, cache=False)
def count_primes(n):
    """Number of primes below n."""
    count = 0
    for k in prange(2, n):
        if is_prime(np.int64(k)):
            count += 1
    return count


@njit(cache=False)
def inside(i):
    """Whether point i (two hashes of its index) lies inside the unit circle."""
    x = hash32(2 * i) / 4294967296.0
    y = hash32(2 * i + 1) / 4294967296.0
    return x * x + y * y <= 1.0


@njit(parallel=True, cache=False)
def monte_carlo_pi(n):
    """pi estimated from n hashed points."""
    hits = 0
    for i in prange(n):
        if inside(np.int64(i)):
            hits += 1
    return 4.0 * hits / n


@njit(cache=False)
def work(i):
    """About 100 microseconds of float work that depends on i."""
    steps = 10000 + i % 1000
    x = 0.5 + (i % 97) / 200.0
    acc = 0.0
    for k in range(steps):
        x = math.sqrt(x * 0.999 + 0.25 + k * 1e-9)
        acc += x
    return acc


@njit(parallel=True, cache=False)
def pieces_100us(m):
    """Sum of work(i) over m independent pieces."""
    total = 0.0
    for i in prange(m):
        total += work(np.int64(i))
    return total


@njit(cache=False)
def collatz_steps(i):
    """Collatz steps from i down to 1."""
    steps = 0
    while i > 1:
        if i % 2 == 0:
            i = i // 2
        else:
            i = 3 * i + 1
        steps += 1
    return steps


@njit(parallel=True, cache=False)
def dc_sum(n):
    """Sum of collatz_steps(i) for i < n.  Numba does not parallelise a
    recursion, so a Numba user writes the divide-and-conquer as one prange."""
    total = 0
    for i in prange(n):
        total += collatz_steps(np.int64(i))
    return total


@njit(cache=False)
def series_x(i):
    """The first series of correlation."""
    return math.sin(i * 0.001) + (hash32(i) % 1000) / 1000.0 - 0.5


@njit(cache=False)
def series_y(i):
    """The second series of correlation."""
    return 0.6 * math.sin(i * 0.001) + 0.4 * math.cos(i * 0.0037) + (hash32(i + 7) % 1000) / 2000.0


@njit(parallel=True, cache=False)
def correlation(n):
    """Pearson correlation of the two series, from the same five sums as bench/parallel.py."""
    xs = np.empty(n)
    ys = np.empty(n)
    for i in prange(n):
        xs[i] = series_x(np.int64(i))
        ys[i] = series_y(np.int64(i))
    sx = 0.0
    sy = 0.0
    sxx = 0.0
    syy = 0.0
    sxy = 0.0
    for i in prange(n):
        x = xs[i]
        y = ys[i]
        sx += x
        sy += y
        sxx += x * x
        syy += y * y
        sxy += x * y
    mx = sx / n
    my = sy / n
    cov = sxy / n - mx * my
    return cov / math.sqrt((sxx / n - mx * mx) * (syy / n - my * my))


@njit(cache=False)
def amount(c, t):
    """Transaction t of company c."""
    return (hash32(c * 65536 + t) % 1000000) / 100.0


@njit(parallel=True, cache=False)
def company_stats(n):
    """Per-company mean and largest amount in a prange over the companies (the
    inner loops run serially: Numba does not nest prange), then combined."""
    counts = np.empty(n, np.int64)
    means = np.empty(n)
    peaks = np.empty(n)
    for c in prange(n):
        m = 100 + hash32(np.int64(c)) % 1000
        amounts = np.empty(m)
        for t in range(m):
            amounts[t] = amount(np.int64(c), t)
        counts[c] = m
        means[c] = amounts.sum() / m
        peaks[c] = amounts.max()
    return (counts.sum(), means.sum() / n, peaks.max())


@njit(parallel=True, cache=False)
def noop_prange(n):
    """A prange loop whose body does next to nothing (the per-iteration overhead)."""
    total = 0
    for i in prange(n):
        total += i
    return total
