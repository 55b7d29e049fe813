"""Small programs (20-60 lines) mixing many features."""

import math
from math import sqrt

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


def collatz_len(n):
    steps = 1
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def is_prime(n):
    if n < 2:
        return False
    if n < 4:
        return True
    if n % 2 == 0:
        return False
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def integrate(f, a, b, n):
    h = (b - a) / n
    total = 0.5 * (f(a) + f(b))
    for i in range(1, n):
        total += f(a + i * h)
    return total * h


def simpson(f, a, b, n):
    h = (b - a) / n
    s = f(a) + f(b)
    for i in range(1, n):
        if i % 2:
            s += 4 * f(a + i * h)
        else:
            s += 2 * f(a + i * h)
    return s * h / 3


def digit_sum(n):
    s = 0
    while n:
        s += n % 10
        n //= 10
    return s


@given(30)
def case_program_collatz_longest(limit):
    best = 0
    best_n = 0
    for n in range(1, limit):
        length = collatz_len(n)
        if length > best:
            best = length
            best_n = n
    return (best_n, best)


@given(27)
def case_program_collatz_peak_and_print(n):
    peak = n
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        if n > peak:
            peak = n
        steps += 1
        if steps % 25 == 0:
            print('step', steps, 'value', n)
    return (steps, peak)


@given(200)
def case_program_primes_by_trial_division(limit):
    count = 0
    total = 0
    largest = 0
    for n in range(limit):
        if is_prime(n):
            count += 1
            total += n
            largest = n
    return (count, total, largest)


@given(100)
def case_program_twin_primes(limit):
    pairs = 0
    last = (0, 0)
    for p in range(3, limit):
        if is_prime(p) and is_prime(p + 2):
            pairs += 1
            last = (p, p + 2)
    return (pairs, last)


@given(2 ** 61 - 1)
def case_program_mersenne_prime_check(n):
    # trial division only up to a small bound, then a Fermat test
    for d in range(2, 1000):
        if n % d == 0:
            return ('composite', d)
    witness = 1
    base = 3
    e = n - 1
    while e:
        if e & 1:
            witness = witness * base % n
        base = base * base % n
        e >>= 1
    return ('probable prime', witness)


@given(6)
def case_program_gcd_table(n):
    checksum = 0
    coprime = 0
    for i in range(1, n + 1):
        row = 0
        for j in range(1, n + 1):
            g = math.gcd(i, j)
            row = row * 10 + g
            if g == 1:
                coprime += 1
        checksum = (checksum * 31 + row) % 1000000007
        print(row)
    return (checksum, coprime, coprime / (n * n))


@given(2.0)
def case_program_newton_sqrt(a):
    x = a
    steps = 0
    while True:
        nx = 0.5 * (x + a / x)
        steps += 1
        if abs(nx - x) < 1e-15 or steps > 50:
            break
        x = nx
    return (nx, steps, abs(nx - sqrt(a)) < 1e-15)


@given(10 ** 40)
def case_program_newton_isqrt_bigint(n):
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return (x, x == math.isqrt(n), x * x <= n < (x + 1) * (x + 1))


@given(0.0, 1.0, 100)
def case_program_trapezoid_integration(a, b, n):
    r = integrate(lambda x: x * x, a, b, n)
    return (r, abs(r - 1 / 3) < 1e-4)


@given(0.0, 3.141592653589793, 64)
def case_program_simpson_sin(a, b, n):
    return simpson(lambda x: math.sin(x), a, b, n)


@given(2, 1000)
def case_program_digit_sum_of_big_power(b, e):
    return (digit_sum(b ** e), len(str(b ** e)))


@given(100)
def case_program_digit_sum_of_factorial(n):
    f = 1
    for i in range(2, n + 1):
        f *= i
    trailing = 0
    while f % 10 == 0:
        f //= 10
        trailing += 1
    return (digit_sum(f), trailing)


@given(1000)
def case_program_perfect_numbers(limit):
    count = 0
    total = 0
    abundant = 0
    for n in range(2, limit):
        s = 1
        d = 2
        while d * d <= n:
            if n % d == 0:
                s += d
                if d * d != n:
                    s += n // d
            d += 1
        if s == n:
            count += 1
            total += n
            print('perfect', n)
        elif s > n:
            abundant += 1
    return (count, total, abundant)


@given(50)
def case_program_fibonacci_stats(n):
    a, b = 0, 1
    evens = 0
    even_sum = 0
    ratio = 0.0
    for i in range(n):
        a, b = b, a + b
        if a % 2 == 0:
            evens += 1
            even_sum += a
        if a:
            ratio = b / a
    return (a, evens, even_sum, ratio, abs(ratio - (1 + sqrt(5)) / 2) < 1e-12)


@given(1, 1.0, 0.001)
def case_program_euler_ode(y0, t_end, h):
    # y' = y, y(0) = 1, explicit Euler
    y = float(y0)
    t = 0.0
    steps = 0
    while t < t_end - 1e-12:
        y += h * y
        t += h
        steps += 1
    return (steps, y, math.e - y < 0.01)


@given(12, 18)
def case_program_extended_euclid(a, b):
    old_r, r = a, b
    old_s, s = 1, 0
    old_t, t = 0, 1
    while r != 0:
        q = old_r // r
        old_r, r = r, old_r - q * r
        old_s, s = s, old_s - q * s
        old_t, t = t, old_t - q * t
    return (old_r, old_s, old_t, a * old_s + b * old_t == old_r)


@given(97, 3)
def case_program_modular_inverse_and_errors(m, a):
    def inverse(x, mod):
        for k in range(1, mod):
            if x * k % mod == 1:
                return k
        raise ValueError('no inverse')

    r = inverse(a, m)
    try:
        inverse(0, m)
    except ValueError as e:
        return (r, str(e), a * r % m)
    return (r, 'unreachable')


@given(1e-10)
def case_program_bisection_root(tol):
    f = lambda x: x * x * x - 2 * x - 5
    lo, hi = 2.0, 3.0
    iterations = 0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if f(lo) * f(mid) <= 0:
            hi = mid
        else:
            lo = mid
        iterations += 1
    return (round(lo, 8), iterations)


@given(20)
def case_program_pascal_row_bigint(n):
    # the n-th row of Pascal's triangle packed into one big integer (base 10**12)
    row = 1
    for i in range(n):
        row = row * (10 ** 12 + 1)
    c = row
    total = 0
    middle = 0
    for k in range(n + 1):
        coeff = c % 10 ** 12
        total += coeff
        if k == n // 2:
            middle = coeff
        c //= 10 ** 12
    return (total, middle, total == 2 ** n)


@given(360)
def case_program_divisor_statistics(n):
    count = 0
    total = 0
    for d in range(1, n + 1):
        if n % d == 0:
            count += 1
            total += d
    mean = total / count
    return (count, total, mean, round(mean, 2), math.floor(mean), sum(1 for d in range(1, n + 1) if n % d == 0 and d % 2))


@given(10)
def case_program_leibniz_pi(n_terms):
    acc = 0.0
    sign = 1
    for k in range(n_terms):
        acc += sign / (2 * k + 1)
        sign = -sign
    est = 4 * acc
    return (est, abs(est - math.pi) < 0.11, est > math.pi)


@given(1234567, 7)
def case_program_base_conversion_digits(n, base):
    digits = 0
    place = 1
    count = 0
    while n > 0:
        n, d = divmod(n, base)
        digits += d * place
        place *= 10
        count += 1
    return (digits, count)


def frac_add(p, q):
    a, b = p
    c, d = q
    num = a * d + c * b
    den = b * d
    g = math.gcd(num, den)
    return (num // g, den // g)


def frac_to_float(p):
    return p[0] / p[1]


@given(60)
def case_program_exact_harmonic_numbers(n):
    # H_n as an exact fraction (tuples of big ints), compared with float summation
    h = (0, 1)
    hf = 0.0
    first_above_3 = -1
    for k in range(1, n + 1):
        h = frac_add(h, (1, k))
        hf += 1 / k
        if first_above_3 < 0 and h[0] > 3 * h[1]:
            first_above_3 = k
    num, den = h
    exact = frac_to_float(h)
    err = abs(exact - hf)
    return (num, den, exact, hf, err < 1e-13, first_above_3, len(str(den)))


def mat_mul(m, n):
    (a, b), (c, d) = m
    (e, f), (g, h) = n
    return ((a * e + b * g, a * f + b * h), (c * e + d * g, c * f + d * h))


def mat_pow(m, k):
    result = ((1, 0), (0, 1))
    while k > 0:
        if k & 1:
            result = mat_mul(result, m)
        m = mat_mul(m, m)
        k >>= 1
    return result


@given(300)
def case_program_fibonacci_by_matrix_power(n):
    m = mat_pow(((1, 1), (1, 0)), n)
    fn = m[0][1]
    # cross-check iteratively and with Cassini's identity
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    cassini = m[0][0] * m[1][1] - m[0][1] * m[1][0]
    return (fn == a, cassini, fn % 1000000007, len(str(fn)))


def day_of_week(y, m, d):
    # Zeller's congruence, 0 = Saturday
    if m < 3:
        m += 12
        y -= 1
    k = y % 100
    j = y // 100
    return (d + 13 * (m + 1) // 5 + k + k // 4 + j // 4 + 5 * j) % 7


def days_in_month(y, m):
    if m == 2:
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        return 29 if leap else 28
    if m == 4 or m == 6 or m == 9 or m == 11:
        return 30
    return 31


@given(1901, 2000)
def case_program_counting_sundays(first, last):
    # Project Euler 19 by walking month starts, checked against Zeller
    dow = 2  # 1 Jan 1901 was a Tuesday (0 = Sunday)
    sundays = 0
    mismatches = 0
    for y in range(first, last + 1):
        for m in range(1, 13):
            if dow == 0:
                sundays += 1
            if (day_of_week(y, m, 1) + 6) % 7 != dow:
                mismatches += 1
            dow = (dow + days_in_month(y, m)) % 7
    return (sundays, mismatches)


@given(12345, 10000)
def case_program_lcg_monte_carlo_pi(seed, n):
    state = seed
    inside = 0
    for _ in range(n):
        state = (1103515245 * state + 12345) % 2147483648
        x = state / 2147483648
        state = (1103515245 * state + 12345) % 2147483648
        y = state / 2147483648
        if x * x + y * y <= 1.0:
            inside += 1
    est = 4 * inside / n
    return (inside, est, abs(est - math.pi) < 0.05, state)


@given(1.0, 0.0, 0.01, 1000)
def case_program_rk4_harmonic_oscillator(x0, v0, h, steps):
    def accel(x):
        return -x

    x, v = x0, v0
    e0 = 0.5 * (x * x + v * v)
    max_drift = 0.0
    for i in range(steps):
        k1x, k1v = v, accel(x)
        k2x, k2v = v + 0.5 * h * k1v, accel(x + 0.5 * h * k1x)
        k3x, k3v = v + 0.5 * h * k2v, accel(x + 0.5 * h * k2x)
        k4x, k4v = v + h * k3v, accel(x + h * k3x)
        x += h / 6 * (k1x + 2 * k2x + 2 * k3x + k4x)
        v += h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v)
        drift = abs(0.5 * (x * x + v * v) - e0)
        if drift > max_drift:
            max_drift = drift
        if (i + 1) % 250 == 0:
            print(i + 1, round(x, 6), round(v, 6))
    exact = math.cos(h * steps)
    return (x, v, abs(x - exact) < 1e-8, max_drift < 1e-9)


def make_account(balance):
    history = 0

    def transact(amount):
        nonlocal balance, history
        if amount < 0 and balance + amount < 0:
            raise ValueError('insufficient funds')
        balance += amount
        history += 1
        return balance

    return transact


@given((100, -30, -80, 50, -200, 25), 10)
def case_program_account_simulation(ops, start):
    acct = make_account(start)
    failures = 0
    last = start
    for amount in ops:
        try:
            last = acct(amount)
        except ValueError as e:
            failures += 1
            print('rejected', amount, str(e))
        else:
            print('ok', amount, last)
        finally:
            if failures > 2:
                break
    return (last, failures, acct(0))


@given(23)
def case_program_sqrt_continued_fraction(n):
    # walk the continued fraction of sqrt(n) until a convergent p/q
    # solves Pell's equation p*p - n*q*q = 1
    a0 = math.isqrt(n)
    if a0 * a0 == n:
        return (0, None)
    m, d, a = 0, 1, a0
    steps = 0
    p_prev, p = 1, a0
    q_prev, q = 0, 1
    while True:
        m = d * a - m
        d = (n - m * m) // d
        a = (a0 + m) // d
        steps += 1
        if p * p - n * q * q == 1:
            break
        p_prev, p = p, a * p + p_prev
        q_prev, q = q, a * q + q_prev
        if steps > 100:
            raise RuntimeError('no solution found')
    return (steps, (p, q), p * p - n * q * q)
