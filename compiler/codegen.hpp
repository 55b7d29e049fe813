#pragma once
/// Lowers the typed IR (Specs) to LLVM IR. Files: codegen.cpp (functions, wrappers, variables,
/// exception flow), codegen_stmt.cpp (statements, loops, try/finally), codegen_expr.cpp
/// (expressions, calls, boxing), codegen_ops.cpp (operators), codegen_builtins.cpp (built-in and
/// math calls), codegen_iter.cpp (iteration, generator expressions, reductions).
///
/// Conventions of compiled code: every function takes the call context first, its call depth
/// second and its closure environment last; a raised exception is a non-null ctx->exc checked after each operation that
/// may raise; ints are unboxed int64 with overflow checks that abort to the arbitrary-precision
/// re-run (deopt); Dyn values are two-word rt::Val.

#include "compiler/infer.hpp"
#include "runtime/numeric.hpp"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <functional>
#include <optional>
#include <map>
#include <set>

namespace shoal::compiler {

/// A compiled value with its static type.
struct V {
  llvm::Value* v = nullptr;
  const Type* t = nullptr;
};

class Codegen {
public:
  Codegen(llvm::LLVMContext& ctx, llvm::Module& mod, Infer& infer, Types& types);
  /// Emits every specialisation and a wrapper `void name(ctx*, const Val* args, Val* out)`.
  void emit_all(Spec* entry, const std::string& wrapper_name);
  /// An exported array of the classes' rt::ClassObj, by wire index.
  void class_table(const std::vector<ClassInfo*>& classes, const std::string& name);

private:
  // ---- state of the function being emitted
  struct Var {
    llvm::Value* slot = nullptr;    ///< alloca of the value, or alloca holding the cell pointer
    llvm::Value* defined = nullptr; ///< alloca i1 (plain locals)
    bool cell = false;              ///< captured: lives in a heap cell {i1 defined, value}
    const Type* type = nullptr;
  };
  struct Loop {
    llvm::BasicBlock* brk;
    llvm::BasicBlock* cont;
    size_t finally_depth;
  };
  enum class Exit { Return, Break, Continue };
  struct Finally {
    llvm::BasicBlock* entry;
    llvm::Value* state;     ///< alloca i32: 0 normal, 1 exception, 2+ exits below
    llvm::Value* saved_exc; ///< alloca ptr
    size_t loop_depth;
    std::vector<std::pair<Exit, size_t>> exits; ///< state 2+i continues with exits[i] (loop index)
  };
  struct Fn {
    Spec* spec = nullptr;
    llvm::Function* f = nullptr;
    llvm::Value* ctx = nullptr;
    llvm::Value* env = nullptr;
    llvm::Value* line = nullptr;  ///< alloca i64: the line executing, for tracebacks
    llvm::Value* depth = nullptr; ///< call depth after entry
    llvm::Value* ret_slot = nullptr;
    std::map<std::string, Var> vars;
    std::vector<llvm::BasicBlock*> unwind; ///< innermost exception target last
    std::vector<Loop> loops;
    std::vector<Finally*> finallies;
    struct Generator {
      llvm::Value* state = nullptr; ///< the rt GenIter this coroutine fills
      llvm::Value* hdl = nullptr;   ///< the coroutine handle
      llvm::BasicBlock* final_bb = nullptr;  ///< done: final suspend
      llvm::BasicBlock* suspended = nullptr; ///< leave to the caller (ramp returns the iterator)
      llvm::BasicBlock* cleanup = nullptr;
    } gen;
  };

  llvm::LLVMContext& c_;
  llvm::Module& m_;
  Infer& infer_;
  Types& types_;
  llvm::IRBuilder<> b_;
  Fn* fn_ = nullptr;
  llvm::StructType* val_ty_;
  llvm::Type* i1_;
  llvm::Type* i8_;
  llvm::Type* i32_;
  llvm::Type* i64_;
  llvm::Type* f64_;
  llvm::PointerType* ptr_;

  // ---- codegen.cpp
  llvm::Type* rep(const Type* t);
  llvm::FunctionType* fn_type(const Spec* s);
  void declare(Spec* s);
  /// `Val entry(ctx*, const Val* args, i64 nargs, env*)`: calls s with boxed positional args.
  void generic_wrapper(Spec* s);
  V dyn_call(Node* n, V f);
  std::map<const Spec*, llvm::Function*> generic_fns_;
  void define(Spec* s);
  void prologue(Spec* s);
  void bind_params(Spec* s);
  void emit_return(llvm::Value* v);
  llvm::Function* wrapper(Spec* entry, const std::string& name);
  void stmts(const std::vector<Node*>& list);
  void stmt(Node* n);
  void set_line(int line);
  void assign(Node* target, V v);
  void store_var(const std::string& name, V v);
  V load_var(Node* name_node);
  Var& var(const std::string& name);
  llvm::Value* cell_ptr(const std::string& name);
  void if_stmt(Node* n);
  void while_stmt(Node* n);
  void for_stmt(Node* n);
  void try_stmt(Node* n);
  void try_except(Node* n, llvm::BasicBlock* after, llvm::BasicBlock* outer_unwind);
  void raise_stmt(Node* n);
  void assert_stmt(Node* n);
  void function_def(Node* n);
  void jump(Exit e, size_t loop);
  void finish_finally(Finally& fin, llvm::BasicBlock* after, llvm::BasicBlock* outer_unwind);
  llvm::BasicBlock* block(const char* name);
  /// An alloca in the entry block of the function being emitted, where mem2reg promotes it.
  llvm::Value* entry_alloca(llvm::Type* t);
  void dead_block();
  bool terminated();

  // ---- exceptions (codegen.cpp)
  llvm::Value* load_exc();
  void check_exc();
  void raise_static(rt::ExcKind kind, const std::string& msg);
  /// Raises kind(msg) when cond holds (marked unlikely), and continues otherwise.
  void raise_if(llvm::Value* cond, rt::ExcKind kind, const std::string& msg);
  void raise_value(V exc);
  /// Leaves the int64 fast path (see rt::ExcKind::Deopt) when cond holds.
  void deopt_if(llvm::Value* cond);

  // ---- codegen_expr.cpp
  V expr(Node* n);
  V expr_impl(Node* n);
  V constant(Node* n);
  V const_value(const PyConst& c, const Type* t);
  V binop(int op, V l, V r, const Type* result);
  V int_binop(int op, llvm::Value* a, llvm::Value* b);
  V float_binop(int op, llvm::Value* a, llvm::Value* b);
  V dyn_binop(int op, V l, V r, const Type* result);
  V unary(Node* n);
  V boolop(Node* n);
  V compare(Node* n);
  llvm::Value* compare_pair(const std::string& op, V l, V r);
  V ifexp(Node* n);
  V tuple_expr(Node* n);
  V attribute(Node* n);
  V subscript(Node* n);
  V make_function(Node* n, FuncInfo* fi);
  /// A default value a nested function saved in its env when it was defined.
  V saved_default(FuncInfo* fi, llvm::Value* env, int slot, const Type* t);
  V call(Node* n);
  V user_call(Node* n, V f);
  V box(V v);
  V convert(V v, const Type* to);
  V unbox(llvm::Value* val, const Type* t);
  llvm::Value* unbox_int(llvm::Value* val);
  llvm::Value* truthy(V v);
  llvm::Value* to_double(V v);
  llvm::Value* to_i64(V v);
  llvm::Value* make_val(uint64_t tag, llvm::Value* bits);
  llvm::Value* str_const(const std::string& s);
  llvm::Value* c64(int64_t x);
  llvm::Value* c32(int32_t x);
  llvm::FunctionCallee rt(const char* name, llvm::Type* ret, std::vector<llvm::Type*> args);
  llvm::Value* val_array(const std::vector<V>& vs);
  V undef(const Type* t);

  // ---- codegen_parallel.cpp
  V parallel_call(Node* n);
  V par_construct(Node* n);
  V fork(Node* n);
  /// The parallel path of a fork: arguments, the run time, the expression over the results;
  /// branches to declined when the run time declines.
  V fork_body(Node* n, const std::vector<Node*>& calls, const std::vector<Spec*>& callees, const Type* t,
              bool recursive, llvm::BasicBlock* declined);
  /// fork_body in a function of its own taking the locals it reads (a recursive fork site).
  V fork_outlined(Node* n, const std::vector<Node*>& calls, const std::vector<Spec*>& callees, const Type* t,
                  const std::vector<std::string>& locals, llvm::BasicBlock* seq);
  llvm::Value* idle_worker();
  V join_paths(const Type* t, std::vector<std::pair<V, llvm::BasicBlock*>> in);
  /// Values of calls a fork already made (its parallel path evaluates the expression around them).
  std::map<const Node*, V> overrides_;

  // ---- codegen_builtins.cpp
  V builtin_call(Node* n, const std::string& name);
  V exception_new(Node* n, const std::string& name);
  V print_call(Node* n);
  V math_call(Node* n, const std::string& name, std::vector<V>& args);
  V reduction(Node* n, const std::string& name);
  V minmax_args(const std::string& name, std::vector<V>& args);
  V round_call(std::vector<V>& args);
  V isinstance_call(Node* n, std::vector<V>& args);
  /// Runs body once per element of iter (range, tuple, str or boxed value). body gets the
  /// element and the block that continues the loop; brk ends it.
  void for_each(Node* iter, const Type* elem,
                const std::function<void(V elem, llvm::BasicBlock* next)>& body, llvm::BasicBlock* brk);
  void boxed_range_loop(std::vector<V>& args, const std::function<void(V, llvm::BasicBlock*)>& body,
                        llvm::BasicBlock* brk);
  void range_loop_with(llvm::Value* start, llvm::Value* stop, llvm::Value* step,
                       const std::function<void(V, llvm::BasicBlock*)>& body, llvm::BasicBlock* brk);
  /// sum(E(x) for x in range(...)) where E is +, -, * of x, int constants and int locals: when
  /// interval arithmetic on the range's bounds proves that no int64 operation can overflow, the
  /// loop runs without overflow checks (and vectorises); otherwise the checked loop runs.
  bool range_sum(Node* n, V start_value, llvm::Value* acc, llvm::BasicBlock* done);
  /// `for x in range(...)` whose body only does `acc += E` / `acc -= E` on int locals: the same
  /// proof and the same two versions. False (nothing emitted) when the loop is not of that form.
  bool accumulating_for(Node* n, llvm::BasicBlock* else_bb);
  /// An int variable summed into by a loop: its name, the terms added per iteration, its value
  /// at loop entry, and (optional) whether it is unbound there.
  struct Accumulation {
    std::string name;
    std::vector<Node*> terms;
    std::function<llvm::Value*()> initial;   ///< its current value (read before each strip)
    std::function<llvm::Value*()> undefined; ///< whether it is unbound (may be empty)
  };
  /// Emits `for x in range(...)` as strips of iterations, each in two versions: without int64
  /// overflow checks, taken when interval arithmetic on the strip's bounds and the accumulators'
  /// current values proves that nothing can overflow, and with the checks otherwise. False, with nothing emitted, when a term is not +, -, * over x, int
  /// constants and ints the loop does not change.
  bool versioned_range_loop(Node* range_call, const std::string& x, const std::vector<Accumulation>& accs,
                            const std::function<void(V, llvm::BasicBlock*, bool checked)>& body, llvm::BasicBlock* done);
  /// Whether interval() can bound e over x (static check, emits nothing).
  bool interval_ok(const Node* e, const std::string& x, const std::set<std::string>& varying);
  /// Emits the interval of an int expression over x in [lo, hi] as int128 bounds; bad is set when
  /// an intermediate bound leaves int64.
  void interval(Node* e, const std::string& x, llvm::Value* lo, llvm::Value* hi, llvm::Value*& l, llvm::Value*& h,
                llvm::Value*& bad);
  bool unchecked_ints_ = false; ///< int +, -, * without overflow checks (proved safe)
  bool inplace_ = false;        ///< emitting an augmented assignment's operator (error messages)
  void range_loop(Node* iter, const std::function<void(V, llvm::BasicBlock*)>& body, llvm::BasicBlock* brk);
  void comprehension(Node* g, size_t level, const std::function<void(V elt, llvm::BasicBlock* next)>& body,
                     llvm::BasicBlock* brk);
  /// `for i in 0..bound()` (bound re-read at each step), body given item(i): the counted loop of
  /// tuples, strings and lists.
  void index_loop(const std::function<llvm::Value*()>& bound, const std::function<V(llvm::Value* i)>& item,
                  const std::function<void(V, llvm::BasicBlock*)>& body, llvm::BasicBlock* done);
  /// Iterates a list in place (seeing appends made by the body, as CPython does).
  void list_loop(V list, const Type* elem, const std::function<void(V, llvm::BasicBlock*)>& body,
                 llvm::BasicBlock* done);
  /// Iterates any iterable through the run time's iterator protocol.
  void iter_loop(V seq, const Type* elem, const std::function<void(V, llvm::BasicBlock*)>& body,
                 llvm::BasicBlock* done);

  // ---- generators (codegen_objects.cpp): LLVM switched-resume coroutines
  void generator_begin();
  /// Suspends with the yielded value; execution continues after the next resume.
  void generator_suspend(bool final);
  V yield_expr(Node* n);

  // ---- codegen_objects.cpp
  struct CallArgs {
    llvm::Value* n;
    llvm::Value* args;
    llvm::Value* nkw;
    llvm::Value* kw;
  };
  llvm::Value* tag_of(V boxed);
  llvm::Value* bits_of(V boxed);
  /// Calls a run-time function returning a Val, checks for an exception and unboxes to t.
  V rt_val(const char* name, std::vector<llvm::Type*> types, std::vector<llvm::Value*> args, const Type* t);
  CallArgs call_args(Node* n, size_t skip);
  V runtime_builtin(Node* n, const std::string& name);
  bool has_star(Node* n);
  /// The positional arguments (a list) and keywords (a dict) of a call with *xs or **d.
  std::pair<llvm::Value*, llvm::Value*> star_args(Node* n);
  /// f(*xs): the run time calls f through its generic entry.
  V star_call(Node* n, V f);
  V runtime_method(Node* n, V self);
  /// obj.m(args) on a boxed receiver that may be an instance of a class defining m: the call
  /// goes straight to m's generic entry (null when no class defines m).
  llvm::Value* cached_method(Node* n, V boxed);
  /// The inline cache shared by attribute loads, stores and method calls: branches on a boxed
  /// instance's class to hit(k, instance) for classes[k] (each hit ends its block), else to slow.
  void class_dispatch(V boxed, const std::vector<ClassInfo*>& classes, llvm::BasicBlock* slow,
                      const std::function<void(size_t k, llvm::Value* obj)>& hit);
  llvm::Value* merge_vals(const std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>>& in);
  /// list.append(x) and dict.get(k[, d]) on a list or dict known statically: direct calls.
  std::optional<V> hot_method(Node* n, V self);
  /// The tag a value of static type t has when boxed, or -1 when it varies.
  static int64_t box_tag(const Type* t);
  llvm::Value* new_container(K kind, int64_t n, llvm::Value* items);
  void container_add(K kind, llvm::Value* obj, V item, V value);
  V container_literal(Node* n);
  V comprehension_expr(Node* g);
  V joined_str(Node* n);
  V formatted_value(Node* n);
  llvm::Value* slice_parts(Node* slice);
  V list_item(llvm::Value* list, V idx, const Type* t);
  V container_subscript(Node* n, V base);
  V fast_item(V base, V idx, const Type* t);
  /// base[idx] = val for boxed operands: inline for a mutable list and an int index in range.
  void fast_store(V base, V idx, V val);
  /// base.name = val through the run time (boxed operands); the caller checks for an exception.
  void emit_setattr(V base, const std::string& name, V val);
  void store_subscript(Node* target, V v);
  void delete_stmt(Node* n);
  void aug_assign_item(Node* n);
  void unpack_starred(Node* target, V v);
  llvm::Value* instance_ptr(V obj);
  V object_attribute(Node* n, V base);
  void store_attribute(Node* target, V v);
  /// The (non-exception) classes whose instances have a slot of this name, with its index.
  std::vector<std::pair<ClassInfo*, int>> slot_candidates(const std::string& name);
  V cached_attribute(Node* n, V base, const std::vector<std::pair<ClassInfo*, int>>& candidates);
  llvm::Constant* class_object(ClassInfo* ci);
  llvm::StructType* class_ty();
  llvm::Constant* static_value(const PyConst& c, ClassInfo* where);
  V construct(Node* n);
  V method_call(Node* n);
  bool bind_implicit(Spec* callee, Node* n);
  /// Calls callee at site n; the first implicit.size() parameters get these values (self, cls).
  V bound_call(Node* n, Spec* callee, llvm::Value* env, std::vector<V> implicit, const Type* result = nullptr);
  V load_var_named(const std::string& name);
  /// A list, dict, set or instance the client sent (a global): built and frozen.
  V client_value(const PyConst& c);
  std::map<ClassInfo*, llvm::GlobalVariable*> class_globals_;
  std::map<const PyConst*, llvm::GlobalVariable*> global_cells_; ///< a client global's built value, per program
};

} // namespace shoal::compiler
