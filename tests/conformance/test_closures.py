"""Closures: reading outer locals, late binding over loop variables, nonlocal."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


def make_adder(n):
    def add(x):
        return x + n

    return add


def make_counter(start):
    count = start

    def inc():
        nonlocal count
        count += 1
        return count

    return inc


def make_accumulator():
    total = 0

    def add(x):
        nonlocal total
        total += x
        return total

    return add


def make_pair():
    value = 0

    def get():
        return value

    def put(v):
        nonlocal value
        value = v

    return (get, put)


@given(10)
def case_closure_reads_outer_local(n):
    def f(x):
        return x * n

    return (f(2), f(3.5))


@given(5)
def case_closure_from_factory(n):
    add5 = make_adder(n)
    add10 = make_adder(10)
    return (add5(1), add10(1), add5(add10(0)))


@given(0)
def case_nonlocal_counter(start):
    c = make_counter(start)
    c()
    c()
    return c()


@given(100)
def case_two_independent_counters(start):
    a = make_counter(start)
    b = make_counter(0)
    a()
    b()
    b()
    return (a(), b())


@given(5)
def case_nonlocal_in_local_function(n):
    calls = 0

    def work(x):
        nonlocal calls
        calls += 1
        return x * 2

    s = 0
    for i in range(n):
        s += work(i)
    return (s, calls)


@given(5)
def case_closure_over_loop_variable_late_binding(n):
    f = lambda: -1
    for i in range(n):
        def g():
            return i * 10

        if i == 2:
            f = g
    return f()


@given(5)
def case_closure_default_arg_captures_loop_value(n):
    f = lambda: -1
    for i in range(n):
        if i == 2:
            f = lambda i=i: i * 10
    return f()


@given(1)
def case_closure_sees_later_rebinding(x):
    def get():
        return x

    a = get()
    x = 'changed'
    b = get()
    return (a, b)


@given(3)
def case_closure_three_levels(n):
    def outer(a):
        def middle(b):
            def inner(c):
                return n * 100 + a * 10 + b + c

            return inner

        return middle

    return outer(1)(2)(3)


@given(2)
def case_nonlocal_two_levels_up(n):
    x = n

    def outer():
        def inner():
            nonlocal x
            x *= 10

        inner()
        inner()

    outer()
    return x


def case_shared_cell_between_closures():
    get, put = make_pair()
    before = get()
    put(42)
    after = get()
    put('s')
    return (before, after, get())


@given((1, 2.5, 3))
def case_accumulator_mixed_types(values):
    acc = make_accumulator()
    r = 0
    for v in values:
        r = acc(v)
    return r


@given(4)
def case_closure_captures_parameter_and_local(n):
    base = n * n

    def f(k):
        return base + k + n

    base += 1
    return f(1)


@given(3)
def case_lambda_closure_over_local(n):
    m = n + 1
    f = lambda x: x * m + n
    return (f(1), f(2.0))


@given(6)
def case_recursive_inner_function(n):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)

    return fact(n)


@given(10)
def case_closure_counter_in_loop_with_break(n):
    c = make_counter(0)
    v = 0
    while True:
        v = c()
        if v >= n:
            break
    return v


@given(7)
def case_nonlocal_string_and_tuple_state(n):
    state = ('init', 0)

    def step(k):
        nonlocal state
        if k % 2:
            state = ('odd', state[1] + k)
        else:
            state = ('even', state[1] - k)

    for i in range(n):
        step(i)
    return state


@given(2)
def case_closure_passed_to_higher_order(x):
    def apply_n(f, n, v):
        for _ in range(n):
            v = f(v)
        return v

    k = x + 1
    return apply_n(lambda v: v * k, 4, 1)
