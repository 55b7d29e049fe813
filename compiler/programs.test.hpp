#pragma once
/// Test helper (not part of any library): builds wire::CallRequest messages holding small Python
/// functions, encoded as the bridge encodes them (node kind = Python ast class name, fields by
/// Python's ast field names, line numbers as in the source). Used by compiler and actors tests.

#include "bus/codec.hpp"
#include "bus/shoal.capnp.h"

#include <capnp/message.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shoal::testing {

/// A Python AST node or field value.
struct P {
  enum class K { None, Node, List, Str, Int, Float, Bool } k = K::None;
  std::string s; ///< node kind, or Str text
  int line = 0;
  std::vector<std::pair<std::string, P>> fields;
  std::vector<P> items;
  int64_t i = 0;
  double f = 0;
};

inline P none() { return {}; }
inline P str(std::string s) {
  P p;
  p.k = P::K::Str;
  p.s = std::move(s);
  return p;
}
inline P list(std::vector<P> items) {
  P p;
  p.k = P::K::List;
  p.items = std::move(items);
  return p;
}
inline P node(std::string kind, int line = 0, std::vector<std::pair<std::string, P>> fields = {}) {
  P p;
  p.k = P::K::Node;
  p.s = std::move(kind);
  p.line = line;
  p.fields = std::move(fields);
  return p;
}

// ---- expressions
inline P Name(std::string id, int line, const char* ctx = "Load") {
  return node("Name", line, {{"id", str(std::move(id))}, {"ctx", node(ctx)}});
}
inline P Int(int64_t v, int line) {
  P c;
  c.k = P::K::Int;
  c.i = v;
  return node("Constant", line, {{"value", c}, {"kind", none()}});
}
inline P Float(double v, int line) {
  P c;
  c.k = P::K::Float;
  c.f = v;
  return node("Constant", line, {{"value", c}, {"kind", none()}});
}
inline P Str(std::string v, int line) { return node("Constant", line, {{"value", str(std::move(v))}, {"kind", none()}}); }
/// op: Add, Sub, Mult, Div, FloorDiv, Mod, Pow, ...
inline P BinOp(P l, const char* op, P r, int line) {
  return node("BinOp", line, {{"left", std::move(l)}, {"op", node(op)}, {"right", std::move(r)}});
}
/// op: Lt, LtE, Gt, GtE, Eq, NotEq
inline P Compare(P l, const char* op, P r, int line) {
  return node("Compare", line, {{"left", std::move(l)}, {"ops", list({node(op)})}, {"comparators", list({std::move(r)})}});
}
inline P Call(P f, std::vector<P> args, int line) {
  return node("Call", line, {{"func", std::move(f)}, {"args", list(std::move(args))}, {"keywords", list({})}});
}

// ---- statements
inline P Return(P v, int line) { return node("Return", line, {{"value", std::move(v)}}); }
inline P ExprStmt(P v, int line) { return node("Expr", line, {{"value", std::move(v)}}); }
inline P Pass(int line) { return node("Pass", line); }
inline P If(P test, std::vector<P> body, std::vector<P> orelse, int line) {
  return node("If", line, {{"test", std::move(test)}, {"body", list(std::move(body))}, {"orelse", list(std::move(orelse))}});
}
inline P Assign(std::string target, P value, int line) {
  return node("Assign", line,
              {{"targets", list({Name(std::move(target), line, "Store")})}, {"value", std::move(value)}, {"type_comment", none()}});
}
inline P Def(std::string name, std::vector<std::string> params, std::vector<P> body, int line) {
  std::vector<P> args;
  for (auto& p : params)
    args.push_back(node("arg", line, {{"arg", str(p)}, {"annotation", none()}, {"type_comment", none()}}));
  P arguments = node("arguments", 0,
                     {{"posonlyargs", list({})}, {"args", list(std::move(args))}, {"vararg", none()},
                      {"kwonlyargs", list({})}, {"kw_defaults", list({})}, {"kwarg", none()}, {"defaults", list({})}});
  return node("FunctionDef", line,
              {{"name", str(std::move(name))}, {"args", std::move(arguments)}, {"body", list(std::move(body))},
               {"decorator_list", list({})}, {"returns", none()}, {"type_comment", none()}});
}

inline void write(const P& p, wire::Ast::Builder b);

inline void write(const P& p, wire::AstValue::Builder b) {
  switch (p.k) {
  case P::K::None: b.setNone(); return;
  case P::K::Node: write(p, b.initNode()); return;
  case P::K::List: {
    auto l = b.initList(unsigned(p.items.size()));
    for (unsigned k = 0; k < p.items.size(); ++k)
      write(p.items[k], l[k]);
    return;
  }
  case P::K::Str: b.setStr(p.s); return;
  case P::K::Int: b.setInt(p.i); return;
  case P::K::Float: b.setFloat(p.f); return;
  case P::K::Bool: b.setBool(p.i != 0); return;
  }
}

inline void write(const P& p, wire::Ast::Builder b) {
  b.setKind(p.s);
  b.setLine(uint32_t(p.line));
  auto fs = b.initFields(unsigned(p.fields.size()));
  for (unsigned k = 0; k < p.fields.size(); ++k) {
    fs[k].setName(p.fields[k].first);
    write(p.fields[k].second, fs[k].initValue());
  }
}

/// A value crossing the wire: an argument or a global.
struct W {
  enum class K { None, Int, BigInt, Float, Str, Function } k = K::None;
  int64_t i = 0;
  double f = 0;
  std::string s;
};
inline W wint(int64_t v) { return {W::K::Int, v, 0, {}}; }
inline W wbig(std::string digits) { return {W::K::BigInt, 0, 0, std::move(digits)}; }
inline W wfloat(double v) { return {W::K::Float, 0, v, {}}; }
inline W wstr(std::string v) { return {W::K::Str, 0, 0, std::move(v)}; }
inline W wfunc(uint32_t index) { return {W::K::Function, int64_t(index), 0, {}}; }

inline void write(const W& w, wire::Value::Builder b) {
  switch (w.k) {
  case W::K::None: b.setNone(); return;
  case W::K::Int: b.setInt(w.i); return;
  case W::K::BigInt: b.setBigInt(w.s); return;
  case W::K::Float: b.setFloat(w.f); return;
  case W::K::Str: b.setStr(w.s); return;
  case W::K::Function: b.setFunction(uint32_t(w.i)); return;
  }
}

/// One top-level function of a program.
struct Fn {
  std::string name;
  P ast; ///< a FunctionDef
  std::vector<std::pair<std::string, W>> globals = {};
  std::string file = "prog.py";
};

/// A CallRequest under construction; readers stay valid while it lives.
class Request {
public:
  Request(const std::vector<Fn>& fns, const std::vector<W>& args, uint32_t entry = 0, uint64_t id = 1) {
    req_ = mb_.initRoot<wire::CallRequest>();
    req_.setId(id);
    req_.setEntry(entry);
    auto out = req_.initProgram().initFunctions(unsigned(fns.size()));
    for (unsigned k = 0; k < fns.size(); ++k) {
      out[k].setName(fns[k].name);
      out[k].setQualname(fns[k].name);
      out[k].setFile(fns[k].file);
      out[k].setFirstLine(uint32_t(fns[k].ast.line));
      write(fns[k].ast, out[k].initAst());
      auto g = out[k].initGlobals(unsigned(fns[k].globals.size()));
      for (unsigned j = 0; j < fns[k].globals.size(); ++j) {
        g[j].setName(fns[k].globals[j].first);
        write(fns[k].globals[j].second, g[j].initValue());
      }
    }
    auto a = req_.initArgs(unsigned(args.size()));
    for (unsigned k = 0; k < args.size(); ++k)
      write(args[k], a[k]);
  }
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  wire::CallRequest::Builder builder() { return req_; }
  wire::Program::Reader program() { return req_.asReader().getProgram(); }
  capnp::List<wire::Value>::Reader args() { return req_.asReader().getArgs(); }
  capnp::List<wire::Binding>::Reader kwargs() { return req_.asReader().getKwargs(); }
  bus::bytes bytes() { return bus::encode(mb_); }

private:
  capnp::MallocMessageBuilder mb_;
  wire::CallRequest::Builder req_{nullptr};
};

// ---- sample programs (line numbers as if each started at line 1 of prog.py)

/// def add(a, b):
///     return a + b
inline Fn add_fn() {
  return {"add", Def("add", {"a", "b"}, {Return(BinOp(Name("a", 2), "Add", Name("b", 2), 2), 2)}, 1)};
}

/// def fib(n):
///     if n < 2:
///         return n
///     return fib(n - 1) + fib(n - 2)
inline Fn fib_fn() {
  P body = Return(BinOp(Call(Name("fib", 4), {BinOp(Name("n", 4), "Sub", Int(1, 4), 4)}, 4), "Add",
                        Call(Name("fib", 4), {BinOp(Name("n", 4), "Sub", Int(2, 4), 4)}, 4), 4),
                  4);
  return {"fib",
          Def("fib", {"n"}, {If(Compare(Name("n", 2), "Lt", Int(2, 2), 2), {Return(Name("n", 3), 3)}, {}, 2), body}, 1),
          {{"fib", wfunc(0)}}};
}

/// def outer(x):
///     def inner():
///         return x + 1
///     return inner()
inline Fn closure_fn() {
  return {"outer", Def("outer", {"x"},
                       {Def("inner", {}, {Return(BinOp(Name("x", 3), "Add", Int(1, 3), 3), 3)}, 2),
                        Return(Call(Name("inner", 4), {}, 4), 4)},
                       1)};
}

} // namespace shoal::testing
