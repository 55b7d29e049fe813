"""Counting primes below N by trial division: Ufora's own demonstration. The generator
expression runs in parallel on every core, with no annotation.

    shoal run examples/primes.py              # N = 2,000,000
    shoal run examples/primes.py 100000000    # the full demonstration (minutes on 2 cores)
"""

import sys

import shoal


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


n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
with shoal.connect() as cluster:
    (decision,) = cluster.explain(count_primes, n)
    print(decision)
    assert decision.parallel
    assert cluster.submit(count_primes, 20_000).result() == count_primes(20_000)  # same as CPython
    fut = cluster.submit(count_primes, n, trace=True)
    print("primes below", n, "=", fut.result())
    print("pieces:", len(fut.split_tree().pieces()), "on workers", fut.split_tree().workers(),
          "of", cluster.workers, "in %.3f s" % fut.stats()["run_seconds"])
