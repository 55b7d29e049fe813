"""Per-company statistics over each company's transactions: the comprehension over companies
runs in parallel, and so does the work inside each company (nested parallelism)."""

import shoal


def amounts(company, count):
    return [((company * 7919 + t * 104729) % 100_000) / 100.0 for t in range(count)]


def stats(transactions):
    total = sum(t for t in transactions)
    peak = max(t for t in transactions)
    return (len(transactions), total / len(transactions), peak)


def all_stats(companies):
    return [stats(ts) for ts in companies]


companies = [amounts(c, 200 + (c * 37) % 2000) for c in range(600)]
with shoal.connect() as cluster:
    for d in cluster.explain(all_stats, companies):
        print(d)
    got = cluster.submit(all_stats, companies).result()
    expected = all_stats(companies)
    assert [(n, round(m, 6), hi) for n, m, hi in got] == [(n, round(m, 6), hi) for n, m, hi in expected]
    biggest = max(range(len(got)), key=lambda i: got[i][0] * got[i][1])
    print("companies:", len(got), "- largest volume: company", biggest, "with", got[biggest][0], "transactions")
