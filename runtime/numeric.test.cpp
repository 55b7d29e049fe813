/// Python numeric semantics. Every expected value below was printed by CPython 3.11.2.

#include "runtime/numeric.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace shoal::rt;

namespace {

const double inf = std::numeric_limits<double>::infinity();
const double nan_ = std::numeric_limits<double>::quiet_NaN();

struct Py {
  Ctx c{};
  Py() { c.memory_limit = 64 << 20; }

  /// An int from its decimal text.
  Val n(const char* s) { return int_from_string(&c, s); }
  std::string str(Val v) {
    if (c.exc) return "<exc>";
    if (v.tag == Tag::Float) return float_repr(unbox_float(v));
    if (v.tag == Tag::Bool) return v.bits ? "True" : "False";
    return int_to_string(v);
  }
  std::string op(BinOp o, Val a, Val b) { return str(int_binop(&c, o, a, b)); }
  std::string fop(BinOp o, double a, double b) {
    double r = float_binop(&c, o, a, b);
    return c.exc ? "<exc>" : float_repr(r);
  }
  /// "Kind: message" of the pending exception, which is then cleared.
  std::string exc() {
    if (!c.exc) return "<none>";
    static const char* names[] = {"BaseException", "Exception", "ArithmeticError", "ZeroDivisionError",
                                  "OverflowError", "FloatingPointError", "LookupError", "IndexError",
                                  "KeyError", "ValueError", "TypeError", "NameError", "UnboundLocalError",
                                  "RuntimeError", "RecursionError", "NotImplementedError", "AssertionError",
                                  "AttributeError", "MemoryError", "StopIteration", "KeyboardInterrupt",
                                  "SystemExit", "UnsupportedError"};
    auto* args = as<Tuple>(c.exc->args);
    std::string s = names[static_cast<int>(c.exc->kind)];
    s += args->n ? std::string(": ") + as<Str>(args->items[0])->data : "";
    c.exc = nullptr;
    return s;
  }
};

} // namespace

TEST_CASE("int add/sub/mul promote at the int64 boundaries", "[runtime]") {
  Py py;
  CHECK(py.op(BinOp::Add, box_int(INT64_MAX), box_int(1)) == "9223372036854775808");
  CHECK(py.op(BinOp::Sub, box_int(INT64_MIN), box_int(1)) == "-9223372036854775809");
  CHECK(py.op(BinOp::Mul, box_int(3037000500), box_int(3037000500)) == "9223372037000250000");
  CHECK(py.op(BinOp::Sub, py.n("9223372036854775808"), box_int(1)) == "9223372036854775807");
  CHECK(py.n("9223372036854775808").tag == Tag::Big);
  CHECK(int_binop(&py.c, BinOp::Sub, py.n("9223372036854775808"), box_int(1)).tag == Tag::Int);
  CHECK(py.op(BinOp::Mul, py.n("-18446744073709551616"), py.n("18446744073709551616")) ==
        "-340282366920938463463374607431768211456");
  CHECK(py.op(BinOp::Add, box_bool(true), box_bool(true)) == "2");
}

TEST_CASE("int floor division and modulo follow the divisor's sign", "[runtime]") {
  Py py;
  CHECK(py.op(BinOp::FloorDiv, box_int(-7), box_int(2)) == "-4");
  CHECK(py.op(BinOp::Mod, box_int(-7), box_int(2)) == "1");
  CHECK(py.op(BinOp::FloorDiv, box_int(7), box_int(-2)) == "-4");
  CHECK(py.op(BinOp::Mod, box_int(7), box_int(-2)) == "-1");
  CHECK(py.op(BinOp::FloorDiv, box_int(-7), box_int(-2)) == "3");
  CHECK(py.op(BinOp::Mod, box_int(-7), box_int(-2)) == "-1");
  CHECK(py.op(BinOp::FloorDiv, box_int(INT64_MIN), box_int(-1)) == "9223372036854775808");
  CHECK(py.op(BinOp::Mod, box_int(INT64_MIN), box_int(-1)) == "0");
  Val m = py.n("-1267650600228229401496703205376"); // -2**100
  CHECK(py.op(BinOp::FloorDiv, m, box_int(7)) == "-181092942889747057356671886483");
  CHECK(py.op(BinOp::Mod, m, box_int(7)) == "5");
  Val p = int_neg(&py.c, m);
  CHECK(py.op(BinOp::FloorDiv, p, box_int(-7)) == "-181092942889747057356671886483");
  CHECK(py.op(BinOp::Mod, p, box_int(-7)) == "-5");
}

TEST_CASE("int division by zero raises CPython's messages", "[runtime]") {
  Py py;
  py.op(BinOp::FloorDiv, box_int(1), box_int(0));
  CHECK(py.exc() == "ZeroDivisionError: integer division or modulo by zero");
  py.op(BinOp::Mod, box_int(1), box_int(0));
  CHECK(py.exc() == "ZeroDivisionError: integer modulo by zero");
  py.op(BinOp::Mod, py.n("100000000000000000000"), box_int(0));
  CHECK(py.exc() == "ZeroDivisionError: integer modulo by zero");
  py.op(BinOp::TrueDiv, box_int(1), box_int(0));
  CHECK(py.exc() == "ZeroDivisionError: division by zero");
  py.op(BinOp::Pow, box_int(0), box_int(-1));
  CHECK(py.exc() == "ZeroDivisionError: 0.0 cannot be raised to a negative power");
}

TEST_CASE("int negation, abs and invert leave int64 when they must", "[runtime]") {
  Py py;
  CHECK(py.str(int_neg(&py.c, box_int(INT64_MIN))) == "9223372036854775808");
  CHECK(py.str(int_abs(&py.c, box_int(INT64_MIN))) == "9223372036854775808");
  CHECK(int_neg(&py.c, py.n("9223372036854775808")).tag == Tag::Int);
  CHECK(py.str(int_invert(&py.c, box_int(5))) == "-6");
  CHECK(py.str(int_invert(&py.c, box_bool(true))) == "-2");
  CHECK(py.str(int_neg(&py.c, box_bool(true))) == "-1");
  CHECK(int_abs(&py.c, box_bool(true)).tag == Tag::Int);
}

TEST_CASE("int pow, shifts and bitwise ops on negatives", "[runtime]") {
  Py py;
  CHECK(py.op(BinOp::Pow, box_int(2), box_int(63)) == "9223372036854775808");
  CHECK(py.op(BinOp::Pow, box_int(3), box_int(100)) == "515377520732011331036461129765621272702107522001");
  CHECK(py.op(BinOp::Pow, box_int(-3), box_int(101)) == "-1546132562196033993109383389296863818106322566003");
  CHECK(py.op(BinOp::Pow, box_int(0), box_int(0)) == "1");
  CHECK(py.op(BinOp::Pow, box_int(-1), py.n("100000000000000000001")) == "-1");
  CHECK(py.op(BinOp::Pow, box_int(2), box_int(-1)) == "0.5");
  CHECK(py.op(BinOp::Pow, box_int(2), box_int(-1074)) == "5e-324");
  CHECK(py.op(BinOp::Pow, box_int(2), box_int(-1075)) == "0.0");
  CHECK(py.op(BinOp::Pow, box_int(-2), box_int(-3)) == "-0.125");
  CHECK(py.op(BinOp::Pow, box_int(7), box_int(-2)) == "0.02040816326530612");
  CHECK(py.op(BinOp::LShift, box_int(1), box_int(100)) == "1267650600228229401496703205376");
  CHECK(py.op(BinOp::LShift, box_int(-1), box_int(63)) == "-9223372036854775808");
  CHECK(py.op(BinOp::RShift, box_int(-5), box_int(1)) == "-3");
  Val m = py.n("-1267650600228229401496703205376"); // -2**100
  CHECK(py.op(BinOp::RShift, m, box_int(99)) == "-2");
  CHECK(py.op(BinOp::RShift, m, box_int(1000)) == "-1");
  CHECK(py.op(BinOp::RShift, box_int(-1), py.n("18446744073709551616")) == "-1");
  CHECK(py.op(BinOp::BitAnd, box_int(-5), box_int(3)) == "3");
  CHECK(py.op(BinOp::BitOr, box_int(-5), box_int(3)) == "-5");
  CHECK(py.op(BinOp::BitXor, box_int(-5), box_int(3)) == "-8");
  Val m70 = py.n("-1180591620717411303424"); // -2**70
  CHECK(py.op(BinOp::BitAnd, m70, py.n("1180591620717411303423")) == "0");
  CHECK(py.op(BinOp::BitOr, m70, box_int(5)) == "-1180591620717411303419");
  CHECK(py.op(BinOp::BitXor, m70, box_int(-1)) == "1180591620717411303423");
  CHECK(py.op(BinOp::BitAnd, box_bool(true), box_bool(true)) == "True");
  CHECK(py.op(BinOp::BitOr, box_bool(true), box_int(2)) == "3");
  py.op(BinOp::LShift, box_int(1), box_int(-1));
  CHECK(py.exc() == "ValueError: negative shift count");
  py.op(BinOp::RShift, py.n("100000000000000000000"), box_int(-1));
  CHECK(py.exc() == "ValueError: negative shift count");
}

TEST_CASE("results beyond the memory limit raise MemoryError", "[runtime]") {
  Py py;
  py.c.memory_limit = 1 << 20;
  py.op(BinOp::Pow, box_int(2), box_int(10'000'000));
  CHECK(py.exc() == "MemoryError");
  py.op(BinOp::LShift, box_int(1), box_int(100'000'000));
  CHECK(py.exc() == "MemoryError");
  py.op(BinOp::LShift, box_int(1), py.n("18446744073709551616")); // 1 << 2**64, as CPython
  CHECK(py.exc() == "MemoryError");
  Val big = int_binop(&py.c, BinOp::LShift, box_int(1), box_int(5'000'000));
  py.op(BinOp::Mul, big, big);
  CHECK(py.exc() == "MemoryError");
  CHECK(py.op(BinOp::LShift, box_int(0), py.n("18446744073709551616")) == "0");
  CHECK(py.op(BinOp::Pow, box_int(1), py.n("18446744073709551616")) == "1");
}

TEST_CASE("int true division is correctly rounded", "[runtime]") {
  Py py;
  CHECK(py.op(BinOp::TrueDiv, py.n("1152921504606846977"), box_int(3)) == "3.843071682022823e+17");
  CHECK(py.op(BinOp::TrueDiv, py.n("1000000000000000000000000000000"), box_int(7)) == "1.4285714285714285e+29");
  CHECK(py.op(BinOp::TrueDiv, py.n("-1000000000000000000000000000000"), box_int(7)) == "-1.4285714285714285e+29");
  CHECK(py.op(BinOp::TrueDiv, box_int(1), box_int(3)) == "0.3333333333333333");
  CHECK(py.op(BinOp::TrueDiv, box_int(0), box_int(-5)) == "-0.0");
  Val ten400 = int_binop(&py.c, BinOp::Pow, box_int(10), box_int(400));
  Val ten399 = int_binop(&py.c, BinOp::Pow, box_int(10), box_int(399));
  CHECK(py.op(BinOp::TrueDiv, ten400, ten399) == "10.0");
  py.op(BinOp::TrueDiv, ten400, box_int(1));
  CHECK(py.exc() == "OverflowError: integer division result too large for a float");
}

TEST_CASE("int vs float comparison is exact", "[runtime]") {
  Py py;
  Val p53_1 = py.n("9007199254740993"); // 2**53 + 1
  CHECK(int_float_cmp(p53_1, 9007199254740992.0) == 1);
  CHECK(int_float_cmp(py.n("9007199254740992"), 9007199254740992.0) == 0);
  CHECK(int_float_cmp(box_int(INT64_MAX), 0x1p63) == -1);
  CHECK(int_float_cmp(py.n("9223372036854775808"), 0x1p63) == 0);
  CHECK(int_float_cmp(box_int(INT64_MIN), -0x1p63) == 0);
  CHECK(int_float_cmp(box_int(3), 3.5) == -1);
  CHECK(int_float_cmp(box_int(-3), -3.5) == 1);
  CHECK(int_float_cmp(box_int(0), -0.0) == 0);
  CHECK(int_float_cmp(box_int(1), nan_) == 2);
  CHECK(int_float_cmp(py.n("-100000000000000000000000"), -inf) == 1);
  CHECK(int_float_cmp(py.n("100000000000000000000000"), inf) == -1);
  CHECK(int_float_cmp(py.n("100000000000000000000001"), 1e23) == 1); // 1e23 < 10**23
  CHECK(int_cmp(py.n("-100000000000000000000"), box_int(-1)) == -1);
  CHECK(int_cmp(box_bool(true), box_int(1)) == 0);
}

TEST_CASE("int <-> float conversions", "[runtime]") {
  Py py;
  CHECK(float_repr(int_to_double(&py.c, py.n("9007199254740993"))) == "9007199254740992.0");
  CHECK(float_repr(int_to_double(&py.c, py.n("9007199254740995"))) == "9007199254740996.0");
  int_to_double(&py.c, int_binop(&py.c, BinOp::LShift, box_int(1), box_int(1024)));
  CHECK(py.exc() == "OverflowError: int too large to convert to float");
  Val p1024 = int_binop(&py.c, BinOp::LShift, box_int(1), box_int(1024));
  Val p970 = int_binop(&py.c, BinOp::LShift, box_int(1), box_int(970));
  Val nearly = int_binop(&py.c, BinOp::Sub, p1024, p970); // rounds (half to even) up to 2**1024
  CHECK(float_repr(int_to_double(&py.c, int_binop(&py.c, BinOp::Sub, nearly, box_int(1)))) ==
        "1.7976931348623157e+308");
  int_to_double(&py.c, nearly);
  CHECK(py.exc() == "OverflowError: int too large to convert to float");
  CHECK(py.str(int_from_double(&py.c, 1e20)) == "100000000000000000000");
  CHECK(py.str(int_from_double(&py.c, -0.5)) == "0");
  CHECK(py.str(int_from_double(&py.c, -0x1p63)) == "-9223372036854775808");
  CHECK(py.str(int_from_double(&py.c, 1e300)).substr(0, 30) == "100000000000000005250476025520");
  int_from_double(&py.c, inf);
  CHECK(py.exc() == "OverflowError: cannot convert float infinity to integer");
  int_from_double(&py.c, nan_);
  CHECK(py.exc() == "ValueError: cannot convert float NaN to integer");
}

TEST_CASE("int <-> str conversions", "[runtime]") {
  Py py;
  Val m200 = int_neg(&py.c, int_binop(&py.c, BinOp::Pow, box_int(2), box_int(200)));
  CHECK(int_to_string(m200) == "-1606938044258990275541962092341162602522202993782792835301376");
  CHECK(int_to_string(box_int(INT64_MIN)) == "-9223372036854775808");
  CHECK(py.str(py.n(" 12_3 ")) == "123");
  CHECK(py.str(py.n("-0")) == "0");
  CHECK(py.str(py.n("+007")) == "7");
  CHECK(py.str(py.n("\t-42\n")) == "-42");
  CHECK(py.str(py.n("\u0661\u0662")) == "12"); // Arabic-Indic digits
  CHECK(py.str(py.n("\u00a012\u3000")) == "12"); // Unicode spaces
  CHECK(py.str(py.n("-99999999999999999999")) == "-99999999999999999999");
  const char* bad[][2] = {{"abc", "'abc'"},   {"1__2", "'1__2'"}, {"", "''"},       {" ", "' '"},
                          {"_1", "'_1'"},     {"1_", "'1_'"},     {"+_1", "'+_1'"}, {"1.0", "'1.0'"},
                          {"'", "\"'\""},     {"a\tb\\", "'a\\tb\\\\'"}, {"\x7f\u00ad", "'\\x7f\\xad'"},
                          {"\xc3\xa9", "'\xc3\xa9'"}, {"0x10", "'0x10'"}, {"- 1", "'- 1'"}};
  for (auto& b : bad) {
    py.n(b[0]);
    CHECK(py.exc() == std::string("ValueError: invalid literal for int() with base 10: ") + b[1]);
  }
  py.n(std::string(300, 'x').c_str()); // the repr is cut at 200 characters
  CHECK(py.exc() == "ValueError: invalid literal for int() with base 10: '" + std::string(199, 'x'));
  int_from_string(&py.c, std::string(5000, '1') + "x");
  CHECK(py.exc() == "ValueError: Exceeds the limit (4300 digits) for integer string conversion: "
                    "value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit");
  CHECK(int_to_string(&py.c, int_from_string(&py.c, std::string(4300, '9'))).size() == 4300);
  Val huge = int_binop(&py.c, BinOp::Pow, box_int(10), box_int(4300));
  CHECK(int_to_string(&py.c, huge).empty());
  CHECK(py.exc() == "ValueError: Exceeds the limit (4300 digits) for integer string conversion; "
                    "use sys.set_int_max_str_digits() to increase the limit");
}

TEST_CASE("float repr matches CPython's layout", "[runtime]") {
  CHECK(float_repr(0.1) == "0.1");
  CHECK(float_repr(1e16) == "1e+16");
  CHECK(float_repr(9999999999999998.0) == "9999999999999998.0");
  CHECK(float_repr(1e-5) == "1e-05");
  CHECK(float_repr(0.00001) == "1e-05");
  CHECK(float_repr(0.0001) == "0.0001");
  CHECK(float_repr(1.234e-5) == "1.234e-05");
  CHECK(float_repr(123456789012345678.0) == "1.2345678901234568e+17");
  CHECK(float_repr(5e-324) == "5e-324");
  CHECK(float_repr(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(float_repr(-0.0) == "-0.0");
  CHECK(float_repr(0.0) == "0.0");
  CHECK(float_repr(inf) == "inf");
  CHECK(float_repr(-inf) == "-inf");
  CHECK(float_repr(nan_) == "nan");
  CHECK(float_repr(-nan_) == "nan");
  CHECK(float_repr(1.5) == "1.5");
  CHECK(float_repr(-1.5) == "-1.5");
  CHECK(float_repr(100.0) == "100.0");
  CHECK(float_repr(1e22) == "1e+22");
  CHECK(float_repr(123.456) == "123.456");
  CHECK(float_repr(1.0 / 3) == "0.3333333333333333");
}

TEST_CASE("float(str)", "[runtime]") {
  Py py;
  CHECK(float_from_string(&py.c, "  -1_0.5e1_0 ") == -105000000000.0);
  CHECK(float_from_string(&py.c, "-Infinity") == -inf);
  CHECK(float_from_string(&py.c, "+inF") == inf);
  CHECK(std::isnan(float_from_string(&py.c, "nan")));
  CHECK(float_from_string(&py.c, "1e500") == inf);
  CHECK(float_from_string(&py.c, "1.") == 1.0);
  CHECK(float_from_string(&py.c, ".5") == 0.5);
  CHECK(float_from_string(&py.c, "\u0661.\u0665") == 1.5);
  CHECK(!py.c.exc);
  const char* bad[][2] = {{"abc", "'abc'"}, {".", "'.'"},       {"1e", "'1e'"},     {"0x10", "'0x10'"},
                          {"", "''"},       {"  ", "'  '"},     {"1_.5", "'1_.5'"}, {"1._5", "'1._5'"},
                          {"nan(1)", "'nan(1)'"}, {"1__0", "'1__0'"}};
  for (auto& b : bad) {
    float_from_string(&py.c, b[0]);
    CHECK(py.exc() == std::string("ValueError: could not convert string to float: ") + b[1]);
  }
}

TEST_CASE("round()", "[runtime]") {
  Py py;
  CHECK(py.str(float_round(&py.c, 0.5)) == "0");
  CHECK(py.str(float_round(&py.c, 1.5)) == "2");
  CHECK(py.str(float_round(&py.c, 2.5)) == "2");
  CHECK(py.str(float_round(&py.c, -0.5)) == "0");
  CHECK(py.str(float_round(&py.c, -1.5)) == "-2");
  CHECK(py.str(float_round(&py.c, 1e20)) == "100000000000000000000");
  float_round(&py.c, inf);
  CHECK(py.exc() == "OverflowError: cannot convert float infinity to integer");
  float_round(&py.c, nan_);
  CHECK(py.exc() == "ValueError: cannot convert float NaN to integer");
  CHECK(float_round_n(2.675, 2) == 2.67);
  CHECK(float_round_n(0.285, 2) == 0.28);
  CHECK(float_round_n(0.125, 2) == 0.12);
  CHECK(float_round_n(1234.5678, -2) == 1200.0);
  CHECK(float_round_n(1.0000000000000002e22, -21) == 1e22);
  CHECK(float_repr(float_round_n(-0.5, 0)) == "-0.0");
  CHECK(float_repr(float_round_n(-0.001, 2)) == "-0.0");
  CHECK(float_round_n(5e-324, 323) == 0.0);
  CHECK(float_round_n(5e-324, 324) == 5e-324);
  CHECK(float_round_n(1e308, -308) == 1e308);
  float_round_n(&py.c, 1.7976931348623157e308, -308);
  CHECK(py.exc() == "OverflowError: rounded value too large to represent");
  CHECK(py.str(int_round_n(&py.c, box_int(15), -1)) == "20");
  CHECK(py.str(int_round_n(&py.c, box_int(25), -1)) == "20");
  CHECK(py.str(int_round_n(&py.c, box_int(-25), -1)) == "-20");
  CHECK(py.str(int_round_n(&py.c, box_int(5), -1'000'000)) == "0");
  CHECK(int_round_n(&py.c, box_bool(true), 1).tag == Tag::Int);
}

TEST_CASE("float arithmetic: division, floor division, modulo and pow", "[runtime]") {
  Py py;
  CHECK(py.fop(BinOp::FloorDiv, 7.5, 2) == "3.0");
  CHECK(py.fop(BinOp::FloorDiv, -7.5, 2) == "-4.0");
  CHECK(py.fop(BinOp::Mod, 7.5, -2) == "-0.5");
  CHECK(py.fop(BinOp::Mod, -7.5, 2) == "0.5");
  CHECK(py.fop(BinOp::FloorDiv, 0.0, -1) == "-0.0");
  CHECK(py.fop(BinOp::Mod, -0.0, 5) == "0.0");
  CHECK(py.fop(BinOp::Mod, 5, inf) == "5.0");
  CHECK(py.fop(BinOp::Mod, -5, inf) == "inf");
  CHECK(py.fop(BinOp::FloorDiv, 5, inf) == "0.0");
  CHECK(py.fop(BinOp::FloorDiv, -5, inf) == "-1.0");
  CHECK(py.fop(BinOp::Mul, 1e308, 10) == "inf");
  CHECK(py.fop(BinOp::Pow, -2.0, 3) == "-8.0");
  CHECK(py.fop(BinOp::Pow, 2.0, 0.5) == "1.4142135623730951");
  CHECK(py.fop(BinOp::Pow, 2.0, -1075) == "0.0");
  CHECK(py.fop(BinOp::Pow, -1.0, 1e300) == "1.0");
  CHECK(py.fop(BinOp::Pow, nan_, 0) == "1.0");
  py.fop(BinOp::TrueDiv, 1, 0);
  CHECK(py.exc() == "ZeroDivisionError: float division by zero");
  py.fop(BinOp::FloorDiv, 1, 0);
  CHECK(py.exc() == "ZeroDivisionError: float floor division by zero");
  py.fop(BinOp::Mod, 1, 0);
  CHECK(py.exc() == "ZeroDivisionError: float modulo");
  double q, r;
  float_divmod(&py.c, 1, 0, &q, &r);
  CHECK(py.exc() == "ZeroDivisionError: float divmod()");
  py.fop(BinOp::Pow, 0.0, -1);
  CHECK(py.exc() == "ZeroDivisionError: 0.0 cannot be raised to a negative power");
  py.fop(BinOp::Pow, 10.0, 400);
  CHECK(py.exc() == "OverflowError: (34, 'Numerical result out of range')");
  py.fop(BinOp::Pow, -8.0, 1.0 / 3);
  CHECK(py.exc() == "UnsupportedError: complex numbers are not supported");
  py.fop(BinOp::LShift, 1, 2);
  CHECK(py.exc() == "TypeError: unsupported operand type(s) for <<: 'float' and 'float'");
}

TEST_CASE("hashes of ints and floats", "[runtime]") {
  Py py;
  CHECK(int_hash(box_int(-1)) == -2);
  CHECK(int_hash(box_int(-2)) == -2);
  CHECK(int_hash(box_int(0)) == 0);
  CHECK(int_hash(box_bool(true)) == 1);
  CHECK(int_hash(py.n("2305843009213693952")) == 1);  // 2**61
  CHECK(int_hash(py.n("2305843009213693951")) == 0);  // 2**61 - 1
  CHECK(int_hash(py.n("-2305843009213693952")) == -2); // -2**61
  CHECK(int_hash(py.n("18446744073709551616")) == 8);  // 2**64
  CHECK(int_hash(py.n("-18446744073709551616")) == -8);
  CHECK(int_hash(py.n("18446744073709551617")) == 9);
  CHECK(int_hash(box_int(INT64_MIN)) == -4);
  CHECK(float_hash(1.5) == 1152921504606846977);
  CHECK(float_hash(-2.5) == -1152921504606846978);
  CHECK(float_hash(-1.0) == -2);
  CHECK(float_hash(-0.0) == 0);
  CHECK(float_hash(inf) == 314159);
  CHECK(float_hash(-inf) == -314159);
  CHECK(float_hash(0.1) == 230584300921369408);
  CHECK(float_hash(1e300) == 1224995262755759164);
  CHECK(float_hash(1e-300) == 482449582752280463);
  CHECK(float_hash(0x1p61) == 1);
  CHECK(float_hash(123456789.0) == 123456789);
}
