#include "runtime/format.hpp"
#include "runtime/objects.hpp"

#include "runtime/containers.hpp"
#include "runtime/containers_detail.hpp"
#include "runtime/numeric.hpp"
#include "runtime/numeric_detail.hpp"

#include <cstdio>
#include <cstring>
#include <vector>

namespace shoal::rt {

int64_t utf8_count(const char* data, int64_t len) {
  int64_t n = 0;
  for (int64_t i = 0; i < len; ++i)
    n += (static_cast<unsigned char>(data[i]) & 0xC0) != 0x80;
  return n;
}

Str* str_new(const char* data, int64_t len) {
  auto* s = static_cast<Str*>(gc_alloc_atomic(sizeof(Str) + size_t(len)));
  s->len = len;
  s->ncp = utf8_count(data, len);
  s->hash = -1;
  std::memcpy(s->data, data, size_t(len));
  s->data[len] = 0;
  return s;
}

Str* str_new(const std::string& s) { return str_new(s.data(), int64_t(s.size())); }

Val tuple_new(int64_t n, const Val* items) {
  auto* t = static_cast<Tuple*>(gc_alloc(sizeof(Tuple) + sizeof(Val) * size_t(n)));
  t->n = n;
  for (int64_t i = 0; i < n; ++i)
    t->items[i] = items[i];
  return box_ptr(Tag::Tuple, t);
}

Val tuple_of(std::initializer_list<Val> items) { return tuple_new(int64_t(items.size()), items.begin()); }

const char* type_name(Val v) {
  switch (v.tag) {
  case Tag::None: return "NoneType";
  case Tag::Bool: return "bool";
  case Tag::Int:
  case Tag::Big: return "int";
  case Tag::Float: return "float";
  case Tag::Str: return "str";
  case Tag::Tuple: return "tuple";
  case Tag::Func: return "function";
  case Tag::Exc: return as<Exc>(v)->inst ? as<Exc>(v)->inst->cls->name : exc_name(as<Exc>(v)->kind);
  case Tag::Instance: return as<Instance>(v)->cls->name;
  case Tag::Class: return "type";
  case Tag::Method: return "method";
  case Tag::Module: return "module";
  case Tag::Builtin: return "builtin_function_or_method";
  case Tag::ExcType: return "type";
  case Tag::List: return "list";
  case Tag::Dict: return "dict";
  case Tag::Set: return "set";
  case Tag::FrozenSet: return "frozenset";
  case Tag::Range: return "range";
  case Tag::View: {
    static const char* const names[] = {"dict_keys", "dict_values", "dict_items"};
    return names[int(as<DictView>(v)->kind)];
  }
  case Tag::Iter: return as<Iter>(v)->type_name;
  default: break;
  }
  return "object";
}

std::string str_repr(const char* data, int64_t len) { return detail::str_repr(std::string(data, size_t(len))); }

static std::string tuple_repr(const Tuple* t) {
  std::string out = "(";
  for (int64_t i = 0; i < t->n; ++i) {
    if (i)
      out += ", ";
    out += repr_of(t->items[i]);
  }
  if (t->n == 1)
    out += ",";
  return out + ")";
}

namespace {
/// The containers whose repr is being built on this thread (CPython's Py_ReprEnter), so that a
/// container holding itself prints as [...] / {...}.
thread_local std::vector<const void*> repr_active;

struct ReprGuard {
  bool recursive = false;
  explicit ReprGuard(const void* p) {
    for (const void* q : repr_active)
      recursive |= q == p;
    if (!recursive)
      repr_active.push_back(p);
  }
  ~ReprGuard() {
    if (!recursive)
      repr_active.pop_back();
  }
  ReprGuard(const ReprGuard&) = delete;
  ReprGuard& operator=(const ReprGuard&) = delete;
};

/// "a, b, c" of the items of a list or tuple.
void append_items(std::string& out, const Val* items, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    if (i)
      out += ", ";
    out += repr_of(items[i]);
  }
}

/// The entries of a dict ("1: 2, 3: 4"), its keys/values/items, or a set's keys.
void append_table(std::string& out, const Table* t, bool is_set, int kind) {
  int64_t pos = 0;
  bool first = true;
  while (Entry* e = is_set ? detail::set_next(t, &pos) : detail::dict_next(t, &pos)) {
    if (!first)
      out += ", ";
    first = false;
    if (kind == 0 || kind == 2)
      out += kind == 2 ? "(" + repr_of(e->key) + ", " : repr_of(e->key);
    if (kind == 1 || kind == 2)
      out += repr_of(e->value) + (kind == 2 ? ")" : "");
    if (kind == 3)
      out += repr_of(e->key) + ": " + repr_of(e->value);
  }
}

std::string container_repr(Val v) {
  ReprGuard guard(reinterpret_cast<const void*>(v.bits));
  switch (v.tag) {
  case Tag::List: {
    if (guard.recursive)
      return "[...]";
    std::string out = "[";
    append_items(out, as<List>(v)->items, as<List>(v)->n);
    return out + "]";
  }
  case Tag::Dict: {
    if (guard.recursive)
      return "{...}";
    std::string out = "{";
    append_table(out, as<Table>(v), false, 3);
    return out + "}";
  }
  case Tag::Set:
  case Tag::FrozenSet: {
    const char* name = v.tag == Tag::Set ? "set" : "frozenset";
    if (guard.recursive)
      return std::string(name) + "(...)";
    if (as<Table>(v)->n == 0)
      return std::string(name) + "()";
    std::string out = v.tag == Tag::Set ? "{" : "frozenset({";
    append_table(out, as<Table>(v), true, 0);
    return out + (v.tag == Tag::Set ? "}" : "})");
  }
  default: { // Tag::View
    if (guard.recursive)
      return "...";
    const DictView* dv = as<DictView>(v);
    std::string out = std::string(type_name(v)) + "([";
    append_table(out, dv->dict, false, int(dv->kind));
    return out + "])";
  }
  }
}
} // namespace

namespace {
thread_local MemberKind kind_scratch;
}

std::string repr_of(Val v) {
  switch (v.tag) {
  case Tag::Str: return str_repr(as<Str>(v)->data, as<Str>(v)->len);
  case Tag::Tuple: return tuple_repr(as<Tuple>(v));
  case Tag::List:
  case Tag::Dict:
  case Tag::Set:
  case Tag::FrozenSet:
  case Tag::View: return container_repr(v);
  case Tag::Exc: {
    const Exc* e = as<Exc>(v);
    const Tuple* t = as<Tuple>(e->args);
    std::string inner = t->n == 1 ? repr_of(t->items[0]) : tuple_repr(t);
    if (t->n != 1)
      inner = inner.substr(1, inner.size() - 2 - (t->n == 1));
    if (e->inst && class_member(e->inst->cls, "__repr__", &kind_scratch))
      return instance_text(v, true);
    return std::string(type_name(v)) + "(" + inner + ")";
  }
  case Tag::Instance: return instance_text(v, true);
  default: return str_of(v);
  }
}

std::string str_of(Val v) {
  switch (v.tag) {
  case Tag::None: return "None";
  case Tag::Bool: return v.bits ? "True" : "False";
  case Tag::Int:
  case Tag::Big: return int_to_string(v);
  case Tag::Float: return float_repr(unbox_float(v));
  case Tag::Str: return std::string(as<Str>(v)->data, size_t(as<Str>(v)->len));
  case Tag::Tuple: return repr_of(v);
  case Tag::Exc:
    if (as<Exc>(v)->inst && class_member(as<Exc>(v)->inst->cls, "__str__", &kind_scratch))
      return instance_text(v, false);
    return exc_message(as<Exc>(v));
  case Tag::Instance: return instance_text(v, false);
  case Tag::Class: return std::string("<class '__main__.") + as<ClassObj>(v)->name + "'>";
  case Tag::Method: return "<bound method>";
  case Tag::Func: return "<function>";
  case Tag::Module: return "<module>";
  case Tag::Builtin: return "<built-in function>";
  case Tag::ExcType: return std::string("<class '") + exc_name(ExcKind(v.bits)) + "'>";
  case Tag::List:
  case Tag::Dict:
  case Tag::Set:
  case Tag::FrozenSet:
  case Tag::View: return container_repr(v);
  case Tag::Range: {
    const RangeObj* r = as<RangeObj>(v);
    std::string out = "range(" + std::to_string(r->start) + ", " + std::to_string(r->stop);
    return out + (r->step == 1 ? ")" : ", " + std::to_string(r->step) + ")");
  }
  case Tag::Iter: {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v.bits));
    return std::string("<") + as<Iter>(v)->type_name + " object at " + buf + ">";
  }
  default: break;
  }
  return "<object>";
}

} // namespace shoal::rt
