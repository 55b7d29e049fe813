"""The smallest shoal program: a function compiled to machine code and run on an embedded node."""

import shoal


def greet(name, times):
    total = sum(i * i for i in range(times))
    print("hello,", name)
    return total


with shoal.connect() as cluster:
    print("sum of squares:", cluster.submit(greet, "shoal", 1000).result())
