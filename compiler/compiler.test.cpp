#include "compiler/compiler.hpp"
#include "compiler/infer.hpp"
#include "compiler/program.hpp"
#include "compiler/programs.test.hpp"
#include "compiler/types.hpp"
#include "runtime/format.hpp"
#include "runtime/numeric.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <climits>
#include <string>

using namespace shoal::compiler;
namespace t = shoal::testing;
namespace rt = shoal::rt;

TEST_CASE("types are interned and join to the least common type", "[compiler]") {
  Types t;
  CHECK(t.integer() == t.integer());
  CHECK(t.join(t.never(), t.flt()) == t.flt());
  CHECK(t.join(t.integer(), t.flt()) == t.dyn());
  auto* a = t.tuple({t.integer(), t.flt()});
  auto* b = t.tuple({t.integer(), t.integer()});
  CHECK(t.join(a, b) == t.tuple({t.integer(), t.dyn()}));
  CHECK(t.join(a, t.tuple({t.integer()})) == t.dyn());
  t.wide = true;
  CHECK(t.integer() == t.dyn());
}

namespace {

/// Loads the request's program and infers the entry function for the given argument types.
struct Inferred {
  std::unique_ptr<Program> prog;
  Types types;
  std::unique_ptr<Infer> infer;
  Spec* spec = nullptr;

  Inferred(t::Request& req, std::vector<const Type*> (*args)(Types&)) {
    auto r = req.program();
    prog = load_program(&r);
    infer = std::make_unique<Infer>(*prog, types);
    spec = infer->run(prog->top[0], args(types));
  }
};

/// A call context as the call runner sets it up.
struct Call {
  std::string out;
  rt::Ctx ctx{};
  Call() {
    rt::gc_init();
    ctx.depth_limit = 1000;
    ctx.memory_limit = int64_t(1) << 30;
    ctx.out = &out;
  }
  rt::Val run(const CompileResult& res, std::vector<rt::Val> args) {
    REQUIRE(res.entry);
    REQUIRE(args.size() == res.nparams);
    rt::Val v{};
    res.entry(&ctx, args.data(), &v);
    return v;
  }
  std::string exc() const { return ctx.exc ? std::string(rt::exc_name(ctx.exc->kind)) + ": " + rt::exc_message(ctx.exc) : ""; }
};

CompileResult compile(Compiler& c, t::Request& req, bool wide = false, const std::string& dump = "") {
  auto prog = req.program();
  auto args = req.args();
  auto kwargs = req.kwargs();
  return c.compile(&prog, 0, &args, &kwargs, wide, dump);
}

const std::string* find_dump(const CompileResult& r, const std::string& stage) {
  for (auto& [name, text] : r.dumps)
    if (name == stage)
      return &text;
  return nullptr;
}

} // namespace

TEST_CASE("load_program reads functions and parameters from the wire AST", "[compiler]") {
  t::Request req({t::add_fn()}, {});
  auto r = req.program();
  auto prog = load_program(&r);
  REQUIRE(prog->top.size() == 1);
  FuncInfo* f = prog->top[0];
  CHECK(f->name == "add");
  CHECK(f->file == "prog.py");
  CHECK(f->params->names == std::vector<std::string>{"a", "b"});
  CHECK(f->locals == std::set<std::string>{"a", "b"});
  REQUIRE(f->node->a.size() == 1);
  CHECK(f->node->a[0]->kind == K::Return);
  CHECK(f->node->a[0]->line == 2);
  CHECK(f->node->a[0]->x->kind == K::BinOp);
  CHECK(f->node->a[0]->x->op == int(rt::BinOp::Add));
}

TEST_CASE("inference types a + b from the argument types", "[compiler]") {
  t::Request req({t::add_fn()}, {});
  SECTION("int + int is int") {
    Inferred i(req, [](Types& ty) { return std::vector<const Type*>{ty.integer(), ty.integer()}; });
    CHECK(i.spec->ret == i.types.integer());
    CHECK(i.spec->vars.at("a") == i.types.integer());
  }
  SECTION("int + float is float") {
    Inferred i(req, [](Types& ty) { return std::vector<const Type*>{ty.integer(), ty.flt()}; });
    CHECK(i.spec->ret == i.types.flt());
  }
  SECTION("str + int is only known at run time (object)") {
    Inferred i(req, [](Types& ty) { return std::vector<const Type*>{ty.str(), ty.integer()}; });
    CHECK(i.spec->ret == i.types.dyn());
    CHECK(i.spec->ret->str() == "object");
  }
  SECTION("str + str is str") {
    Inferred i(req, [](Types& ty) { return std::vector<const Type*>{ty.str(), ty.str()}; });
    CHECK(i.spec->ret == i.types.str());
  }
  SECTION("wide mode boxes ints") {
    Inferred i(req, [](Types& ty) {
      ty.wide = true;
      return std::vector<const Type*>{ty.integer(), ty.integer()};
    });
    CHECK(i.spec->ret == i.types.dyn());
  }
}

TEST_CASE("inference of a recursive function converges", "[compiler]") {
  t::Request req({t::fib_fn()}, {});
  Inferred i(req, [](Types& ty) { return std::vector<const Type*>{ty.integer()}; });
  CHECK(i.spec->ret == i.types.integer());
  CHECK(i.spec->str() == "fib(int) -> int");
  // both recursive calls reuse the one specialisation
  CHECK(i.infer->specs().size() == 1);
  CHECK(i.spec->calls.size() == 2);
  for (auto& [call, callee] : i.spec->calls)
    CHECK(callee == i.spec);
}

TEST_CASE("scopes: a nested def reading an outer local makes a cell and a free variable", "[compiler]") {
  t::Request req({t::closure_fn()}, {});
  auto r = req.program();
  auto prog = load_program(&r);
  REQUIRE(prog->funcs.size() == 2);
  FuncInfo* outer = prog->top[0];
  REQUIRE(outer->children.size() == 1);
  FuncInfo* inner = outer->children[0];
  CHECK(inner->parent == outer);
  CHECK(inner->qualname == "outer.<locals>.inner");
  CHECK(outer->cells.count("x") == 1);
  CHECK(outer->locals.count("inner") == 1);
  CHECK(inner->frees == std::vector<std::string>{"x"});
  CHECK(inner->locals.empty());

  Types types;
  Infer inf(*prog, types);
  Spec* s = inf.run(outer, {types.integer()});
  CHECK(s->ret == types.integer());
}

TEST_CASE("compiled code runs: ints, floats, str at run time", "[compiler]") {
  Compiler c;
  Call call;
  SECTION("int + int") {
    t::Request req({t::add_fn()}, {t::wint(2), t::wint(40)});
    auto res = compile(c, req);
    REQUIRE(res.error_type == "");
    CHECK(res.nparams == 2);
    rt::Val v = call.run(res, {rt::box_int(2), rt::box_int(40)});
    CHECK(call.exc() == "");
    CHECK(v.tag == rt::Tag::Int);
    CHECK(int64_t(v.bits) == 42);
  }
  SECTION("int + float") {
    t::Request req({t::add_fn()}, {t::wint(1), t::wfloat(2.5)});
    auto res = compile(c, req);
    REQUIRE(res.error_type == "");
    rt::Val v = call.run(res, {rt::box_int(1), rt::box_float(2.5)});
    CHECK(v.tag == rt::Tag::Float);
    CHECK(rt::unbox_float(v) == 3.5);
  }
  SECTION("str + str") {
    t::Request req({t::add_fn()}, {t::wstr("ab"), t::wstr("cd")});
    auto res = compile(c, req);
    REQUIRE(res.error_type == "");
    rt::Val v = call.run(res, {rt::box_ptr(rt::Tag::Str, rt::str_new("ab")), rt::box_ptr(rt::Tag::Str, rt::str_new("cd"))});
    CHECK(call.exc() == "");
    CHECK(rt::str_of(v) == "abcd");
  }
  SECTION("str + int raises CPython's TypeError at run time") {
    t::Request req({t::add_fn()}, {t::wstr("ab"), t::wint(1)});
    auto res = compile(c, req);
    REQUIRE(res.error_type == "");
    call.run(res, {rt::box_ptr(rt::Tag::Str, rt::str_new("ab")), rt::box_int(1)});
    CHECK(call.exc() == "TypeError: can only concatenate str (not \"int\") to str");
    // the traceback names the function and line
    REQUIRE(call.ctx.exc->tb);
    CHECK(std::string(call.ctx.exc->tb->function) == "add");
    CHECK(call.ctx.exc->tb->line == 2);
  }
}

TEST_CASE("compiled recursion and closures give Python's results", "[compiler]") {
  Compiler c;
  Call call;
  {
    t::Request req({t::fib_fn()}, {t::wint(20)});
    auto res = compile(c, req);
    REQUIRE(res.error_type == "");
    rt::Val v = call.run(res, {rt::box_int(20)});
    CHECK(call.exc() == "");
    CHECK(int64_t(v.bits) == 6765);
  }
  {
    t::Request req({t::closure_fn()}, {t::wint(41)});
    auto res = compile(c, req);
    REQUIRE(res.error_type == "");
    rt::Val v = call.run(res, {rt::box_int(41)});
    CHECK(call.exc() == "");
    CHECK(v.tag == rt::Tag::Int);
    CHECK(int64_t(v.bits) == 42);
  }
}

TEST_CASE("recursion beyond the context's depth limit raises RecursionError", "[compiler]") {
  Compiler c;
  Call call;
  call.ctx.depth_limit = 50;
  t::Request req({t::fib_fn()}, {t::wint(100)});
  auto res = compile(c, req);
  REQUIRE(res.error_type == "");
  call.run(res, {rt::box_int(100)});
  REQUIRE(call.ctx.exc);
  CHECK(call.ctx.exc->kind == rt::ExcKind::RecursionError);
  CHECK(rt::exc_message(call.ctx.exc) == "maximum recursion depth exceeded");
}

TEST_CASE("print writes to the context's output", "[compiler]") {
  // def show(a):
  //     print(a, "x")
  //     return a
  t::Fn fn{"show", t::Def("show", {"a"},
                          {t::ExprStmt(t::Call(t::Name("print", 2), {t::Name("a", 2), t::Str("x", 2)}, 2), 2),
                           t::Return(t::Name("a", 3), 3)},
                          1)};
  Compiler c;
  Call call;
  t::Request req({fn}, {t::wfloat(0.1)});
  auto res = compile(c, req);
  REQUIRE(res.error_type == "");
  call.run(res, {rt::box_float(0.1)});
  CHECK(call.exc() == "");
  CHECK(call.out == "0.1 x\n");
}

TEST_CASE("constructs outside the subset are UnsupportedError with file and line", "[compiler]") {
  Compiler c;
  SECTION("a with statement") {
    // def f(a):
    //     with a:
    //         pass
    //     return a
    t::P with = t::node("With", 2,
                        {{"items", t::list({t::node("withitem", 0, {{"context_expr", t::Name("a", 2)}, {"optional_vars", t::none()}})})},
                         {"body", t::list({t::Pass(3)})},
                         {"type_comment", t::none()}});
    t::Fn fn{"f", t::Def("f", {"a"}, {with, t::Return(t::Name("a", 4), 4)}, 1), {}, "with.py"};
    t::Request req({fn}, {t::wint(1)});
    auto res = compile(c, req);
    CHECK(res.entry == nullptr);
    CHECK(res.error_type == "UnsupportedError");
    CHECK(res.error_file == "with.py");
    CHECK(res.error_line == 2);
    CHECK(res.error_message.find("with.py, line 2") != std::string::npos);
    CHECK(res.error_message.find("'with' statement") != std::string::npos);
  }
  SECTION("a match statement") {
    // def f(n):
    //     match n:
    //         case _: pass
    t::P m = t::node("Match", 2, {{"subject", t::Name("n", 2)}, {"cases", t::list({})}});
    t::Fn fn{"f", t::Def("f", {"n"}, {m}, 1), {}, "m.py"};
    t::Request req({fn}, {t::wint(3)});
    auto res = compile(c, req);
    CHECK(res.error_type == "UnsupportedError");
    CHECK(res.error_line == 2);
    CHECK(res.error_message == "m.py, line 2: the 'match' statement is not supported by shoal yet");
  }
  SECTION("errors are results, and are not cached") {
    t::P with = t::node("With", 5, {{"items", t::list({})}, {"body", t::list({t::Pass(6)})}});
    t::Fn fn{"f", t::Def("f", {}, {with}, 4)};
    t::Request req({fn}, {});
    auto first = compile(c, req);
    auto second = compile(c, req);
    CHECK(first.error_type == "UnsupportedError");
    CHECK(second.error_type == "UnsupportedError");
    CHECK_FALSE(second.cache_hit);
  }
}

TEST_CASE("a second compile of the same program and types is a cache hit", "[compiler]") {
  Compiler c;
  t::Request req({t::add_fn()}, {t::wint(1), t::wint(2)});
  auto first = compile(c, req);
  REQUIRE(first.error_type == "");
  CHECK_FALSE(first.cache_hit);
  auto second = compile(c, req);
  CHECK(second.cache_hit);
  CHECK(second.entry == first.entry);
  CHECK(second.nparams == 2);

  // an equal program built separately hits too; other argument types do not
  t::Request same({t::add_fn()}, {t::wint(7), t::wint(8)});
  CHECK(compile(c, same).cache_hit);
  t::Request floats({t::add_fn()}, {t::wint(7), t::wfloat(8)});
  auto f = compile(c, floats);
  CHECK_FALSE(f.cache_hit);
  CHECK(f.entry != first.entry);
  // nor does the wide variant of the same call
  CHECK_FALSE(compile(c, req, true).cache_hit);
}

TEST_CASE("int64 overflow deopts in narrow mode and is exact in wide mode", "[compiler]") {
  Compiler c;
  t::Request req({t::add_fn()}, {t::wint(INT64_MAX), t::wint(1)});
  {
    Call call;
    auto narrow = compile(c, req, false);
    REQUIRE(narrow.error_type == "");
    call.run(narrow, {rt::box_int(INT64_MAX), rt::box_int(1)});
    REQUIRE(call.ctx.exc);
    CHECK(call.ctx.exc->kind == rt::ExcKind::Deopt);
  }
  {
    Call call;
    auto wide = compile(c, req, true);
    REQUIRE(wide.error_type == "");
    rt::Val v = call.run(wide, {rt::box_int(INT64_MAX), rt::box_int(1)});
    CHECK(call.exc() == "");
    CHECK(v.tag == rt::Tag::Big);
    CHECK(rt::int_to_string(v) == "9223372036854775808");
  }
  {
    // wide results that fit int64 come back as plain ints
    Call call;
    auto wide = compile(c, req, true);
    rt::Val v = call.run(wide, {rt::box_int(INT64_MAX), rt::box_int(-1)});
    CHECK(v.tag == rt::Tag::Int);
    CHECK(int64_t(v.bits) == INT64_MAX - 1);
  }
}

TEST_CASE("stage dumps are produced when asked", "[compiler]") {
  Compiler c;
  t::Request req({t::add_fn()}, {t::wint(1), t::wint(2)});
  SECTION("none by default") {
    auto r = compile(c, req);
    CHECK(r.dumps.empty());
  }
  SECTION("ast only") {
    auto r = compile(c, req, false, "ast");
    REQUIRE(r.dumps.size() == 1);
    REQUIRE(find_dump(r, "ast"));
    CHECK(find_dump(r, "ast")->find("FunctionDef @1 'add'") != std::string::npos);
    CHECK(find_dump(r, "ast")->find("BinOp @2") != std::string::npos);
  }
  SECTION("ast, ir and llvm") {
    auto r = compile(c, req, false, "ast,ir,llvm");
    REQUIRE(r.error_type == "");
    REQUIRE(r.dumps.size() == 3);
    REQUIRE(find_dump(r, "ast"));
    REQUIRE(find_dump(r, "ir"));
    REQUIRE(find_dump(r, "llvm"));
    CHECK(find_dump(r, "ir")->find("spec add(int, int) -> int") != std::string::npos);
    CHECK(find_dump(r, "ir")->find("var a: int") != std::string::npos);
    CHECK(find_dump(r, "llvm")->find("define") != std::string::npos);
    CHECK(find_dump(r, "llvm")->find("shoal_entry_") != std::string::npos);
    // a dump compile still yields runnable code, and is never served from the cache
    CHECK_FALSE(r.cache_hit);
    Call call;
    CHECK(int64_t(call.run(r, {rt::box_int(1), rt::box_int(2)}).bits) == 3);
  }
}

TEST_CASE("a list comprehension builds a list the caller can read", "[compiler]") {
  // def f(n):
  //     return [i * i for i in range(n)]
  t::P comp = t::node("comprehension", 0,
                      {{"target", t::Name("i", 2, "Store")},
                       {"iter", t::Call(t::Name("range", 2), {t::Name("n", 2)}, 2)},
                       {"ifs", t::list({})},
                       {"is_async", t::Int(0, 0).fields[0].second}});
  t::P lc = t::node("ListComp", 2, {{"elt", t::BinOp(t::Name("i", 2), "Mult", t::Name("i", 2), 2)},
                                    {"generators", t::list({comp})}});
  t::Fn fn{"f", t::Def("f", {"n"}, {t::Return(lc, 2)}, 1), {}, "lc.py"};
  Compiler c;
  Call call;
  t::Request req({fn}, {t::wint(4)});
  auto res = compile(c, req);
  REQUIRE(res.error_type == "");
  rt::Val v = call.run(res, {rt::box_int(4)});
  REQUIRE(call.exc() == "");
  REQUIRE(v.tag == rt::Tag::List);
  CHECK(rt::repr_of(v) == "[0, 1, 4, 9]");
}
