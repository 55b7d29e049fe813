"""Generator expressions over range() consumed by sum/min/max/any/all."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


def noisy(i):
    print('visit', i)
    return i


def is_prime(n):
    return n > 1 and all(n % d for d in range(2, n) if d * d <= n)


@given(10)
def case_genexpr_sum_squares(n):
    return sum(i * i for i in range(n))


@given(20)
def case_genexpr_sum_with_condition(n):
    return sum(i for i in range(n) if i % 3 == 0 or i % 5 == 0)


@given(5)
def case_genexpr_nested_for(n):
    return sum(i * j for i in range(n) for j in range(i))


@given(6)
def case_genexpr_nested_for_with_conditions(n):
    return sum(i + j for i in range(n) if i % 2 for j in range(i, n) if (i + j) % 3 == 0)


@given(10)
def case_genexpr_max(n):
    return max(i * (n - i) for i in range(n))


@given(10)
def case_genexpr_min(n):
    return min((i - 4) * (i - 4) - i for i in range(n))


@given(10)
def case_genexpr_any(n):
    return (any(i * i > 50 for i in range(n)), any(i > n for i in range(n)))


@given(10)
def case_genexpr_all(n):
    return (all(i < n for i in range(n)), all(i % 2 for i in range(n)))


@given(0)
def case_genexpr_empty_sum_any_all(n):
    return (sum(i for i in range(n)), any(i for i in range(n)), all(i for i in range(n)))


@given(0)
def case_genexpr_max_empty_raises(n):
    return max(i for i in range(n))


@given(3)
def case_genexpr_min_empty_after_filter_raises(n):
    return min(i for i in range(n) if i > 10)


@given(10)
def case_genexpr_sum_of_bools_is_int(n):
    return sum(i > 3 for i in range(n))


@given(8)
def case_genexpr_sum_floats_exact(n):
    return sum(1 / 2 ** i for i in range(n))


@given(5)
def case_genexpr_max_floats(n):
    return max(i / 3 for i in range(n))


@given(3)
def case_genexpr_max_tie_keeps_first(n):
    return (max(1.0 if i == 0 else 1 for i in range(n)), min(2 if i == 0 else 2.0 for i in range(n)))


@given(7, 3)
def case_genexpr_reads_enclosing_locals(n, k):
    m = k * 2
    return sum(i * m + k for i in range(n))


@given(30)
def case_genexpr_calls_module_function(n):
    return (sum(1 for i in range(n) if is_prime(i)), max(i for i in range(n) if is_prime(i)))


@given(6)
def case_genexpr_any_short_circuits(n):
    return any(noisy(i) > 2 for i in range(n))


@given(6)
def case_genexpr_all_short_circuits(n):
    return all(noisy(i) < 2 for i in range(n))


@given(100)
def case_genexpr_sum_overflows_to_bigint(n):
    return sum(2 ** i for i in range(n))


@given(4, 2)
def case_genexpr_range_with_step(n, s):
    return (sum(i for i in range(n * 10, 0, -s)), max(i for i in range(-n, n, s)))


@given(10)
def case_genexpr_conditional_expression_element(n):
    return sum(i if i % 2 else -i for i in range(n))


@given(12)
def case_genexpr_pythagorean_count(n):
    return sum(1 for a in range(1, n) for b in range(a, n) for c in range(b, n) if a * a + b * b == c * c)


@given(4)
def case_genexpr_result_types(n):
    return (sum(i for i in range(n)), sum(i * 0.5 for i in range(n)), max(i * 1.0 for i in range(n)), any(i for i in range(n)))


@given(5)
def case_genexpr_lambda_in_element(n):
    f = lambda x: x * x + 1
    return sum(f(i) for i in range(n))
