"""Records of a small class, grouped by key into a dict and summarised: instances travel to the
node and back, and the summary agrees with plain CPython."""

import shoal

REGIONS = ["north", "south", "east", "west"]
PRODUCTS = ["tea", "coffee", "cocoa"]


class Sale:
    def __init__(self, region, product, units, price):
        self.region = region
        self.product = product
        self.units = units
        self.price = price

    def revenue(self):
        return self.units * self.price


def make_sales(n, seed):
    state = seed
    sales = []
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2147483648
        units = 1 + state % 20
        price = round(2.5 + (state >> 8) % 400 / 100, 2)
        sales.append(Sale(REGIONS[i % 4], PRODUCTS[state % 3], units, price))
    return sales


def summarise(sales):
    by_region = {}
    for s in sales:
        by_region.setdefault(s.region, []).append(s)
    summary = {}
    for region, group in by_region.items():
        revenue = sum(s.revenue() for s in group)
        best = max(group, key=lambda s: s.revenue())
        summary[region] = (len(group), round(revenue, 2), best.product, best.units)
    return summary


with shoal.connect() as cluster:
    sales = make_sales(5_000, 11)
    summary = cluster.submit(summarise, sales).result()
    print("region  sales   revenue  best sale")
    for region, (count, revenue, product, units) in summary.items():
        print(f"{region:<6} {count:>6} {revenue:>9.2f}  {units} x {product}")
    assert summary == summarise(sales), "shoal and CPython disagree"
    remote = cluster.submit(make_sales, 5_000, 11).result()  # instances come back as Sale objects
    assert all(type(s) is Sale for s in remote)
    assert [vars(s) for s in remote] == [vars(s) for s in sales]
    print("shoal and CPython agree on", len(remote), "sales")
