/// The methods of list, tuple, dict, set and frozenset, with CPython's argument checking.

#include "runtime/methods.hpp"

#include "runtime/containers_detail.hpp"

#include <cstring>

namespace shoal::rt {

using namespace detail;

namespace {
std::string qualified(Val self, const char* name) { return std::string(type_name(self)) + "." + name + "()"; }

bool no_keywords(Ctx* c, Val self, const char* name, const Args& a) {
  if (a.nkw == 0)
    return true;
  raise(c, ExcKind::TypeError, qualified(self, name) + " takes no keyword arguments");
  return false;
}

/// METH_O: exactly one positional argument.
bool one_arg(Ctx* c, Val self, const char* name, const Args& a) {
  if (!no_keywords(c, self, name, a))
    return false;
  if (a.n == 1)
    return true;
  raise(c, ExcKind::TypeError,
        qualified(self, name) + " takes exactly one argument (" + std::to_string(a.n) + " given)");
  return false;
}

/// METH_NOARGS.
bool no_args(Ctx* c, Val self, const char* name, const Args& a) {
  if (!no_keywords(c, self, name, a))
    return false;
  if (a.n == 0)
    return true;
  raise(c, ExcKind::TypeError, qualified(self, name) + " takes no arguments (" + std::to_string(a.n) + " given)");
  return false;
}

/// Argument Clinic's positional-only parsing: min..max positional arguments.
bool positional(Ctx* c, Val self, const char* name, const Args& a, int64_t min, int64_t max) {
  if (!no_keywords(c, self, name, a))
    return false;
  if (a.n >= min && a.n <= max)
    return true;
  auto count = [](int64_t k) { return std::to_string(k) + (k == 1 ? " argument" : " arguments"); };
  std::string msg = std::string(name) + " expected " +
                    (min == max ? count(min) : a.n < min ? "at least " + count(min) : "at most " + count(max)) +
                    ", got " + std::to_string(a.n);
  raise(c, ExcKind::TypeError, msg);
  return false;
}

/// A start/stop argument of index(): an int clamped to int64 (slice index semantics).
bool slice_index(Ctx* c, Val v, int64_t* out) {
  if (v.tag == Tag::Int || v.tag == Tag::Bool)
    *out = int64_t(v.bits);
  else if (v.tag == Tag::Big)
    *out = mpz_sgn(as<BigInt>(v)->z) < 0 ? INT64_MIN : INT64_MAX;
  else {
    raise(c, ExcKind::TypeError, "slice indices must be integers or have an __index__ method");
    return false;
  }
  return true;
}

bool index_range(Ctx* c, const Args& a, int64_t* start, int64_t* stop) {
  *start = 0;
  *stop = INT64_MAX;
  return (a.n < 2 || slice_index(c, a.v[1], start)) && (a.n < 3 || slice_index(c, a.v[2], stop));
}

Val int_or_none(Ctx* c, int64_t k) { return c->exc ? none() : box_int(k); }
Val bool_or_none(int r) { return r < 0 ? none() : box_bool(r); }

struct Method {
  const char* name;
  MethodFn fn;
};

template <size_t N> MethodFn find(const Method (&table)[N], const char* name) {
  for (const Method& m : table)
    if (std::strcmp(m.name, name) == 0)
      return m.fn;
  return nullptr;
}

// ---- list -----------------------------------------------------------------------------------------

List* L(Val self) { return as<List>(self); }

const Method list_methods[] = {
    {"append",
     [](Ctx* c, Val self, const Args& a) {
       if (one_arg(c, self, "append", a))
         list_append(c, L(self), a.v[0]);
       return none();
     }},
    {"extend",
     [](Ctx* c, Val self, const Args& a) {
       if (one_arg(c, self, "extend", a))
         list_extend(c, L(self), a.v[0]);
       return none();
     }},
    {"pop",
     [](Ctx* c, Val self, const Args& a) {
       if (!positional(c, self, "pop", a, 0, 1))
         return none();
       int64_t i = a.n ? dyn_as_index(c, a.v[0]) : -1;
       return c->exc ? none() : list_pop(c, L(self), i);
     }},
    {"insert",
     [](Ctx* c, Val self, const Args& a) {
       if (positional(c, self, "insert", a, 2, 2)) {
         int64_t i = dyn_as_index(c, a.v[0]);
         if (!c->exc)
           list_insert(c, L(self), i, a.v[1]);
       }
       return none();
     }},
    {"remove",
     [](Ctx* c, Val self, const Args& a) {
       if (one_arg(c, self, "remove", a))
         list_remove(c, L(self), a.v[0]);
       return none();
     }},
    {"index",
     [](Ctx* c, Val self, const Args& a) {
       int64_t start, stop;
       if (!positional(c, self, "index", a, 1, 3) || !index_range(c, a, &start, &stop))
         return none();
       return int_or_none(c, list_index(c, L(self), a.v[0], start, stop));
     }},
    {"count",
     [](Ctx* c, Val self, const Args& a) {
       return one_arg(c, self, "count", a) ? int_or_none(c, list_count(c, L(self), a.v[0])) : none();
     }},
    {"reverse",
     [](Ctx* c, Val self, const Args& a) {
       if (no_args(c, self, "reverse", a))
         list_reverse(c, L(self));
       return none();
     }},
    {"clear",
     [](Ctx* c, Val self, const Args& a) {
       if (no_args(c, self, "clear", a))
         list_clear(c, L(self));
       return none();
     }},
    {"copy",
     [](Ctx* c, Val self, const Args& a) {
       return no_args(c, self, "copy", a) ? box_ptr(Tag::List, list_copy(L(self))) : none();
     }},
    {"sort",
     [](Ctx* c, Val self, const Args& a) {
       if (a.n) {
         raise(c, ExcKind::TypeError, "sort() takes no positional arguments");
         return none();
       }
       if (a.nkw > 2) {
         raise(c, ExcKind::TypeError, "sort() takes at most 2 keyword arguments (" + std::to_string(a.nkw) + " given)");
         return none();
       }
       Val key = none();
       bool reverse = false;
       for (int64_t i = 0; i < a.nkw; ++i) {
         Val v = a.v[a.n + i];
         if (std::strcmp(a.kw[i], "key") == 0) {
           key = v;
         } else if (std::strcmp(a.kw[i], "reverse") == 0) {
           if (v.tag == Tag::Big) {
             raise(c, ExcKind::OverflowError, "Python int too large to convert to C int");
             return none();
           }
           reverse = dyn_as_index(c, v) != 0;
           if (c->exc)
             return none();
         } else {
           raise(c, ExcKind::TypeError, std::string("'") + a.kw[i] + "' is an invalid keyword argument for sort()");
           return none();
         }
       }
       list_sort(c, L(self), key, reverse);
       return none();
     }},
};

// ---- tuple ----------------------------------------------------------------------------------------

const Method tuple_methods[] = {
    {"index",
     [](Ctx* c, Val self, const Args& a) {
       int64_t start, stop;
       if (!positional(c, self, "index", a, 1, 3) || !index_range(c, a, &start, &stop))
         return none();
       const Tuple* t = as<Tuple>(self);
       if (start < 0 && (start += t->n) < 0)
         start = 0;
       if (stop < 0 && (stop += t->n) < 0)
         stop = 0;
       for (int64_t i = start; i < stop && i < t->n; ++i)
         if (int r = eq_item(c, t->items[i], a.v[0]))
           return r < 0 ? none() : box_int(i);
       raise(c, ExcKind::ValueError, "tuple.index(x): x not in tuple");
       return none();
     }},
    {"count",
     [](Ctx* c, Val self, const Args& a) {
       if (!one_arg(c, self, "count", a))
         return none();
       const Tuple* t = as<Tuple>(self);
       int64_t k = 0;
       for (int64_t i = 0; i < t->n; ++i) {
         int r = eq_item(c, t->items[i], a.v[0]);
         if (r < 0)
           return none();
         k += r;
       }
       return box_int(k);
     }},
};

// ---- dict -----------------------------------------------------------------------------------------

Table* D(Val self) { return as<Table>(self); }

Val dict_view_method(Ctx* c, Val self, const Args& a, const char* name, ViewKind kind) {
  return no_args(c, self, name, a) ? dict_view(D(self), kind) : none();
}

const Method dict_methods[] = {
    {"get",
     [](Ctx* c, Val self, const Args& a) {
       if (!positional(c, self, "get", a, 1, 2))
         return none();
       Val out;
       int r = dict_get(c, D(self), a.v[0], &out);
       return r > 0 ? out : r == 0 && a.n == 2 ? a.v[1] : none();
     }},
    {"keys", [](Ctx* c, Val self, const Args& a) { return dict_view_method(c, self, a, "keys", ViewKind::Keys); }},
    {"values",
     [](Ctx* c, Val self, const Args& a) { return dict_view_method(c, self, a, "values", ViewKind::Values); }},
    {"items", [](Ctx* c, Val self, const Args& a) { return dict_view_method(c, self, a, "items", ViewKind::Items); }},
    {"pop",
     [](Ctx* c, Val self, const Args& a) {
       if (!positional(c, self, "pop", a, 1, 2))
         return none();
       Val out;
       int r = dict_del(c, D(self), a.v[0], &out);
       if (r > 0)
         return out;
       if (r == 0 && a.n == 2)
         return a.v[1];
       if (r == 0)
         raise_key_error(c, a.v[0]);
       return none();
     }},
    {"popitem",
     [](Ctx* c, Val self, const Args& a) { return no_args(c, self, "popitem", a) ? dict_popitem(c, D(self)) : none(); }},
    {"setdefault",
     [](Ctx* c, Val self, const Args& a) {
       if (!positional(c, self, "setdefault", a, 1, 2))
         return none();
       return dict_setdefault(c, D(self), a.v[0], a.n == 2 ? a.v[1] : none());
     }},
    {"update",
     [](Ctx* c, Val self, const Args& a) {
       if (a.n > 1) {
         raise(c, ExcKind::TypeError, "update expected at most 1 argument, got " + std::to_string(a.n));
         return none();
       }
       if (a.n == 1 && !dict_update(c, D(self), a.v[0]))
         return none();
       for (int64_t i = 0; i < a.nkw; ++i)
         if (!dict_set(c, D(self), str_val(a.kw[i]), a.v[a.n + i]))
           return none();
       return none();
     }},
    {"clear",
     [](Ctx* c, Val self, const Args& a) {
       if (no_args(c, self, "clear", a))
         dict_clear(c, D(self));
       return none();
     }},
    {"copy",
     [](Ctx* c, Val self, const Args& a) {
       return no_args(c, self, "copy", a) ? box_ptr(Tag::Dict, dict_copy(D(self))) : none();
     }},
};

// ---- set and frozenset ------------------------------------------------------------------------------

Table* S(Val self) { return as<Table>(self); }

/// The mutators exist on set only: AttributeError on a frozenset, as CPython.
bool mutable_set(Ctx* c, Val self, const char* name) {
  if (self.tag == Tag::Set)
    return true;
  raise(c, ExcKind::AttributeError, std::string("'") + type_name(self) + "' object has no attribute '" + name + "'");
  return false;
}

const Method set_methods[] = {
    {"add",
     [](Ctx* c, Val self, const Args& a) {
       if (mutable_set(c, self, "add") && one_arg(c, self, "add", a))
         set_add(c, S(self), a.v[0]);
       return none();
     }},
    {"discard",
     [](Ctx* c, Val self, const Args& a) {
       if (mutable_set(c, self, "discard") && one_arg(c, self, "discard", a))
         set_discard(c, S(self), a.v[0]);
       return none();
     }},
    {"remove",
     [](Ctx* c, Val self, const Args& a) {
       if (mutable_set(c, self, "remove") && one_arg(c, self, "remove", a))
         set_remove(c, S(self), a.v[0]);
       return none();
     }},
    {"pop",
     [](Ctx* c, Val self, const Args& a) {
       return mutable_set(c, self, "pop") && no_args(c, self, "pop", a) ? set_pop(c, S(self)) : none();
     }},
    {"clear",
     [](Ctx* c, Val self, const Args& a) {
       if (mutable_set(c, self, "clear") && no_args(c, self, "clear", a))
         set_clear(c, S(self));
       return none();
     }},
    {"copy",
     [](Ctx* c, Val self, const Args& a) {
       if (!no_args(c, self, "copy", a))
         return none();
       return self.tag == Tag::FrozenSet ? self : box_ptr(Tag::Set, set_copy(S(self)));
     }},
    {"update",
     [](Ctx* c, Val self, const Args& a) {
       if (mutable_set(c, self, "update") && no_keywords(c, self, "update", a))
         for (int64_t i = 0; i < a.n; ++i)
           if (!set_update(c, S(self), a.v[i]))
             break;
       return none();
     }},
    {"union",
     [](Ctx* c, Val self, const Args& a) {
       return no_keywords(c, self, "union", a) ? set_union(c, self, a.n, a.v) : none();
     }},
    {"intersection",
     [](Ctx* c, Val self, const Args& a) {
       return no_keywords(c, self, "intersection", a) ? set_intersection(c, self, a.n, a.v) : none();
     }},
    {"difference",
     [](Ctx* c, Val self, const Args& a) {
       return no_keywords(c, self, "difference", a) ? set_difference(c, self, a.n, a.v) : none();
     }},
    {"symmetric_difference",
     [](Ctx* c, Val self, const Args& a) {
       return one_arg(c, self, "symmetric_difference", a) ? set_symmetric_difference(c, self, a.v[0]) : none();
     }},
    {"intersection_update",
     [](Ctx* c, Val self, const Args& a) {
       if (mutable_set(c, self, "intersection_update") && no_keywords(c, self, "intersection_update", a))
         set_intersection_update(c, S(self), a.n, a.v);
       return none();
     }},
    {"difference_update",
     [](Ctx* c, Val self, const Args& a) {
       if (mutable_set(c, self, "difference_update") && no_keywords(c, self, "difference_update", a))
         set_difference_update(c, S(self), a.n, a.v);
       return none();
     }},
    {"symmetric_difference_update",
     [](Ctx* c, Val self, const Args& a) {
       if (mutable_set(c, self, "symmetric_difference_update") &&
           one_arg(c, self, "symmetric_difference_update", a))
         set_symmetric_difference_update(c, S(self), a.v[0]);
       return none();
     }},
    {"issubset",
     [](Ctx* c, Val self, const Args& a) {
       return one_arg(c, self, "issubset", a) ? bool_or_none(set_issubset(c, self, a.v[0])) : none();
     }},
    {"issuperset",
     [](Ctx* c, Val self, const Args& a) {
       return one_arg(c, self, "issuperset", a) ? bool_or_none(set_issuperset(c, self, a.v[0])) : none();
     }},
    {"isdisjoint",
     [](Ctx* c, Val self, const Args& a) {
       return one_arg(c, self, "isdisjoint", a) ? bool_or_none(set_isdisjoint(c, self, a.v[0])) : none();
     }},
};
} // namespace

MethodFn list_method(const char* name) { return find(list_methods, name); }
MethodFn tuple_method(const char* name) { return find(tuple_methods, name); }
MethodFn dict_method(const char* name) { return find(dict_methods, name); }
MethodFn set_method(const char* name) { return find(set_methods, name); }

} // namespace shoal::rt
