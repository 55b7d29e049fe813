"""Monte Carlo estimates. With a counter-based random number per sample (a hash of its index),
the samples are independent and the sum runs in parallel. With a random-number generator
object whose state each draw updates, the loop stays sequential, and explain() says why."""

import math

import shoal


def uniform(i, stream):
    # a 32-bit integer hash of (i, stream), every step below 2**63: a value in [0, 1)
    h = (i * 2654435761 + stream * 40503) % 4294967296
    h = ((h ^ (h // 65536)) * 73244475) % 4294967296
    h = ((h ^ (h // 65536)) * 73244475) % 4294967296
    return (h ^ (h // 65536)) / 4294967296


def inside(i):
    x = uniform(i, 1)
    y = uniform(i, 2)
    return x * x + y * y <= 1.0


def estimate_pi(samples):
    hits = sum(1 for i in range(samples) if inside(i))
    return 4.0 * hits / samples


class Rng:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return self.state / 2147483648


def estimate_pi_with_rng(samples, rng):
    hits = 0
    for _ in range(samples):
        x = rng.next()
        y = rng.next()
        if x * x + y * y <= 1.0:
            hits += 1
    return 4.0 * hits / samples


def integrate(f, a, b, steps):
    h = (b - a) / steps
    return h * sum(f(a + (i + 0.5) * h) for i in range(steps))


def gaussian(x):
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


with shoal.connect() as cluster:
    for d in cluster.explain(estimate_pi, 10) + cluster.explain(estimate_pi_with_rng, 10, Rng(1)):
        print(d)
    assert cluster.explain(estimate_pi, 10)[0].parallel
    (seq,) = cluster.explain(estimate_pi_with_rng, 10, Rng(1))
    assert not seq.parallel and "state" in seq.reason
    assert cluster.submit(estimate_pi, 20_000).result() == estimate_pi(20_000)
    print("pi ~", cluster.submit(estimate_pi, 4_000_000).result())
    print("pi ~", cluster.submit(estimate_pi_with_rng, 1_000_000, Rng(42)).result(), "(sequential generator)")
    print("P(-1 < Z < 1) ~", round(cluster.submit(integrate, gaussian, -1.0, 1.0, 100_000).result(), 6))
