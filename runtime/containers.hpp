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

/// An insertion-ordered hash table: dict, set and frozenset share it (as CPython's dict does for
/// its order; sets keep CPython's set iteration order, see set_* below).
struct Table {
  int64_t n;        ///< live entries
  int64_t used;     ///< entries[0..used) including deleted ones
  int64_t cap;      ///< capacity of entries
  Entry* entries;
  int64_t* index;   ///< open-addressing index into entries (-1 empty, -2 deleted), size mask+1
  int64_t mask;
  const char* frozen;
};

// ---- hashing and equality -------------------------------------------------------------------
/// hash(v) exactly as CPython for None, bool, int (incl. big), float, tuple and frozenset; a
/// stable (not CPython's randomised) hash for str. Unhashable values (list, dict, set) raise
/// TypeError "unhashable type: 'list'" and return false.
bool hash_of(Ctx* c, Val v, int64_t* out);
/// v == w with Python semantics across all value kinds (1 == 1.0 == True, containers
/// element-wise); -1 if a comparison raised.
int eq(Ctx* c, Val v, Val w);

// ---- list -----------------------------------------------------------------------------------
List* list_new(int64_t n);                          ///< n items, all None
List* list_from(int64_t n, const Val* items);       ///< a copy of items
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
/// l[start:stop:step] with Python's slice normalisation (None parts passed as has_* = false).
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
int set_contains(Ctx* c, const Table* s, Val key); ///< 1, 0, -1 raised
bool set_add(Ctx* c, Table* s, Val key);
int set_discard(Ctx* c, Table* s, Val key);        ///< 1 removed, 0 absent, -1 raised
void set_remove(Ctx* c, Table* s, Val key);        ///< KeyError(key) when absent
Val set_pop(Ctx* c, Table* s);                     ///< KeyError "pop from an empty set"
Table* set_copy(const Table* s);
bool set_update(Ctx* c, Table* s, Val iterable);
/// The set operators on set/frozenset operands (result has the left operand's kind):
/// | & - ^ and the comparisons <= < >= > == (subset/superset).
Val set_binop(Ctx* c, BinOp op, Val a, Val b);
int set_compare(Ctx* c, CmpOp op, Val a, Val b);

// ---- iteration over any iterable ------------------------------------------------------------
/// An iterator over any iterable value: list, tuple, str (by code point), dict (keys), set,
/// frozenset, dict views, range, zip/map/enumerate/... objects and user iterators.
/// next() returns false at the end (or on error: check c->exc).
struct Iter;
Iter* iter_of(Ctx* c, Val iterable);               ///< TypeError "'int' object is not iterable"
bool iter_next(Ctx* c, Iter* it, Val* out);

/// Calls a callable value (a compiled function's closure object, a builtin, a class) with
/// positional arguments; the result, or none() with c->exc set.
Val call_value(Ctx* c, Val f, int64_t n, const Val* args);

/// Marks a container (and the containers it holds) frozen at the given place.
void freeze(Val v, const char* where);

} // namespace shoal::rt
