"""A divide-and-conquer merge sort: the two recursive sorts of each level run at once."""

import shoal


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
    if len(xs) <= 32:
        return sorted(xs)
    mid = len(xs) // 2
    return merge(msort(xs[:mid]), msort(xs[mid:]))


def lcg_numbers(n, seed):
    out = []
    x = seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        out.append(x % 1_000_000)
    return out


with shoal.connect() as cluster:
    (d,) = cluster.explain(msort, [3, 1, 2])
    print(d)
    assert d.parallel
    data = cluster.submit(lcg_numbers, 200_000, 7).result()
    result = cluster.submit(msort, data).result()
    assert result == sorted(data)
    print("sorted", len(result), "numbers; smallest", result[:3], "largest", result[-3:])
