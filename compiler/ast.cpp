#include "compiler/ast.hpp"

#include "bus/shoal.capnp.h"
#include "runtime/numeric.hpp"

#include <map>
#include <optional>

namespace shoal::compiler {

Node* AstArena::make(K kind, int line, int col) {
  Node& n = nodes_.emplace_back();
  n.kind = kind;
  n.line = line;
  n.col = col;
  n.id = int(nodes_.size());
  return &n;
}

Params* AstArena::make_params() { return &params_.emplace_back(); }

namespace {

using AstR = wire::Ast::Reader;
using ValR = wire::AstValue::Reader;

/// Reads one wire tree into the arena, rejecting constructs outside the subset.
class Reader {
public:
  Reader(AstArena& arena, std::string file) : arena_(arena), file_(std::move(file)) {}

  Node* function(AstR n) {
    std::string kind = n.getKind();
    if (kind == "Lambda")
      return expr(n);
    if (kind == "AsyncFunctionDef")
      unsupported(file_, n.getLine(), "async def");
    if (kind != "FunctionDef")
      unsupported(file_, n.getLine(), "a " + kind + " as a function");
    Node* f = make(K::FunctionDef, n);
    f->s = text(n, "name");
    f->params = params(node(n, "args"));
    f->a = stmts(n, "body");
    return f;
  }

private:
  AstArena& arena_;
  std::string file_;

  Node* make(K k, AstR n) { return arena_.make(k, int(n.getLine()), int(n.getCol())); }

  static std::optional<ValR> field(AstR n, const char* name) {
    for (auto f : n.getFields())
      if (f.getName() == name)
        return f.getValue();
    return std::nullopt;
  }
  static std::optional<AstR> node(AstR n, const char* name) {
    auto v = field(n, name);
    if (v && v->isNode())
      return v->getNode();
    return std::nullopt;
  }
  static std::string text(AstR n, const char* name) {
    auto v = field(n, name);
    return v && v->isStr() ? std::string(v->getStr().cStr()) : std::string();
  }
  static std::vector<AstR> nodes(AstR n, const char* name) {
    std::vector<AstR> out;
    auto v = field(n, name);
    if (v && v->isList())
      for (auto item : v->getList())
        if (item.isNode())
          out.push_back(item.getNode());
    return out;
  }
  static std::vector<std::string> strings(AstR n, const char* name) {
    std::vector<std::string> out;
    auto v = field(n, name);
    if (v && v->isList())
      for (auto item : v->getList())
        if (item.isStr())
          out.emplace_back(item.getStr().cStr());
    return out;
  }
  /// The class name of an operator field (BinOp.op is a node such as Add()).
  static std::string op_name(AstR n, const char* name) {
    auto o = node(n, name);
    return o ? std::string(o->getKind().cStr()) : std::string();
  }

  std::vector<Node*> stmts(AstR n, const char* name) {
    std::vector<Node*> out;
    for (auto s : nodes(n, name))
      out.push_back(stmt(s));
    return out;
  }
  std::vector<Node*> exprs(AstR n, const char* name) {
    std::vector<Node*> out;
    for (auto e : nodes(n, name))
      out.push_back(expr(e));
    return out;
  }
  Node* opt_expr(AstR n, const char* name) {
    auto e = node(n, name);
    return e ? expr(*e) : nullptr;
  }
  Node* req_expr(AstR n, const char* name) {
    auto e = node(n, name);
    if (!e)
      unsupported(file_, n.getLine(), std::string("a missing '") + name + "'");
    return expr(*e);
  }

  Params* params(std::optional<AstR> args) {
    Params* p = arena_.make_params();
    if (!args)
      return p;
    AstR a = *args;
    if (auto po = nodes(a, "posonlyargs"); !po.empty())
      unsupported(file_, po[0].getLine(), "positional-only parameters");
    if (auto v = node(a, "vararg"))
      p->vararg = text(*v, "arg");
    if (auto k = node(a, "kwarg"))
      p->kwarg = text(*k, "arg");
    for (auto arg : nodes(a, "args"))
      p->names.push_back(text(arg, "arg"));
    p->defaults = exprs(a, "defaults");
    for (auto arg : nodes(a, "kwonlyargs"))
      p->kwonly.push_back(text(arg, "arg"));
    auto kd = field(a, "kw_defaults");
    if (kd && kd->isList())
      for (auto item : kd->getList())
        p->kw_defaults.push_back(item.isNode() ? expr(item.getNode()) : nullptr);
    return p;
  }

  static int binop_code(const std::string& op) {
    static const std::map<std::string, rt::BinOp> ops = {
        {"Add", rt::BinOp::Add},       {"Sub", rt::BinOp::Sub},       {"Mult", rt::BinOp::Mul},
        {"Div", rt::BinOp::TrueDiv},   {"FloorDiv", rt::BinOp::FloorDiv}, {"Mod", rt::BinOp::Mod},
        {"Pow", rt::BinOp::Pow},       {"LShift", rt::BinOp::LShift}, {"RShift", rt::BinOp::RShift},
        {"BitAnd", rt::BinOp::BitAnd}, {"BitOr", rt::BinOp::BitOr},   {"BitXor", rt::BinOp::BitXor}};
    auto it = ops.find(op);
    return it == ops.end() ? -1 : int(it->second);
  }

  Node* stmt(AstR n);
  Node* expr(AstR n);
  Node* constant(AstR n);
  Node* loop_or_if(K k, AstR n);
  Node* try_stmt(AstR n);
};

Node* Reader::loop_or_if(K k, AstR n) {
  Node* s = make(k, n);
  if (k == K::For) {
    s->x = req_expr(n, "target");
    s->y = req_expr(n, "iter");
  } else {
    s->x = req_expr(n, "test");
  }
  s->a = stmts(n, "body");
  s->b = stmts(n, "orelse");
  return s;
}

Node* Reader::try_stmt(AstR n) {
  Node* s = make(K::Try, n);
  s->a = stmts(n, "body");
  for (auto h : nodes(n, "handlers")) {
    Node* hn = make(K::Handler, h);
    hn->x = opt_expr(h, "type");
    hn->s = text(h, "name");
    hn->a = stmts(h, "body");
    s->b.push_back(hn);
  }
  s->c = stmts(n, "orelse");
  s->d = stmts(n, "finalbody");
  return s;
}

Node* Reader::stmt(AstR n) {
  std::string kind = n.getKind();
  if (kind == "FunctionDef")
    return function(n);
  if (kind == "Return") {
    Node* s = make(K::Return, n);
    s->x = opt_expr(n, "value");
    return s;
  }
  if (kind == "Assign") {
    Node* s = make(K::Assign, n);
    s->a = exprs(n, "targets");
    s->x = req_expr(n, "value");
    return s;
  }
  if (kind == "AnnAssign") {
    Node* s = make(K::Assign, n);
    s->a = {req_expr(n, "target")};
    s->x = opt_expr(n, "value");
    if (!s->x)
      s->kind = K::Pass;
    return s;
  }
  if (kind == "AugAssign") {
    Node* s = make(K::AugAssign, n);
    s->x = req_expr(n, "target");
    s->y = req_expr(n, "value");
    s->op = binop_code(op_name(n, "op"));
    return s;
  }
  if (kind == "Expr") {
    Node* s = make(K::ExprStmt, n);
    s->x = req_expr(n, "value");
    return s;
  }
  if (kind == "If")
    return loop_or_if(K::If, n);
  if (kind == "While")
    return loop_or_if(K::While, n);
  if (kind == "For")
    return loop_or_if(K::For, n);
  if (kind == "Break")
    return make(K::Break, n);
  if (kind == "Continue")
    return make(K::Continue, n);
  if (kind == "Pass")
    return make(K::Pass, n);
  if (kind == "Raise") {
    Node* s = make(K::Raise, n);
    s->x = opt_expr(n, "exc");
    if (node(n, "cause"))
      unsupported(file_, n.getLine(), "'raise ... from ...'");
    return s;
  }
  if (kind == "Try")
    return try_stmt(n);
  if (kind == "Assert") {
    Node* s = make(K::Assert, n);
    s->x = req_expr(n, "test");
    s->y = opt_expr(n, "msg");
    return s;
  }
  if (kind == "Delete") {
    Node* s = make(K::Delete, n);
    s->a = exprs(n, "targets");
    return s;
  }
  if (kind == "Nonlocal" || kind == "Global") {
    Node* s = make(kind == "Global" ? K::Global : K::Nonlocal, n);
    s->names = strings(n, "names");
    return s;
  }
  static const std::map<std::string, std::string> names = {
      {"ClassDef", "a class definition inside a function"}, {"With", "the 'with' statement"},
      {"AsyncFunctionDef", "async def"},  {"AsyncFor", "async for"},
      {"AsyncWith", "async with"},        {"Import", "an import inside a function"},
      {"ImportFrom", "an import inside a function"},
      {"Match", "the 'match' statement"}, {"TryStar", "'except*'"}};
  auto it = names.find(kind);
  unsupported(file_, n.getLine(), it != names.end() ? it->second : "the statement " + kind);
}

Node* Reader::constant(AstR n) {
  Node* e = make(K::Const, n);
  auto v = field(n, "value");
  if (!v || v->isNone())
    return e;
  switch (v->which()) {
  case wire::AstValue::BOOL: e->cv.t = ConstVal::T::Bool, e->cv.i = v->getBool(); break;
  case wire::AstValue::INT: e->cv.t = ConstVal::T::Int, e->cv.i = v->getInt(); break;
  case wire::AstValue::BIG_INT: e->cv.t = ConstVal::T::BigInt, e->cv.s = v->getBigInt(); break;
  case wire::AstValue::FLOAT: e->cv.t = ConstVal::T::Float, e->cv.f = v->getFloat(); break;
  case wire::AstValue::STR:
    e->cv.t = ConstVal::T::Str;
    e->cv.s.assign(v->getStr().begin(), v->getStr().size());
    break;
  case wire::AstValue::ELLIPSIS: e->cv.t = ConstVal::T::Ellipsis; break;
  case wire::AstValue::BYTES: unsupported(file_, n.getLine(), "a bytes literal");
  default: unsupported(file_, n.getLine(), "this kind of constant");
  }
  return e;
}

Node* Reader::expr(AstR n) {
  std::string kind = n.getKind();
  if (kind == "Constant")
    return constant(n);
  if (kind == "Name") {
    Node* e = make(K::Name, n);
    e->s = text(n, "id");
    return e;
  }
  if (kind == "BinOp") {
    Node* e = make(K::BinOp, n);
    e->x = req_expr(n, "left");
    e->y = req_expr(n, "right");
    e->op = binop_code(op_name(n, "op"));
    if (e->op < 0)
      unsupported(file_, n.getLine(), "the operator " + op_name(n, "op"));
    return e;
  }
  if (kind == "UnaryOp") {
    Node* e = make(K::UnaryOp, n);
    e->x = req_expr(n, "operand");
    e->s = op_name(n, "op");
    return e;
  }
  if (kind == "BoolOp") {
    Node* e = make(K::BoolOp, n);
    e->a = exprs(n, "values");
    e->s = op_name(n, "op");
    return e;
  }
  if (kind == "Compare") {
    Node* e = make(K::Compare, n);
    e->x = req_expr(n, "left");
    e->a = exprs(n, "comparators");
    for (auto o : nodes(n, "ops"))
      e->names.emplace_back(o.getKind().cStr());
    return e;
  }
  if (kind == "Call") {
    Node* e = make(K::Call, n);
    e->x = req_expr(n, "func");
    for (auto arg : nodes(n, "args"))
      e->a.push_back(expr(arg));
    for (auto kw : nodes(n, "keywords")) {
      Node* k = make(K::Keyword, kw);
      k->s = text(kw, "arg"); // empty for **mapping
      k->x = req_expr(kw, "value");
      e->b.push_back(k);
    }
    return e;
  }
  if (kind == "Tuple" || kind == "List" || kind == "Set") {
    Node* e = make(kind == "Tuple" ? K::Tuple : kind == "List" ? K::List : K::Set, n);
    e->a = exprs(n, "elts");
    return e;
  }
  if (kind == "Dict") {
    Node* e = make(K::Dict, n);
    auto keys = field(n, "keys");
    if (keys && keys->isList())
      for (auto item : keys->getList())
        e->a.push_back(item.isNode() ? expr(item.getNode()) : nullptr);
    e->b = exprs(n, "values");
    return e;
  }
  if (kind == "Starred") {
    Node* e = make(K::Starred, n);
    e->x = req_expr(n, "value");
    return e;
  }
  if (kind == "Slice") {
    Node* e = make(K::Slice, n);
    e->x = opt_expr(n, "lower");
    e->y = opt_expr(n, "upper");
    e->z = opt_expr(n, "step");
    return e;
  }
  if (kind == "JoinedStr") {
    Node* e = make(K::JoinedStr, n);
    e->a = exprs(n, "values");
    return e;
  }
  if (kind == "FormattedValue") {
    Node* e = make(K::FormattedValue, n);
    e->x = req_expr(n, "value");
    auto conv = field(n, "conversion");
    e->op = conv && conv->isInt() ? int(conv->getInt()) : -1;
    e->y = opt_expr(n, "format_spec");
    return e;
  }
  if (kind == "Yield") {
    Node* e = make(K::Yield, n);
    e->x = opt_expr(n, "value");
    return e;
  }
  if (kind == "IfExp") {
    Node* e = make(K::IfExp, n);
    e->x = req_expr(n, "test");
    e->y = req_expr(n, "body");
    e->z = req_expr(n, "orelse");
    return e;
  }
  if (kind == "Lambda") {
    Node* e = make(K::Lambda, n);
    e->params = params(node(n, "args"));
    e->y = req_expr(n, "body");
    return e;
  }
  if (kind == "GeneratorExp" || kind == "ListComp" || kind == "SetComp" || kind == "DictComp") {
    Node* e = make(kind == "GeneratorExp" ? K::GenExp : kind == "ListComp" ? K::ListComp
                   : kind == "SetComp" ? K::SetComp : K::DictComp, n);
    if (kind == "DictComp") {
      e->x = req_expr(n, "key");
      e->y = req_expr(n, "value");
    } else {
      e->x = req_expr(n, "elt");
    }
    for (auto g : nodes(n, "generators")) {
      Node* c = make(K::Comprehension, g);
      c->x = req_expr(g, "target");
      c->y = req_expr(g, "iter");
      c->a = exprs(g, "ifs");
      auto is_async = field(g, "is_async");
      if (is_async && is_async->isInt() && is_async->getInt())
        unsupported(file_, g.getLine(), "async comprehensions");
      e->a.push_back(c);
    }
    return e;
  }
  if (kind == "Attribute") {
    Node* e = make(K::Attribute, n);
    e->x = req_expr(n, "value");
    e->s = text(n, "attr");
    return e;
  }
  if (kind == "Subscript") {
    Node* e = make(K::Subscript, n);
    e->x = req_expr(n, "value");
    e->y = req_expr(n, "slice");
    return e;
  }
  static const std::map<std::string, std::string> names = {
      {"NamedExpr", "the walrus operator ':='"}, {"YieldFrom", "'yield from'"},
      {"Await", "'await'"}};
  auto it = names.find(kind);
  unsupported(file_, n.getLine(), it != names.end() ? it->second : "the expression " + kind);
}

using Note = std::function<std::string(const Node*)>;
void dump_into(std::string& out, const Node* n, int indent, const Note& note);

} // namespace

Node* read_function(AstArena& arena, const void* wire_ast, const std::string& file) {
  Reader r(arena, file);
  return r.function(*static_cast<const AstR*>(wire_ast));
}

namespace {
const char* kind_name(K k) {
  static const char* names[] = {"FunctionDef", "Return", "Assign", "AugAssign", "Expr", "If", "While", "For",
                                "Break", "Continue", "Pass", "Raise", "Try", "Handler", "Assert", "Nonlocal",
                                "Global", "BinOp", "UnaryOp", "BoolOp", "Compare", "Call", "Keyword", "Name",
                                "Const", "Tuple", "IfExp", "Lambda", "GenExp", "Comprehension", "Attribute",
                                "Subscript", "List", "Set", "Dict", "ListComp", "SetComp", "DictComp",
                                "JoinedStr", "FormattedValue", "Slice", "Starred", "Delete", "Yield"};
  return names[int(k)];
}

void dump_list(std::string& out, const char* role, const std::vector<Node*>& xs, int indent, const Note& note) {
  if (xs.empty())
    return;
  out += std::string(size_t(indent + 2), ' ') + role + ":\n";
  for (auto* x : xs)
    dump_into(out, x, indent + 4, note);
}

void dump_into(std::string& out, const Node* n, int indent, const Note& note) {
  if (!n)
    return;
  out += std::string(size_t(indent), ' ') + kind_name(n->kind) + " @" + std::to_string(n->line);
  if (!n->s.empty())
    out += " '" + n->s + "'";
  if (n->kind == K::Const) {
    switch (n->cv.t) {
    case ConstVal::T::Int: out += " " + std::to_string(n->cv.i); break;
    case ConstVal::T::Float: out += " " + std::to_string(n->cv.f); break;
    case ConstVal::T::Bool: out += n->cv.i ? " True" : " False"; break;
    case ConstVal::T::None: out += " None"; break;
    default: out += " " + n->cv.s;
    }
  }
  for (auto& name : n->names)
    out += " " + name;
  if (note) {
    std::string extra = note(n);
    if (!extra.empty())
      out += "  : " + extra;
  }
  out += "\n";
  dump_into(out, n->x, indent + 2, note);
  dump_into(out, n->y, indent + 2, note);
  dump_into(out, n->z, indent + 2, note);
  dump_list(out, "a", n->a, indent, note);
  dump_list(out, "b", n->b, indent, note);
  dump_list(out, "c", n->c, indent, note);
  dump_list(out, "d", n->d, indent, note);
}
} // namespace

std::string dump(const Node* n, int indent, const Note& note) {
  std::string out;
  dump_into(out, n, indent, note);
  return out;
}

} // namespace shoal::compiler
