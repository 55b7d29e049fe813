#include "runtime/abi.hpp"
#include "runtime/dyn.hpp"
#include "runtime/format.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>

using namespace shoal::rt;

namespace {
struct Fixture {
  std::string out;
  Ctx c{};
  Fixture() {
    gc_init();
    c.memory_limit = 1 << 30;
    c.depth_limit = 1000;
    c.out = &out;
  }
  Val s(const char* text) { return box_ptr(Tag::Str, str_new(text, int64_t(std::strlen(text)))); }
  std::string take_exc() {
    std::string r = c.exc ? std::string(exc_name(c.exc->kind)) + ": " + exc_message(c.exc) : "<none>";
    c.exc = nullptr;
    return r;
  }
};
} // namespace

TEST_CASE("repr and str of values match CPython", "[runtime]") {
  Fixture f;
  CHECK(repr_of(tuple_of({box_int(1)})) == "(1,)");
  CHECK(repr_of(tuple_of({box_int(1), box_float(2.5), none(), box_bool(true), f.s("a'b")})) ==
        "(1, 2.5, None, True, \"a'b\")");
  CHECK(str_of(f.s("plain")) == "plain");
  CHECK(repr_of(f.s("tab\there")) == "'tab\\there'");
  CHECK(repr_of(tuple_of({})) == "()");
}

TEST_CASE("dynamic operators follow Python's rules and messages", "[runtime]") {
  Fixture f;
  CHECK(str_of(dyn_binop(&f.c, BinOp::Add, f.s("ab"), f.s("cd"))) == "abcd");
  CHECK(str_of(dyn_binop(&f.c, BinOp::Mul, f.s("ab"), box_int(3))) == "ababab");
  CHECK(repr_of(dyn_binop(&f.c, BinOp::Add, tuple_of({box_int(1)}), tuple_of({box_int(2)}))) == "(1, 2)");
  dyn_binop(&f.c, BinOp::Add, box_int(1), f.s("x"));
  CHECK(f.take_exc() == "TypeError: unsupported operand type(s) for +: 'int' and 'str'");
  dyn_binop(&f.c, BinOp::Add, f.s("x"), box_int(1));
  CHECK(f.take_exc() == "TypeError: can only concatenate str (not \"int\") to str");
  CHECK(dyn_compare(&f.c, CmpOp::Lt, tuple_of({box_int(1), box_int(2)}), tuple_of({box_int(1), box_int(3)})) == 1);
  CHECK(dyn_compare(&f.c, CmpOp::Eq, box_int(1), box_float(1.0)) == 1);
  CHECK(dyn_compare(&f.c, CmpOp::Lt, box_int(1), f.s("a")) == -1);
  CHECK(f.take_exc() == "TypeError: '<' not supported between instances of 'int' and 'str'");
  CHECK(dyn_equal(f.s("a"), box_int(1)) == false);
}

TEST_CASE("indexing, len and unpacking", "[runtime]") {
  Fixture f;
  Val t = tuple_of({box_int(10), box_int(20)});
  CHECK(dyn_index(&f.c, t, box_int(-1)).bits == 20);
  dyn_index(&f.c, t, box_int(2));
  CHECK(f.take_exc() == "IndexError: tuple index out of range");
  CHECK(dyn_len(&f.c, f.s("h\xc3\xa9llo")) == 5);
  CHECK(str_of(dyn_index(&f.c, f.s("h\xc3\xa9llo"), box_int(1))) == "\xc3\xa9");
  Val out[3];
  shoal_rt_unpack(&f.c, t, 3, out);
  CHECK(f.take_exc() == "ValueError: not enough values to unpack (expected 3, got 2)");
}

TEST_CASE("exceptions match their bases, never the internal deopt", "[runtime]") {
  CHECK(exc_matches(ExcKind::ZeroDivisionError, ExcKind::ArithmeticError));
  CHECK(exc_matches(ExcKind::RecursionError, ExcKind::RuntimeError));
  CHECK_FALSE(exc_matches(ExcKind::KeyboardInterrupt, ExcKind::Exception));
  CHECK_FALSE(exc_matches(ExcKind::Deopt, ExcKind::BaseException));
  CHECK(exc_by_name("KeyError") == ExcKind::KeyError);
  CHECK(exc_by_name("Deopt") == ExcKind::Count);
}

TEST_CASE("print writes to the call's output with sep and end", "[runtime]") {
  Fixture f;
  Val items[] = {box_int(1), box_float(0.1), f.s("x")};
  shoal_rt_print(&f.c, 3, items, nullptr, nullptr);
  shoal_rt_print(&f.c, 2, items, str_new("-"), str_new("!"));
  CHECK(f.out == "1 0.1 x\n1-0.1!");
}

TEST_CASE("math functions raise CPython's errors", "[runtime]") {
  Fixture f;
  shoal_rt_math1(&f.c, int32_t(Math1::Log), 0.0);
  CHECK(f.take_exc() == "ValueError: math domain error");
  shoal_rt_math1(&f.c, int32_t(Math1::Exp), 1000.0);
  CHECK(f.take_exc() == "OverflowError: math range error");
  CHECK(str_of(shoal_rt_mathv(&f.c, int32_t(MathV::Factorial), box_int(25), none())) == "15511210043330985984000000");
  CHECK(shoal_rt_mathv(&f.c, int32_t(MathV::Floor), box_float(-2.5), none()).bits == uint64_t(-3));
}
