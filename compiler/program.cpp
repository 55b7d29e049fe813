#include "compiler/program.hpp"

#include "bus/shoal.capnp.h"

#include <algorithm>
#include <functional>

namespace shoal::compiler {

int FuncInfo::free_index(const std::string& n) const {
  auto it = std::find(frees.begin(), frees.end(), n);
  return it == frees.end() ? -1 : int(it - frees.begin());
}

const PyConst* FuncInfo::global(const std::string& n) const {
  const FuncInfo* root = this;
  while (root->parent)
    root = root->parent;
  if (auto it = root->captured.find(n); it != root->captured.end())
    return &it->second;
  if (auto it = root->globals.find(n); it != root->globals.end())
    return &it->second;
  return nullptr;
}

PyConst read_value(const void* wv, const Program& prog) {
  auto v = *static_cast<const wire::Value::Reader*>(wv);
  PyConst c;
  switch (v.which()) {
  case wire::Value::NONE: break;
  case wire::Value::BOOL: c.t = PyConst::T::Bool, c.i = v.getBool(); break;
  case wire::Value::INT: c.t = PyConst::T::Int, c.i = v.getInt(); break;
  case wire::Value::BIG_INT: c.t = PyConst::T::BigInt, c.s = v.getBigInt(); break;
  case wire::Value::FLOAT: c.t = PyConst::T::Float, c.f = v.getFloat(); break;
  case wire::Value::STR: c.t = PyConst::T::Str, c.s.assign(v.getStr().begin(), v.getStr().size()); break;
  case wire::Value::TUPLE:
    c.t = PyConst::T::Tuple;
    for (auto item : v.getTuple())
      c.items.push_back(read_value(&item, prog));
    break;
  case wire::Value::FUNCTION:
    c.t = PyConst::T::Function;
    if (v.getFunction() >= prog.top.size())
      throw CompileError("TypeError", "<wire>", 0, "function index out of range");
    c.fn = prog.top[v.getFunction()];
    break;
  case wire::Value::MODULE: c.t = PyConst::T::Module, c.s = v.getModule(); break;
  case wire::Value::BUILTIN: c.t = PyConst::T::Builtin, c.s = v.getBuiltin(); break;
  case wire::Value::UNSUPPORTED: c.t = PyConst::T::Unsupported, c.s = v.getUnsupported(); break;
  }
  return c;
}

namespace {

bool is_builtin_name(const std::string& n);

/// Resolves scopes of one function and creates FuncInfos for the functions nested in it.
class ScopeBuilder {
public:
  ScopeBuilder(Program& prog, FuncInfo* f) : prog_(prog), f_(f) {}

  void run() {
    for (auto& p : f_->params->names)
      f_->locals.insert(p);
    for (auto& p : f_->params->kwonly)
      f_->locals.insert(p);
    if (f_->node->kind == K::FunctionDef) {
      for (auto* s : f_->node->a)
        collect_stmt(s);
      for (auto& n : declared_global_) {
        if (auto it = assigned_.find(n); it != assigned_.end())
          unsupported(f_->file, it->second, "assignment to the global variable '" + n + "'");
        f_->locals.erase(n);
      }
      for (auto& n : f_->nonlocals)
        f_->locals.erase(n);
      for (auto* s : f_->node->a)
        resolve(s);
    } else {
      resolve(f_->node->y);
    }
  }

private:
  Program& prog_;
  FuncInfo* f_;
  std::set<std::string> declared_global_;
  std::map<std::string, int> assigned_; ///< name -> first line assigning it
  std::vector<std::map<std::string, std::string>> genexp_scopes_;

  void collect_target(Node* t) {
    if (t->kind == K::Name) {
      f_->locals.insert(t->s);
      assigned_.emplace(t->s, t->line);
    }
    else if (t->kind == K::Tuple)
      for (auto* e : t->a)
        collect_target(e);
    else
      unsupported(f_->file, t->line, t->kind == K::Subscript ? "assignment to an item" : "assignment to an attribute");
  }

  void collect_stmt(Node* s) {
    switch (s->kind) {
    case K::FunctionDef:
      f_->locals.insert(s->s);
      assigned_.emplace(s->s, s->line);
      return;
    case K::Assign:
      for (auto* t : s->a)
        collect_target(t);
      return;
    case K::AugAssign: collect_target(s->x); return;
    case K::For: collect_target(s->x); break;
    case K::Handler:
      if (!s->s.empty())
        f_->locals.insert(s->s);
      break;
    case K::Global:
      for (auto& n : s->names)
        declared_global_.insert(n);
      return;
    case K::Nonlocal:
      for (auto& n : s->names)
        f_->nonlocals.insert(n);
      return;
    default: break;
    }
    for (auto* list : {&s->a, &s->b, &s->c, &s->d})
      for (auto* c : *list)
        if (c->kind != K::Keyword)
          collect_stmt(c);
  }

  /// Makes a FuncInfo for a def or lambda nested in this function and resolves its scopes.
  void nested(Node* n) {
    auto fi = std::make_unique<FuncInfo>();
    fi->index = int(prog_.funcs.size());
    fi->name = n->kind == K::Lambda ? "<lambda>" : n->s;
    fi->qualname = f_->qualname + ".<locals>." + fi->name;
    fi->file = f_->file;
    fi->node = n;
    fi->params = n->params;
    fi->parent = f_;
    FuncInfo* raw = fi.get();
    f_->children.push_back(raw);
    prog_.funcs.push_back(std::move(fi));
    n->op = raw->index;
    ScopeBuilder(prog_, raw).run();
  }

  /// Marks name as free in fn, captured from the nearest enclosing function that binds it.
  bool capture(FuncInfo* fn, const std::string& name) {
    FuncInfo* p = fn->parent;
    if (!p)
      return false;
    if (p->locals.count(name)) {
      p->cells.insert(name);
    } else if (!capture(p, name)) {
      return false;
    }
    if (fn->free_index(name) < 0)
      fn->frees.push_back(name);
    return true;
  }

  void resolve_name(Node* n) {
    for (auto it = genexp_scopes_.rbegin(); it != genexp_scopes_.rend(); ++it)
      if (auto r = it->find(n->s); r != it->end()) {
        n->s = r->second;
        n->op = int(NameKind::Local);
        return;
      }
    if (f_->locals.count(n->s)) {
      n->op = int(NameKind::Local);
    } else if (!declared_global_.count(n->s) && capture(f_, n->s)) {
      n->op = int(NameKind::Free);
    } else if (f_->nonlocals.count(n->s)) {
      unsupported(f_->file, n->line, "nonlocal '" + n->s + "' with no binding in an enclosing function");
    } else if (f_->global(n->s) || !is_builtin_name(n->s)) {
      n->op = int(NameKind::Global);
    } else {
      n->op = int(NameKind::Builtin);
    }
  }

  void resolve_genexp(Node* g) {
    genexp_scopes_.emplace_back();
    for (size_t i = 0; i < g->a.size(); ++i) {
      Node* comp = g->a[i];
      if (i == 0) {
        genexp_scopes_.pop_back();
        resolve(comp->y); // the first iterable is evaluated in the enclosing scope
        genexp_scopes_.emplace_back();
      } else {
        resolve(comp->y);
      }
      bind_genexp_target(comp->x, g->id);
      resolve(comp->x);
      for (auto* cond : comp->a)
        resolve(cond);
    }
    resolve(g->x);
    genexp_scopes_.pop_back();
  }

  void bind_genexp_target(Node* t, int id) {
    if (t->kind == K::Name) {
      std::string unique = t->s + "#" + std::to_string(id);
      genexp_scopes_.back()[t->s] = unique;
      f_->locals.insert(unique);
    } else if (t->kind == K::Tuple) {
      for (auto* e : t->a)
        bind_genexp_target(e, id);
    } else {
      unsupported(f_->file, t->line, "this comprehension target");
    }
  }

  void resolve(Node* n) {
    if (!n)
      return;
    switch (n->kind) {
    case K::Name: resolve_name(n); return;
    case K::FunctionDef:
    case K::Lambda:
      for (auto* d : n->params->defaults)
        resolve(d);
      for (auto* d : n->params->kw_defaults)
        resolve(d);
      if (n->kind == K::FunctionDef) {
        Node fake = *n;
        fake.kind = K::Name;
        nested(n);
        resolve_name(&fake); // the def binds its name in this scope
      } else {
        nested(n);
      }
      return;
    case K::GenExp: resolve_genexp(n); return;
    default: break;
    }
    resolve(n->x);
    resolve(n->y);
    resolve(n->z);
    for (auto* list : {&n->a, &n->b, &n->c, &n->d})
      for (auto* c : *list)
        resolve(c);
  }
};

bool is_builtin_name(const std::string& n) {
  static const std::set<std::string> names = {
      "abs", "min", "max", "int", "float", "bool", "str", "repr", "round", "sum", "any", "all", "len",
      "range", "print", "isinstance", "divmod", "pow", "tuple", "True", "False", "None", "BaseException",
      "Exception", "ArithmeticError", "ZeroDivisionError", "OverflowError", "LookupError", "IndexError",
      "KeyError", "ValueError", "TypeError", "NameError", "UnboundLocalError", "RuntimeError", "RecursionError",
      "NotImplementedError", "AssertionError", "AttributeError", "MemoryError", "StopIteration",
      "FloatingPointError", "KeyboardInterrupt", "SystemExit"};
  return names.count(n) > 0;
}

} // namespace

std::unique_ptr<Program> load_program(const void* wp) {
  auto w = *static_cast<const wire::Program::Reader*>(wp);
  auto prog = std::make_unique<Program>();
  for (auto wf : w.getFunctions()) {
    auto fi = std::make_unique<FuncInfo>();
    fi->index = int(prog->funcs.size());
    fi->name = wf.getName();
    fi->qualname = wf.getQualname();
    fi->file = wf.getFile();
    fi->code_hash = wf.getCodeHash();
    prog->top.push_back(fi.get());
    prog->funcs.push_back(std::move(fi));
  }
  size_t i = 0;
  for (auto wf : w.getFunctions()) {
    FuncInfo* fi = prog->top[i++];
    auto ast = wf.getAst();
    fi->node = read_function(prog->arena, &ast, fi->file);
    fi->params = fi->node->params;
    for (auto b : wf.getGlobals()) {
      auto v = b.getValue();
      fi->globals[b.getName()] = read_value(&v, *prog);
    }
    for (auto b : wf.getClosure()) {
      auto v = b.getValue();
      fi->captured[b.getName()] = read_value(&v, *prog);
    }
    for (auto d : wf.getDefaults())
      fi->defaults.push_back(read_value(&d, *prog));
    for (auto b : wf.getKwDefaults()) {
      auto v = b.getValue();
      fi->kwdefaults[b.getName()] = read_value(&v, *prog);
    }
  }
  for (size_t k = 0; k < prog->top.size(); ++k)
    ScopeBuilder(*prog, prog->top[k]).run();
  return prog;
}

} // namespace shoal::compiler
