"""Accumulating loops and sums over ranges: shoal runs strips of iterations without overflow
checks where it can prove them unnecessary, so these cases sit on both sides of the int64 limit."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(3_000_000)
def case_sum_of_squares_just_below_int64(n):
    return sum(i * i for i in range(n))


@given(3_100_000)
def case_sum_of_squares_just_above_int64(n):
    return sum(i * i for i in range(n))


@given(3_100_000)
def case_for_loop_sum_of_squares_above_int64(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


@given(2 ** 63 - 10, 20)
def case_accumulator_starts_near_the_limit(start, n):
    acc = start
    for i in range(n):
        acc += 1
    return acc


@given(-(2 ** 63) + 5, 20)
def case_accumulator_falls_below_the_limit(start, n):
    acc = start
    for i in range(n):
        acc -= 1
    return acc


@given(2 ** 62, 2 ** 63 - 1, 2 ** 60)
def case_range_with_huge_bounds_and_step(a, b, step):
    total = 0
    for i in range(a, b, step):
        total += i
    return total


@given(10, -10, -3)
def case_two_accumulators_negative_step(a, b, step):
    up = 0
    down = 100
    for i in range(a, b, step):
        up += i * i - 7
        down -= 3 * i
        up += 1
    return up, down


@given(0)
def case_unbound_accumulator_with_empty_range_is_fine(n):
    for i in range(n):
        missing += i
    return 'no iterations'


@given(3)
def case_unbound_accumulator_raises(n):
    for i in range(n):
        missing += i
    return missing


@given(5000, 7)
def case_sum_with_invariant_and_condition(n, k):
    return sum(k * i - 3 for i in range(n) if i % 3 != 1)


@given(10_000, 2 ** 40)
def case_products_with_a_big_invariant(n, k):
    total = 0
    for i in range(n):
        total += k * i
    return total


@given(10_000, 2 ** 62)
def case_products_overflow_each_term(n, k):
    return sum(k * i for i in range(n))


@given(9000, 5)
def case_range_step_zero_raises(n, z):
    total = 0
    for i in range(0, n, z - 5):
        total += i
    return total
