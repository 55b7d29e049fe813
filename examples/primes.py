"""Counting primes by trial division: plain loops over ints, compiled to machine code."""

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


with shoal.connect() as cluster:
    n = 200_000
    print("primes below", n, "=", cluster.submit(count_primes, n).result())
