"""The Pearson correlation of two time series: three dot products of the same inputs run at
once, and each dot product is itself split over the series."""

import math

import shoal


def series(n, phase):
    return [math.sin(i * 0.001 + phase) + 0.3 * math.cos(i * 0.017) for i in range(n)]


def dot(xs, ys):
    return sum(x * y for x, y in zip(xs, ys))


def correlation(xs, ys):
    n = len(xs)
    mx = sum(xs) / n
    my = sum(ys) / n
    dx = [x - mx for x in xs]
    dy = [y - my for y in ys]
    sxy = dot(dx, dy)
    sxx = dot(dx, dx)
    syy = dot(dy, dy)
    return sxy / math.sqrt(sxx * syy)


xs = series(400_000, 0.0)
ys = series(400_000, 0.5)
with shoal.connect() as cluster:
    for d in cluster.explain(correlation, xs, ys):
        print(d)
    assert any(d.parallel and "dot(dx, dy)" in d.construct for d in cluster.explain(correlation, xs, ys))
    r = cluster.submit(correlation, xs, ys).result()
    expected = correlation(xs, ys)
    # a split float sum may differ from CPython's left-to-right one in the last bits
    assert abs(r - expected) <= 1e-9 * abs(expected), (r, expected)
    print("correlation = %.6f" % r)
