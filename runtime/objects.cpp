#include "runtime/objects.hpp"

#include "runtime/containers.hpp"
#include "runtime/format.hpp"
#include "runtime/methods.hpp"

#include <cstdio>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <set>

namespace shoal::rt {

namespace {
Val unset() { return {Tag::Dummy, 0}; }

int slot_index(const ClassObj* cls, const char* name) {
  for (int64_t i = 0; i < cls->nslots; ++i)
    if (std::strcmp(cls->slots[i], name) == 0)
      return int(i);
  return -1;
}

void no_attribute(Ctx* c, const char* type, const char* name) {
  raise(c, ExcKind::AttributeError, std::string("'") + type + "' object has no attribute '" + name + "'");
}

bool builtin_method(Tag t, const char* name) {
  switch (t) {
  case Tag::Str: return str_method(name) != nullptr;
  case Tag::List: return list_method(name) != nullptr;
  case Tag::Tuple: return tuple_method(name) != nullptr;
  case Tag::Dict: return dict_method(name) != nullptr;
  case Tag::Set:
  case Tag::FrozenSet: return set_method(name) != nullptr;
  default: return false;
  }
}

Val bound(Val self, Val func) {
  auto* m = static_cast<BoundMethod*>(gc_alloc(sizeof(BoundMethod)));
  m->self = self;
  m->func = func;
  return box_ptr(Tag::Method, m);
}
} // namespace

Instance* instance_new(const ClassObj* cls) {
  auto* inst = static_cast<Instance*>(gc_alloc(sizeof(Instance) + sizeof(Val) * size_t(cls->nslots)));
  inst->cls = cls;
  for (int64_t i = 0; i < cls->nslots; ++i)
    inst->slots[i] = unset();
  return inst;
}

Exc* exc_instance_new(Ctx*, const ClassObj* cls, int64_t n, const Val* args) {
  Exc* e = exc_new(ExcKind(cls->exc_kind), tuple_new(n, args));
  e->inst = instance_new(cls);
  return e;
}

Instance* instance_of(Val v) {
  if (v.tag == Tag::Instance)
    return as<Instance>(v);
  if (v.tag == Tag::Exc)
    return as<Exc>(v)->inst;
  return nullptr;
}

const ClassObj* class_of(Val v) {
  Instance* i = instance_of(v);
  return i ? i->cls : nullptr;
}

bool is_subclass(const ClassObj* sub, const ClassObj* cls) {
  for (; sub; sub = sub->base)
    if (sub == cls)
      return true;
  return false;
}

const Val* class_member(const ClassObj* cls, const char* name, MemberKind* kind, const Val** setter) {
  for (; cls; cls = cls->base)
    for (int64_t i = 0; i < cls->nmembers; ++i)
      if (std::strcmp(cls->member_names[i], name) == 0) {
        *kind = MemberKind(cls->member_kinds[i]);
        if (setter)
          *setter = &cls->member_setters[i];
        return &cls->member_values[i];
      }
  return nullptr;
}

Val get_attr(Ctx* c, Val obj, const char* name) {
  if ((obj.tag == Tag::Builtin || obj.tag == Tag::ExcType || obj.tag == Tag::Class) && std::strcmp(name, "__name__") == 0)
    return box_ptr(Tag::Str, str_new(std::string(obj.tag == Tag::Builtin ? reinterpret_cast<const char*>(obj.bits)
                                                 : obj.tag == Tag::Class ? as<ClassObj>(obj)->name
                                                                         : exc_name(ExcKind(obj.bits)))));
  if (obj.tag == Tag::Class) {
    auto* cls = as<const ClassObj>(obj);
    MemberKind kind;
    const Val* m = class_member(cls, name, &kind);
    if (!m) {
      raise(c, ExcKind::AttributeError, std::string("type object '") + cls->name + "' has no attribute '" + name + "'");
      return none();
    }
    return kind == MemberKind::ClassMethod ? bound(obj, *m) : *m;
  }
  if (Instance* inst = instance_of(obj)) {
    int s = slot_index(inst->cls, name);
    if (s >= 0 && inst->slots[s].tag != Tag::Dummy)
      return inst->slots[s];
    MemberKind kind;
    if (const Val* m = class_member(inst->cls, name, &kind)) {
      switch (kind) {
      case MemberKind::Value:
      case MemberKind::Static: return *m;
      case MemberKind::Method: return bound(obj, *m);
      case MemberKind::ClassMethod: return bound(box_ptr(Tag::Class, inst->cls), *m);
      case MemberKind::Property: return call_value(c, *m, 1, &obj);
      }
    }
    if (obj.tag == Tag::Exc && std::strcmp(name, "args") == 0)
      return as<Exc>(obj)->args;
    no_attribute(c, inst->cls->name, name);
    return none();
  }
  if (obj.tag == Tag::Exc && std::strcmp(name, "args") == 0)
    return as<Exc>(obj)->args;
  if (obj.tag == Tag::Exc && as<Exc>(obj)->kind == ExcKind::StopIteration && std::strcmp(name, "value") == 0) {
    const Tuple* args = as<Tuple>(as<Exc>(obj)->args);
    return args->n ? args->items[0] : none();
  }
  if (builtin_method(obj.tag, name)) // d.get, s.lower as values: bound to the object
    return bound(obj, box_ptr(Tag::Str, str_new(name, int64_t(std::strlen(name)))));
  if (obj.tag == Tag::Builtin && obj.bits) { // str.lower, dict.fromkeys: the method of a built-in type
    std::string type = reinterpret_cast<const char*>(obj.bits);
    if (type == "dict" && std::strcmp(name, "fromkeys") == 0)
      return {Tag::Builtin, reinterpret_cast<uint64_t>(builtin_name("dict.fromkeys"))};
    Tag t = type == "str" ? Tag::Str : type == "list" ? Tag::List : type == "dict" ? Tag::Dict
          : type == "set" ? Tag::Set : type == "tuple" ? Tag::Tuple : type == "frozenset" ? Tag::FrozenSet : Tag::None;
    if (t != Tag::None && builtin_method(t, name)) {
      std::string full = type + "." + name;
      char* keep = static_cast<char*>(gc_alloc_atomic(full.size() + 1));
      std::memcpy(keep, full.c_str(), full.size() + 1);
      return {Tag::Builtin, reinterpret_cast<uint64_t>(keep)};
    }
    raise(c, ExcKind::AttributeError, "type object '" + type + "' has no attribute '" + name + "'");
    return none();
  }
  no_attribute(c, type_name(obj), name);
  return none();
}

void set_attr(Ctx* c, Val obj, const char* name, Val v) {
  Instance* inst = instance_of(obj);
  if (!inst) {
    if (obj.tag == Tag::Class) {
      raise(c, ExcKind::UnsupportedError, std::string("assigning class attributes (") + name + ") is not supported by shoal yet");
      return;
    }
    raise(c, ExcKind::AttributeError, std::string("'") + type_name(obj) + "' object has no attribute '" + name + "'");
    return;
  }
  MemberKind kind;
  const Val* setter = nullptr;
  if (const Val* m = class_member(inst->cls, name, &kind, &setter); m && kind == MemberKind::Property) {
    if (setter->tag == Tag::None) {
      raise(c, ExcKind::AttributeError, std::string("property '") + name + "' of '" + inst->cls->name +
                                            "' object has no setter");
      return;
    }
    Val args[2] = {obj, v};
    call_value(c, *setter, 2, args);
    return;
  }
  if (!check_mutable(c, inst->frozen, inst->cls->name))
    return;
  int s = slot_index(inst->cls, name);
  if (s < 0) {
    raise(c, ExcKind::UnsupportedError,
          std::string("the attribute '") + name + "' is set where shoal cannot see it (getattr/setattr by computed name)");
    return;
  }
  inst->slots[s] = v;
}

void del_attr(Ctx* c, Val obj, const char* name) {
  Instance* inst = instance_of(obj);
  if (inst && !check_mutable(c, inst->frozen, inst->cls->name))
    return;
  int s = inst ? slot_index(inst->cls, name) : -1;
  if (s < 0 || inst->slots[s].tag == Tag::Dummy) {
    no_attribute(c, inst ? inst->cls->name : type_name(obj), name);
    return;
  }
  inst->slots[s] = unset();
}

bool call_dunder(Ctx* c, Val self, const char* name, int64_t n, const Val* args, Val* out) {
  const ClassObj* cls = class_of(self);
  if (!cls)
    return false;
  MemberKind kind;
  const Val* m = class_member(cls, name, &kind);
  if (!m || kind != MemberKind::Method)
    return false;
  Val all[4] = {self};
  for (int64_t i = 0; i < n && i < 3; ++i)
    all[i + 1] = args[i];
  *out = call_value(c, *m, n + 1, all);
  return true;
}

Val call_other(Ctx* c, Val f, int64_t n, const Val* args) {
  switch (f.tag) {
  case Tag::Method: {
    auto* m = as<BoundMethod>(f);
    if (m->func.tag == Tag::Str) // a built-in method bound to its object
      return call_method(c, m->self, as<Str>(m->func)->data, Args{n, args, 0, nullptr});
    Val all[16];
    if (n + 1 > 16) {
      raise(c, ExcKind::UnsupportedError, "a bound method called with more than 15 arguments");
      return none();
    }
    all[0] = m->self;
    for (int64_t i = 0; i < n; ++i)
      all[i + 1] = args[i];
    return call_value(c, m->func, n + 1, all);
  }
  case Tag::Class: {
    auto* cls = as<const ClassObj>(f);
    Val self = cls->exc_kind >= 0 ? box_ptr(Tag::Exc, exc_instance_new(c, cls, n, args))
                                  : box_ptr(Tag::Instance, instance_new(cls));
    MemberKind kind;
    if (const Val* init = class_member(cls, "__init__", &kind); init && kind == MemberKind::Method) {
      Val all[16];
      if (n + 1 > 16) {
        raise(c, ExcKind::UnsupportedError, "a class called with more than 15 arguments");
        return none();
      }
      all[0] = self;
      for (int64_t i = 0; i < n; ++i)
        all[i + 1] = args[i];
      call_value(c, *init, n + 1, all);
      if (c->exc)
        return none();
    } else if (n && cls->exc_kind < 0) {
      raise(c, ExcKind::TypeError, std::string(cls->name) + "() takes no arguments");
      return none();
    }
    return self;
  }
  case Tag::Builtin:
    if (f.bits && std::strcmp(reinterpret_cast<const char*>(f.bits), "dict.fromkeys") == 0) {
      if (n < 1 || n > 2) {
        raise(c, ExcKind::TypeError, "fromkeys expected at least 1 argument, got " + std::to_string(n));
        return none();
      }
      Table* d = dict_new(0);
      Iter* it = iter_of(c, args[0]);
      Val k;
      while (it && iter_next(c, it, &k))
        if (!dict_set(c, d, k, n == 2 ? args[1] : none()))
          return none();
      return c->exc ? none() : box_ptr(Tag::Dict, d);
    }
    if (f.bits && std::strchr(reinterpret_cast<const char*>(f.bits), '.') &&
        std::strncmp(reinterpret_cast<const char*>(f.bits), "math.", 5) != 0) { // str.lower(s)
      const char* method = std::strchr(reinterpret_cast<const char*>(f.bits), '.') + 1;
      if (n < 1) {
        raise(c, ExcKind::TypeError, std::string("unbound method ") + reinterpret_cast<const char*>(f.bits) +
                                         "() needs an argument");
        return none();
      }
      return call_method(c, args[0], method, Args{n - 1, args + 1, 0, nullptr});
    }
    if (f.bits) {
      extern Val shoal_builtin_call(Ctx*, const char*, int64_t, const Val*);
      return shoal_builtin_call(c, reinterpret_cast<const char*>(f.bits), n, args);
    }
    break;
  case Tag::ExcType: {
    Exc* e = exc_new(ExcKind(f.bits), tuple_new(n, args));
    return box_ptr(Tag::Exc, e);
  }
  case Tag::Instance: {
    MemberKind kind;
    if (const Val* m = class_member(as<Instance>(f)->cls, "__call__", &kind); m && kind == MemberKind::Method) {
      Val all[16];
      if (n + 1 > 16) {
        raise(c, ExcKind::UnsupportedError, "__call__ with more than 15 arguments");
        return none();
      }
      all[0] = f;
      for (int64_t i = 0; i < n; ++i)
        all[i + 1] = args[i];
      return call_value(c, *m, n + 1, all);
    }
    break;
  }
  default: break;
  }
  raise(c, ExcKind::TypeError, std::string("'") + type_name(f) + "' object is not callable");
  return none();
}

namespace {
/// A generator: an Iter whose next() resumes a compiled coroutine (compiler/codegen_objects.cpp
/// reads handle, value and done at fixed offsets).
struct GenIter {
  bool (*next)(Ctx*, Iter*, Val*);
  const char* type_name;
  void* handle;
  Val value;
  int64_t done;
  int64_t running;
  Val result; ///< what the generator returned (StopIteration.value)
};
static_assert(offsetof(GenIter, handle) == 16 && offsetof(GenIter, value) == 24 && offsetof(GenIter, done) == 40 &&
              offsetof(GenIter, result) == 56);

bool gen_next(Ctx* c, Iter* it, Val* out) {
  auto* g = reinterpret_cast<GenIter*>(it);
  if (g->done)
    return false;
  if (g->running) {
    raise(c, ExcKind::ValueError, "generator already executing");
    return false;
  }
  g->running = 1;
  auto resume = *static_cast<void (**)(void*)>(g->handle); // switched-resume frames start with it
  resume(g->handle);
  g->running = 0;
  if (g->done)
    return false;
  *out = g->value;
  return true;
}
} // namespace

const char* builtin_name(const char* name) {
  static std::mutex mu;
  static std::set<std::string> names;
  std::lock_guard<std::mutex> lock(mu);
  return names.insert(name).first->c_str();
}

Val type_of(Val v) {
  if (const ClassObj* cls = class_of(v))
    return box_ptr(Tag::Class, cls);
  const char* n = v.tag == Tag::Exc ? exc_name(as<Exc>(v)->kind) : type_name(v);
  if (v.tag == Tag::Exc)
    return {Tag::ExcType, uint64_t(as<Exc>(v)->kind)};
  return {Tag::Builtin, reinterpret_cast<uint64_t>(builtin_name(n))};
}

bool gen_result(Iter* it, Val* out) {
  if (it->next != gen_next)
    return false;
  *out = reinterpret_cast<GenIter*>(it)->result;
  return true;
}

Iter* gen_new() {
  auto* g = static_cast<GenIter*>(gc_alloc(sizeof(GenIter)));
  g->next = gen_next;
  g->type_name = "generator";
  return reinterpret_cast<Iter*>(g);
}


std::string instance_repr(Ctx* c, Val v) {
  Val r;
  if (call_dunder(c, v, "__repr__", 0, nullptr, &r)) {
    if (c->exc)
      return "";
    if (r.tag != Tag::Str) {
      raise(c, ExcKind::TypeError, std::string("__repr__ returned non-string (type ") + type_name(r) + ")");
      return "";
    }
    return std::string(as<Str>(r)->data, size_t(as<Str>(r)->len));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, " object at %p>", reinterpret_cast<void*>(v.bits));
  return std::string("<__main__.") + class_of(v)->name + buf;
}

std::string instance_str(Ctx* c, Val v) {
  Val r;
  if (call_dunder(c, v, "__str__", 0, nullptr, &r)) {
    if (c->exc)
      return "";
    if (r.tag != Tag::Str) {
      raise(c, ExcKind::TypeError, std::string("__str__ returned non-string (type ") + type_name(r) + ")");
      return "";
    }
    return std::string(as<Str>(r)->data, size_t(as<Str>(r)->len));
  }
  return instance_repr(c, v);
}

} // namespace shoal::rt

namespace shoal::rt {

namespace {
const char* const binop_dunders[][3] = {
    {"__add__", "__radd__", "__iadd__"},          {"__sub__", "__rsub__", "__isub__"},
    {"__mul__", "__rmul__", "__imul__"},          {"__truediv__", "__rtruediv__", "__itruediv__"},
    {"__floordiv__", "__rfloordiv__", "__ifloordiv__"}, {"__mod__", "__rmod__", "__imod__"},
    {"__pow__", "__rpow__", "__ipow__"},          {"__lshift__", "__rlshift__", "__ilshift__"},
    {"__rshift__", "__rrshift__", "__irshift__"}, {"__and__", "__rand__", "__iand__"},
    {"__or__", "__ror__", "__ior__"},             {"__xor__", "__rxor__", "__ixor__"}};
const char* const cmp_dunders[][2] = {{"__eq__", "__eq__"}, {"__ne__", "__ne__"}, {"__lt__", "__gt__"},
                                      {"__le__", "__ge__"}, {"__gt__", "__lt__"}, {"__ge__", "__le__"}};

/// Iterates a user iterator through its __next__ until it raises StopIteration.
struct UserIter {
  bool (*next)(Ctx*, Iter*, Val*);
  const char* type_name;
  Val obj;
};

bool user_next(Ctx* c, Iter* it, Val* out) {
  auto* u = reinterpret_cast<UserIter*>(it);
  if (!call_dunder(c, u->obj, "__next__", 0, nullptr, out)) {
    raise(c, ExcKind::TypeError, std::string("'") + type_name(u->obj) + "' object is not an iterator");
    return false;
  }
  if (c->exc && c->exc->kind == ExcKind::StopIteration) {
    c->exc = nullptr;
    return false;
  }
  return !c->exc;
}
} // namespace

bool instance_binop(Ctx* c, BinOp op, Val a, Val b, bool inplace, Val* out) {
  const char* const* names = binop_dunders[int(op)];
  if (inplace && call_dunder(c, a, names[2], 1, &b, out))
    return true;
  if (call_dunder(c, a, names[0], 1, &b, out))
    return true;
  return call_dunder(c, b, names[1], 1, &a, out);
}

int instance_compare(Ctx* c, CmpOp op, Val a, Val b) {
  Val r;
  const char* const* names = cmp_dunders[int(op)];
  if (call_dunder(c, a, names[0], 1, &b, &r) || call_dunder(c, b, names[1], 1, &a, &r))
    return c->exc ? -1 : dyn_truthy(r);
  if (op == CmpOp::Ne && (call_dunder(c, a, "__eq__", 1, &b, &r) || call_dunder(c, b, "__eq__", 1, &a, &r)))
    return c->exc ? -1 : !dyn_truthy(r);
  if (op == CmpOp::Eq || op == CmpOp::Ne)
    return (a.bits == b.bits && a.tag == b.tag) == (op == CmpOp::Eq);
  return -2; // not handled: the caller raises TypeError
}

Iter* instance_iter(Ctx* c, Val v) {
  Val it;
  if (!call_dunder(c, v, "__iter__", 0, nullptr, &it)) {
    MemberKind kind;
    if (class_member(class_of(v), "__getitem__", &kind))
      raise(c, ExcKind::UnsupportedError, "iterating through __getitem__ (define __iter__)");
    else
      raise(c, ExcKind::TypeError, std::string("'") + type_name(v) + "' object is not iterable");
    return nullptr;
  }
  if (c->exc)
    return nullptr;
  if (!instance_of(it))
    return iter_of(c, it);
  auto* u = static_cast<UserIter*>(gc_alloc(sizeof(UserIter)));
  u->next = user_next;
  u->type_name = class_of(it)->name;
  u->obj = it;
  return reinterpret_cast<Iter*>(u);
}

Ctx* current_ctx();

std::string instance_text(Val v, bool repr) {
  Ctx* c = current_ctx();
  Ctx scratch{};
  if (!c)
    c = &scratch;
  return repr ? instance_repr(c, v) : instance_str(c, v);
}

} // namespace shoal::rt
