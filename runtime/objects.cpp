#include "runtime/objects.hpp"

#include "runtime/containers.hpp"
#include "runtime/format.hpp"
#include "runtime/methods.hpp"

#include <cstdio>
#include <cstddef>
#include <cstring>

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
      raise(c, ExcKind::AttributeError, std::string("can't set attribute '") + name + "'");
      return;
    }
    Val args[2] = {obj, v};
    call_value(c, *setter, 2, args);
    return;
  }
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
    if (f.bits) {
      extern Val shoal_builtin_call(Ctx*, const char*, int64_t, const Val*);
      return shoal_builtin_call(c, reinterpret_cast<const char*>(f.bits), n, args);
    }
    break;
  case Tag::ExcType: {
    Exc* e = exc_new(ExcKind(f.bits), tuple_new(n, args));
    return box_ptr(Tag::Exc, e);
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
  void* handle;
  Val value;
  int64_t done;
  int64_t running;
};
static_assert(offsetof(GenIter, handle) == 8 && offsetof(GenIter, value) == 16 && offsetof(GenIter, done) == 32);

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

Iter* gen_new() {
  auto* g = static_cast<GenIter*>(gc_alloc(sizeof(GenIter)));
  g->next = gen_next;
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
