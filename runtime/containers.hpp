#pragma once
/// Mutable containers (list, dict, set) and frozenset: the objects compiled code mutates in place
/// with Python's aliasing semantics. Every operation raises CPython's exception type and message
/// on the Ctx; callers check c->exc. A container shared with a parallel piece or another node is
/// frozen: mutating it raises shoal.ImmutabilityError naming where it was frozen.
///
/// Layout: compiled code reads List::n and List::items directly (offsets 0 and 16) for indexing
/// and iteration; everything else goes through these functions.

#include "runtime/dyn.hpp"
#include "runtime/object.hpp"

namespace shoal::rt {

/// A Python list: items[0..n) in a collected array of capacity cap.
struct List {
  int64_t n;
  int64_t cap;
  Val* items;
  const char* frozen; ///< null while mutable; else where it was frozen ("file.py:12")
};

/// One slot of a dict's or set's ordered entry array; key.tag == Tag::Dummy marks a deleted one.
struct Entry {
  int64_t hash;
  Val key;
  Val value; ///< unused by sets
};

/// A hash table for dict, set and frozenset.
/// dict (as CPython's dict): entries[0..used) in insertion order (deleted ones have key.tag ==
/// Tag::Dummy), index is an open-addressing table of mask+1 slots holding positions in entries
/// (-1 empty, -2 deleted).
/// set/frozenset (as CPython's setobject.c, so that they iterate in CPython's order): entries is
/// itself the open-addressing table of mask+1 slots and index is null; a slot whose key.tag is
/// Tag::Dummy is empty (bits 0, hash 0) or deleted (bits 1, hash -1); used counts live and deleted
/// slots (CPython's fill); cap == mask+1.
struct Table {
  int64_t n;        ///< live entries
  int64_t used;     ///< dict: entries[0..used) including deleted ones; set: live + deleted slots
  int64_t cap;      ///< capacity of entries
  Entry* entries;
  int64_t* index;   ///< dict only (see above)
  int64_t mask;
  const char* frozen;
  int64_t finger;   ///< set.pop()'s search start, as CPython
};

// ---- hashing and equality -------------------------------------------------------------------
/// hash(v) exactly as CPython for None, bool, int (incl. big), float, tuple and frozenset; a
/// stable (not CPython's randomised) hash for str. Unhashable values (list, dict, set) raise
/// TypeError "unhashable type: 'list'" and return false.
bool hash_of(Ctx* c, Val v, int64_t* out);
/// The hash of UTF-8 text as hash() gives for a str of it (cached in Str::hash).
int64_t str_hash_of(const char* data, int64_t len);
/// v == w with Python semantics across all value kinds (1 == 1.0 == True, containers
/// element-wise); -1 if a comparison raised.
int eq(Ctx* c, Val v, Val w);
/// Raises shoal.ImmutabilityError "cannot mutate this <what>: it was frozen when shared at <where>"
/// and returns false when frozen is set.
bool check_mutable(Ctx* c, const char* frozen, const char* what);

/// CPython's slice normalisation for a sequence of `length` items: start/stop/step are None or
/// ints (big ints clamp); ValueError "slice step cannot be zero", TypeError for other types.
/// Returns the slice length (*start, *stop, *step set), or -1 with c->exc set.
int64_t slice_indices(Ctx* c, int64_t length, Val start, Val stop, Val step, int64_t* ostart, int64_t* ostop,
                      int64_t* ostep);
/// t[start:stop:step] for a tuple.
Val tuple_slice(Ctx* c, const Tuple* t, Val start, Val stop, Val step);

// ---- list -----------------------------------------------------------------------------------
List* list_new(int64_t n);                          ///< n items, all None
List* list_from(int64_t n, const Val* items);       ///< a copy of items
List* list_copy(const List* l);
void list_append(Ctx* c, List* l, Val v);
/// list(iterable) / l.extend(iterable) for any iterable value (list, tuple, str, dict keys, set,
/// range object, iterator); false on error.
bool list_extend(Ctx* c, List* l, Val iterable);
Val list_pop(Ctx* c, List* l, int64_t i);           ///< IndexError "pop from empty list" / "pop index out of range"
void list_insert(Ctx* c, List* l, int64_t i, Val v);
void list_remove(Ctx* c, List* l, Val v);           ///< ValueError "list.remove(x): x not in list"
int64_t list_index(Ctx* c, List* l, Val v, int64_t start, int64_t stop); ///< ValueError "1 is not in list"
int64_t list_count(Ctx* c, List* l, Val v);
void list_reverse(Ctx* c, List* l);
void list_clear(Ctx* c, List* l);
/// l.sort(key=key, reverse=reverse), stable; key is None or a callable value (see call_value).
/// TypeError from comparisons as CPython words it ("'<' not supported between instances of ...").
void list_sort(Ctx* c, List* l, Val key, bool reverse);
/// l[start:stop:step] with Python's slice normalisation (None parts are Tag::None).
List* list_slice(Ctx* c, const List* l, Val start, Val stop, Val step);
void list_set_slice(Ctx* c, List* l, Val start, Val stop, Val step, Val iterable);
void list_del_slice(Ctx* c, List* l, Val start, Val stop, Val step);
/// l[i] = v / del l[i], negative indices included; IndexError "list assignment index out of range".
void list_setitem(Ctx* c, List* l, int64_t i, Val v);
void list_delitem(Ctx* c, List* l, int64_t i);

// ---- dict -----------------------------------------------------------------------------------
Table* dict_new(int64_t capacity_hint);
/// d[key] lookup: 1 found (*out set), 0 missing, -1 raised (unhashable key).
int dict_get(Ctx* c, const Table* d, Val key, Val* out);
/// d[key] = value; false on error.
bool dict_set(Ctx* c, Table* d, Val key, Val value);
/// d.setdefault(key, dflt): the present value, or dflt after inserting it; none() on error.
Val dict_setdefault(Ctx* c, Table* d, Val key, Val dflt);
/// del d[key] / d.pop(key): 1 removed (*out = old value when out), 0 missing, -1 raised.
int dict_del(Ctx* c, Table* d, Val key, Val* out);
Table* dict_copy(const Table* d);
bool dict_update(Ctx* c, Table* d, Val other); ///< other: dict or iterable of pairs
/// d.popitem() (LIFO); KeyError "popitem(): dictionary is empty".
Val dict_popitem(Ctx* c, Table* d);
void dict_clear(Ctx* c, Table* d);

// ---- set and frozenset ------------------------------------------------------------------------
/// Sets iterate in CPython's order for the same insertions (same table sizes and probing), so
/// printing {3, 1, 2} gives {1, 2, 3} as in CPython.
Table* set_new(int64_t capacity_hint);
/// A set display {a, b, c}. CPython adds the items in order, except that a display of more than two
/// constants compiles to a constant frozenset (rebuilt once from its own order when the code
/// object's constants are merged) copied into a new set: pass constant = true for such a display
/// and the set iterates (and prints) as CPython's does.
Table* set_display(Ctx* c, int64_t n, const Val* items, bool constant);
int set_contains(Ctx* c, const Table* s, Val key); ///< 1, 0, -1 raised
bool set_add(Ctx* c, Table* s, Val key);
int set_discard(Ctx* c, Table* s, Val key);        ///< 1 removed, 0 absent, -1 raised
void set_remove(Ctx* c, Table* s, Val key);        ///< KeyError(key) when absent
Val set_pop(Ctx* c, Table* s);                     ///< KeyError "pop from an empty set"
Table* set_copy(const Table* s);
void set_clear(Ctx* c, Table* s);
bool set_update(Ctx* c, Table* s, Val iterable);
/// The set operators on set/frozenset operands (result has the left operand's kind):
/// | & - ^ and the comparisons <= < >= > == (subset/superset).
Val set_binop(Ctx* c, BinOp op, Val a, Val b);
int set_compare(Ctx* c, CmpOp op, Val a, Val b);

/// a | b, a & b, a - b, a ^ b in place on a set (s |= t ...); other must be a set or frozenset.
bool set_inplace(Ctx* c, BinOp op, Table* s, Val other);
/// The methods with any iterables: s.union(*others), s.intersection(*others), ... (result has the
/// kind of s: Tag::Set or Tag::FrozenSet); the *_update ones mutate s and return it.
Val set_union(Ctx* c, Val s, int64_t n, const Val* others);
Val set_intersection(Ctx* c, Val s, int64_t n, const Val* others);
Val set_difference(Ctx* c, Val s, int64_t n, const Val* others);
Val set_symmetric_difference(Ctx* c, Val s, Val other);
bool set_intersection_update(Ctx* c, Table* s, int64_t n, const Val* others);
bool set_difference_update(Ctx* c, Table* s, int64_t n, const Val* others);
bool set_symmetric_difference_update(Ctx* c, Table* s, Val other);
/// s.issubset(other) / s.issuperset(other) / s.isdisjoint(other) for any iterable other: 1, 0, -1.
int set_issubset(Ctx* c, Val s, Val other);
int set_issuperset(Ctx* c, Val s, Val other);
int set_isdisjoint(Ctx* c, Val s, Val other);
/// hash(frozenset) as CPython.
int64_t frozenset_hash(const Table* s);

// ---- range objects and dict views ---------------------------------------------------------------
/// range(start, stop, step) as a value (Tag::Range); immutable.
struct RangeObj {
  int64_t start;
  int64_t stop;
  int64_t step;
};
/// ValueError "range() arg 3 must not be zero".
Val range_new(Ctx* c, int64_t start, int64_t stop, int64_t step);
/// len(range) without overflow checks (use dyn_len for Python's OverflowError).
uint64_t range_len(const RangeObj* r);

enum class ViewKind : int32_t { Keys, Values, Items };
/// d.keys(), d.values(), d.items() (Tag::View): live views of the dict.
struct DictView {
  ViewKind kind;
  Table* dict;
};
Val dict_view(Table* d, ViewKind kind);

// ---- iteration over any iterable ------------------------------------------------------------
/// An iterator over any iterable value: list, tuple, str (by code point), dict (keys), set,
/// frozenset, dict views, range, zip/map/enumerate/... objects and user iterators. Every kind of
/// iterator begins with this header: other code adds kinds (generators, user __iter__) by
/// allocating a struct that starts with an Iter whose next it sets.
/// next() stores the next item and returns true; false at the end or on error (check c->exc).
struct Iter {
  bool (*next)(Ctx* c, Iter* it, Val* out);
  const char* type_name; ///< Python's name of the iterator's type ('list_iterator', 'generator')
};
/// iter(v); an Iter value is its own iterator. TypeError "'int' object is not iterable".
Iter* iter_of(Ctx* c, Val iterable);
inline bool iter_next(Ctx* c, Iter* it, Val* out) { return it->next(c, it, out); }
/// enumerate(iterable, start): start is an int (big ints included).
Iter* iter_enumerate(Ctx* c, Val iterable, Val start);
/// zip(*iterables): stops at the shortest.
Iter* iter_zip(Ctx* c, int64_t n, const Val* iterables);
/// map(f, *iterables): stops at the shortest; TypeError "map() must have at least two arguments."
/// when n == 0.
Iter* iter_map(Ctx* c, Val f, int64_t n, const Val* iterables);
/// filter(f, iterable); f None keeps the truthy items.
Iter* iter_filter(Ctx* c, Val f, Val iterable);
/// reversed(seq) for list, tuple, str, range, dict and its views; TypeError "'set' object is not
/// reversible".
Iter* iter_reversed(Ctx* c, Val seq);

// ---- item access on any value ---------------------------------------------------------------
/// obj[index] = v and del obj[index] for list (int index) and dict; TypeError "'tuple' object does
/// not support item assignment" / "'tuple' object doesn't support item deletion" otherwise.
void dyn_setitem(Ctx* c, Val obj, Val index, Val v);
void dyn_delitem(Ctx* c, Val obj, Val index);

/// A compiled function as a value (Tag::Func): entry has the signature of CallEntry; env is its
/// captured environment.
struct Closure {
  void* entry;
  void* env;
};
using CallEntry = Val (*)(Ctx* c, int64_t depth, Val* args, int64_t n, void* env);

/// Calls a callable value (a compiled function's closure object) with positional arguments at
/// depth c->depth + 1 (c->depth is raised for the call's duration); the result, or none() with
/// c->exc set. TypeError "'int' object is not callable" for values that are not callable.
Val call_value(Ctx* c, Val f, int64_t n, const Val* args);

/// Marks a container (and the containers it holds, through tuples too) frozen at the given place.
void freeze(Val v, const char* where);
/// Raises KeyError(key) (args == (key,)).
void raise_key_error(Ctx* c, Val key);

} // namespace shoal::rt
