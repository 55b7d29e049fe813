"""A Monte Carlo estimate of pi with a hand-written linear congruential generator, and a
numerical integral, both as ordinary Python functions."""

import math

import shoal


def estimate_pi(samples, seed):
    state = seed
    inside = 0
    for _ in range(samples):
        state = (state * 1103515245 + 12345) % 2147483648
        x = state / 2147483648
        state = (state * 1103515245 + 12345) % 2147483648
        y = state / 2147483648
        if x * x + y * y <= 1.0:
            inside += 1
    return 4.0 * inside / samples


def integrate(f, a, b, steps):
    h = (b - a) / steps
    return h * sum(f(a + (i + 0.5) * h) for i in range(steps))


def gaussian(x):
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


with shoal.connect() as cluster:
    print("pi ~", cluster.submit(estimate_pi, 1_000_000, 42).result())
    print("P(-1 < Z < 1) ~", round(cluster.submit(integrate, gaussian, -1.0, 1.0, 100_000).result(), 6))
