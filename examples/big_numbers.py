"""Exact integers: int64 arithmetic runs at machine speed and silently becomes arbitrary
precision where CPython's would, so results never wrap around."""

import math

import shoal


def factorial(n):
    result = 1
    for k in range(2, n + 1):
        result *= k
    return result


def digit_sum(n):
    total = 0
    while n > 0:
        n, d = divmod(n, 10)
        total += d
    return total


def euler_20(n):
    return digit_sum(factorial(n))


def collatz_longest(limit):
    best, best_start = 0, 1
    for start in range(1, limit):
        n, steps = start, 0
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
        if steps > best:
            best, best_start = steps, start
    return best_start, best


with shoal.connect() as cluster:
    print("digit sum of 100! =", cluster.submit(euler_20, 100).result())
    print("2 ** 200 =", cluster.submit(lambda e: 2 ** e, 200).result())
    print("longest Collatz chain below 100000 (start, steps) =", cluster.submit(collatz_longest, 100_000).result())
    print("check:", math.factorial(100) == cluster.submit(factorial, 100).result())
