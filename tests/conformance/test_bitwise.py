"""& | ^ ~ << >> on ints (two's-complement semantics for negatives, big ints, bools)."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(0b1100, 0b1010)
def case_bitwise_basic(a, b):
    return (a & b, a | b, a ^ b, ~a)


@given(-5, 3)
def case_bitwise_negative_operands(a, b):
    return (a & b, a | b, a ^ b, ~a, a & -b, a | -b, a ^ -b)


@given(1)
def case_shift_left_small(x):
    return (x << 0, x << 1, x << 10, x << 62, -x << 62)


@given(1)
def case_shift_left_past_int64(x):
    return (x << 63, x << 64, x << 65, -x << 63, x << 1000 >> 999)


@given(-1, 1)
def case_shift_right_large_count(neg, pos):
    return (neg >> 1000, pos >> 1000, neg >> 63, neg >> 64, pos >> 63, 12345 >> 64)


@given(-7)
def case_shift_right_floors(x):
    return (x >> 1, x >> 2, x >> 3, 7 >> 1, -8 >> 1)


@given(1, -1)
def case_shift_negative_count_left(x, n):
    return x << n


@given(1, -1)
def case_shift_negative_count_right(x, n):
    return x >> n


@given(2 ** 100 - 1, 2 ** 70 + 5)
def case_bitwise_bigints(a, b):
    return (a & b, a | b, a ^ b, ~a, a & ~b)


@given(-(2 ** 100), 2 ** 100)
def case_bitwise_negative_bigints(n, p):
    return (n | 1, n & p, n ^ -1, ~p, p ^ -1, n & 0xFFFF, (n - 1) & 0xFFFF)


@given(2 ** 100 + 12345)
def case_bitwise_bigint_and_small_mask_is_small(x):
    low = x & 0xFFFFFFFF
    return (low, low + 1, isinstance(low, int))


@given(True, False)
def case_bitwise_bools_stay_bool(t, f):
    return (t & f, t | f, t ^ t, t ^ f, f | f, t & t)


@given(True)
def case_bitwise_bool_with_int_is_int(t):
    return (t & 3, t | 2, t ^ 1, t << 3, t >> 1, -t & 7)


@given(0b10110000)
def case_lowest_set_bit(x):
    return (x & -x, x & (x - 1), (x ^ (x - 1)) >> 1)


@given(0xF0F0F0F0F0F0F0F)
def case_popcount_loop(x):
    count = 0
    while x:
        x &= x - 1
        count += 1
    return count


@given(2 ** 200 - 1)
def case_popcount_bigint(x):
    count = 0
    while x:
        count += x & 1
        x >>= 1
    return count


@given(0x12345678)
def case_bit_reverse_32(x):
    r = 0
    for _ in range(32):
        r = (r << 1) | (x & 1)
        x >>= 1
    return r


@given(37)
def case_bit_length_by_shifting(x):
    n = 0
    while x > 0:
        x >>= 1
        n += 1
    return n


@given(0xFF)
def case_bitwise_augmented(x):
    x &= 0x3C
    x |= 0x100
    x ^= 0x1FF
    x <<= 4
    x >>= 2
    return x


@given(6, 3)
def case_bitwise_precedence(a, b):
    return (a & b | 1, a | b & 1, a ^ b & a, a << 1 + b, a + b >> 1, ~a + 1, -a & 7)


@given(-(2 ** 63))
def case_bitwise_int64_min(x):
    return (~x, x >> 63, x >> 1, x << 1, x ^ -1, x | 1)


@given(12345678901234567890, 98765432109876543210)
def case_xor_swap_bigints(a, b):
    a ^= b
    b ^= a
    a ^= b
    return (a, b)


@given(1)
def case_shift_by_bigint_count_right(x):
    return (x >> 2 ** 70, -x >> 2 ** 70)
