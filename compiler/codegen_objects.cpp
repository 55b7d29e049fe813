// Containers, strings, classes and instances: literals, comprehensions, subscripts and slices,
// attribute access, method calls, f-strings and the built-ins the run time implements.
#include "compiler/codegen.hpp"

#include "runtime/methods.hpp"
#include "runtime/objects.hpp"

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include <cstring>

namespace shoal::compiler {

using T = Type::T;
using llvm::BasicBlock;

namespace {
constexpr uint64_t list_items_offset = 16; ///< rt::List::items
} // namespace

llvm::Value* Codegen::tag_of(V boxed) { return b_.CreateExtractValue(boxed.v, 0); }
llvm::Value* Codegen::bits_of(V boxed) { return b_.CreateExtractValue(boxed.v, 1); }

V Codegen::rt_val(const char* name, std::vector<llvm::Type*> types, std::vector<llvm::Value*> args, const Type* t) {
  llvm::Value* r = b_.CreateCall(rt(name, val_ty_, std::move(types)), std::move(args));
  check_exc();
  return unbox(r, t);
}

/// Boxed args (positional then keyword values) and the keyword names, for the run time's calls.
Codegen::CallArgs Codegen::call_args(Node* n, size_t skip) {
  CallArgs ca;
  std::vector<V> vals;
  for (size_t i = skip; i < n->a.size(); ++i) {
    if (n->a[i]->kind == K::Starred)
      unsupported(fn_->spec->fn->file, n->line, "*args in this call");
    vals.push_back(expr(n->a[i]));
  }
  std::vector<llvm::Constant*> names;
  for (auto* kw : n->b) {
    if (kw->s.empty())
      unsupported(fn_->spec->fn->file, n->line, "**kwargs in this call");
    vals.push_back(expr(kw->x));
    names.push_back(llvm::cast<llvm::Constant>(b_.CreateGlobalStringPtr(kw->s)));
  }
  ca.n = c64(int64_t(vals.size() - names.size()));
  ca.args = val_array(vals);
  ca.nkw = c64(int64_t(names.size()));
  if (names.empty()) {
    ca.kw = llvm::ConstantPointerNull::get(ptr_);
  } else {
    auto* arr_ty = llvm::ArrayType::get(ptr_, names.size());
    ca.kw = new llvm::GlobalVariable(m_, arr_ty, true, llvm::GlobalValue::PrivateLinkage,
                                     llvm::ConstantArray::get(arr_ty, names), "kwnames");
  }
  return ca;
}

bool Codegen::has_star(Node* n) {
  for (auto* a : n->a)
    if (a->kind == K::Starred)
      return true;
  for (auto* kw : n->b)
    if (kw->s.empty())
      return true;
  return false;
}

std::pair<llvm::Value*, llvm::Value*> Codegen::star_args(Node* n) {
  llvm::Value* list = new_container(K::List, 0, llvm::ConstantPointerNull::get(ptr_));
  V lv = box({list, types_.list()});
  for (auto* a : n->a) {
    if (a->kind != K::Starred) {
      container_add(K::List, list, expr(a), V{});
      continue;
    }
    V src = box(expr(a->x));
    b_.CreateCall(rt("shoal_rt_extend", b_.getVoidTy(), {ptr_, i64_, i64_, i64_, i64_}),
                  {fn_->ctx, tag_of(lv), bits_of(lv), tag_of(src), bits_of(src)});
    check_exc();
  }
  llvm::Value* dict = new_container(K::Dict, 0, llvm::ConstantPointerNull::get(ptr_));
  V dv = box({dict, types_.dict()});
  for (auto* kw : n->b) {
    if (!kw->s.empty()) {
      container_add(K::Dict, dict, {str_const(kw->s), types_.str()}, expr(kw->x));
      continue;
    }
    V src = box(expr(kw->x));
    b_.CreateCall(rt("shoal_rt_extend", b_.getVoidTy(), {ptr_, i64_, i64_, i64_, i64_}),
                  {fn_->ctx, tag_of(dv), bits_of(dv), tag_of(src), bits_of(src)});
    check_exc();
  }
  return {list, dict};
}

V Codegen::star_call(Node* n, V f) {
  auto [list, dict] = star_args(n);
  const Type* t = fn_->spec->types.at(n);
  Spec* g = f.t->is(T::Func) ? infer_.generic(f.t) : nullptr;
  if (!g) {
    V boxed = box(f);
    return rt_val("shoal_rt_call_star", {ptr_, i64_, i64_, ptr_, ptr_},
                  {fn_->ctx, tag_of(boxed), bits_of(boxed), list, dict}, t);
  }
  // f(*xs, **d) of a known function: the run time binds the gathered arguments to f's parameters
  // by name (CPython's rules and messages), then f's all-boxed specialisation runs
  FuncInfo* fi = f.t->fn;
  const Params& p = *fi->params;
  size_t npos = p.names.size(), nnamed = npos + p.kwonly.size();
  llvm::Value* env = f.v->getType()->isPointerTy() ? f.v : llvm::ConstantPointerNull::get(ptr_);
  std::vector<llvm::Constant*> names;
  for (size_t i = 0; i < nnamed; ++i)
    names.push_back(llvm::cast<llvm::Constant>(b_.CreateGlobalStringPtr(i < npos ? p.names[i] : p.kwonly[i - npos])));
  auto* names_ty = llvm::ArrayType::get(ptr_, names.size());
  llvm::Constant* names_arr = names.empty() ? static_cast<llvm::Constant*>(llvm::ConstantPointerNull::get(ptr_))
                                            : new llvm::GlobalVariable(m_, names_ty, true, llvm::GlobalValue::PrivateLinkage,
                                                                       llvm::ConstantArray::get(names_ty, names), "params");
  // each named parameter's default (Tag::Dummy when it has none)
  std::vector<V> defaults;
  size_t first_default = npos - (fi->top_level() ? fi->defaults.size() : p.defaults.size());
  V none_default{make_val(uint64_t(rt::Tag::Dummy), c64(0)), types_.dyn()};
  for (size_t i = 0; i < nnamed; ++i) {
    if (i < npos && i >= first_default)
      defaults.push_back(fi->top_level() ? box(const_value(fi->defaults[i - first_default], types_.dyn()))
                                         : saved_default(fi, env, int(i - first_default), types_.dyn()));
    else if (i >= npos && fi->top_level() && fi->kwdefaults.count(p.kwonly[i - npos]))
      defaults.push_back(box(const_value(fi->kwdefaults.at(p.kwonly[i - npos]), types_.dyn())));
    else if (i >= npos && !fi->top_level() && p.kw_defaults[i - npos])
      defaults.push_back(saved_default(fi, env, int(p.defaults.size() + i - npos), types_.dyn()));
    else
      defaults.push_back(none_default);
  }
  size_t total = param_names(p).size();
  auto* out_ty = llvm::ArrayType::get(val_ty_, total ? total : 1);
  llvm::Value* out = entry_alloca(out_ty);
  std::string fname = (fi->method_of ? fi->qualname : fi->name) + "()";
  b_.CreateCall(rt("shoal_rt_bind", i32_, {ptr_, ptr_, i64_, i64_, ptr_, ptr_, i64_, i64_, ptr_, ptr_, ptr_}),
                {fn_->ctx, b_.CreateGlobalStringPtr(fname), c64(int64_t(npos)), c64(int64_t(nnamed - npos)), names_arr,
                 defaults.empty() ? llvm::ConstantPointerNull::get(ptr_) : val_array(defaults),
                 c64(p.vararg.empty() ? 0 : 1), c64(p.kwarg.empty() ? 0 : 1), list, dict, out});
  check_exc(); // the binding raised CPython's TypeError
  std::vector<llvm::Value*> args{fn_->ctx, b_.CreateAdd(fn_->depth, c64(1))};
  for (size_t i = 0; i < total; ++i)
    args.push_back(convert({b_.CreateLoad(val_ty_, b_.CreateConstInBoundsGEP2_64(out_ty, out, 0, i)), types_.dyn()},
                           g->args[i]).v);
  args.push_back(env);
  llvm::Value* r = b_.CreateCall(g->llfn, args);
  check_exc();
  return convert({r, g->ret}, t);
}

V Codegen::runtime_builtin(Node* n, const std::string& name) {
  if (has_star(n)) {
    auto [list, dict] = star_args(n);
    return rt_val("shoal_rt_builtin_star", {ptr_, ptr_, ptr_, ptr_},
                  {fn_->ctx, b_.CreateGlobalStringPtr(name), list, dict}, fn_->spec->types.at(n));
  }
  CallArgs ca = call_args(n, 0);
  return rt_val("shoal_rt_builtin", {ptr_, ptr_, i64_, ptr_, i64_, ptr_},
                {fn_->ctx, b_.CreateGlobalStringPtr(name), ca.n, ca.args, ca.nkw, ca.kw}, fn_->spec->types.at(n));
}

V Codegen::runtime_method(Node* n, V self) {
  V boxed = box(self);
  if (has_star(n)) {
    auto [list, dict] = star_args(n);
    return rt_val("shoal_rt_call_method_star", {ptr_, i64_, i64_, ptr_, ptr_, ptr_},
                  {fn_->ctx, tag_of(boxed), bits_of(boxed), b_.CreateGlobalStringPtr(n->x->s), list, dict},
                  fn_->spec->types.at(n));
  }
  const Type* t = fn_->spec->types.at(n);
  if (auto quick = hot_method(n, self))
    return *quick;
  if (self.t->is(T::Dyn) && n->b.empty())
    if (auto cached = cached_method(n, boxed))
      return unbox(cached, t);
  CallArgs ca = call_args(n, 0);
  // the built-in types' methods of this name, found now: the call site dispatches on the tag to
  // them directly (an inline cache filled at compile time); other receivers go to the run time
  const std::string& name = n->x->s;
  std::vector<std::pair<rt::Tag, rt::MethodFn>> targets;
  auto add = [&](rt::Tag tag, rt::MethodFn f) {
    if (f && (self.t->is(T::Dyn) || box_tag(self.t) == int64_t(tag)))
      targets.emplace_back(tag, f);
  };
  add(rt::Tag::Str, rt::str_method(name.c_str()));
  add(rt::Tag::List, rt::list_method(name.c_str()));
  add(rt::Tag::Dict, rt::dict_method(name.c_str()));
  add(rt::Tag::Set, rt::set_method(name.c_str()));
  add(rt::Tag::Tuple, rt::tuple_method(name.c_str()));
  if (targets.empty())
    return rt_val("shoal_rt_call_method", {ptr_, i64_, i64_, ptr_, i64_, ptr_, i64_, ptr_},
                  {fn_->ctx, tag_of(boxed), bits_of(boxed), b_.CreateGlobalStringPtr(name), ca.n, ca.args, ca.nkw,
                   ca.kw},
                  t);
  auto* args_ty = llvm::StructType::get(c_, {i64_, ptr_, i64_, ptr_});
  llvm::Value* args = entry_alloca(args_ty);
  b_.CreateStore(ca.n, b_.CreateStructGEP(args_ty, args, 0));
  b_.CreateStore(ca.args, b_.CreateStructGEP(args_ty, args, 1));
  b_.CreateStore(ca.nkw, b_.CreateStructGEP(args_ty, args, 2));
  b_.CreateStore(ca.kw, b_.CreateStructGEP(args_ty, args, 3));
  auto* fn_ty = llvm::FunctionType::get(val_ty_, {ptr_, i64_, i64_, ptr_}, false);
  BasicBlock* slow = block("method.slow");
  BasicBlock* done = block("method.done");
  std::vector<std::pair<llvm::Value*, BasicBlock*>> in;
  auto* sw = b_.CreateSwitch(tag_of(boxed), slow, unsigned(targets.size()));
  for (auto& [tag, f] : targets) {
    BasicBlock* bb = block("method.direct");
    sw->addCase(b_.getInt64(uint64_t(tag)), bb);
    b_.SetInsertPoint(bb);
    llvm::Value* callee = b_.CreateIntToPtr(c64(int64_t(reinterpret_cast<intptr_t>(f))), ptr_);
    llvm::Value* r = b_.CreateCall(fn_ty, callee, {fn_->ctx, tag_of(boxed), bits_of(boxed), args});
    check_exc();
    in.emplace_back(r, b_.GetInsertBlock());
    b_.CreateBr(done);
  }
  b_.SetInsertPoint(slow);
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_call_method", val_ty_, {ptr_, i64_, i64_, ptr_, i64_, ptr_, i64_, ptr_}),
                                 {fn_->ctx, tag_of(boxed), bits_of(boxed), b_.CreateGlobalStringPtr(name), ca.n, ca.args,
                                  ca.nkw, ca.kw});
  check_exc();
  in.emplace_back(r, b_.GetInsertBlock());
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto* phi = b_.CreatePHI(val_ty_, unsigned(in.size()));
  for (auto& [v, bb] : in)
    phi->addIncoming(v, bb);
  return unbox(phi, t);
}

std::optional<V> Codegen::hot_method(Node* n, V self) {
  // the hottest methods of lists and dicts on receivers known to be one: a direct call of the
  // run time's function, without the argument vector of a general method call
  const std::string& m = n->x->s;
  if (!n->b.empty())
    return std::nullopt;
  if (self.t->is(T::List) && m == "append" && n->a.size() == 1) {
    V x = box(expr(n->a[0]));
    b_.CreateCall(rt("shoal_rt_list_append", b_.getVoidTy(), {ptr_, ptr_, i64_, i64_}),
                  {fn_->ctx, self.v, tag_of(x), bits_of(x)});
    check_exc();
    return V{b_.getInt8(0), types_.none()};
  }
  if (self.t->is(T::Dict) && m == "get" && (n->a.size() == 1 || n->a.size() == 2)) {
    V k = box(expr(n->a[0]));
    V d = n->a.size() == 2 ? box(expr(n->a[1])) : box({b_.getInt8(0), types_.none()});
    return rt_val("shoal_rt_dict_get_or", {ptr_, ptr_, i64_, i64_, i64_, i64_},
                  {fn_->ctx, self.v, tag_of(k), bits_of(k), tag_of(d), bits_of(d)}, fn_->spec->types.at(n));
  }
  return std::nullopt;
}

void Codegen::class_dispatch(V boxed, const std::vector<ClassInfo*>& classes, BasicBlock* slow,
                             const std::function<void(size_t k, llvm::Value* obj)>& hit) {
  // an inline cache filled at compile time: a boxed instance whose class is one of these goes to
  // that class's block (which must end its block); anything else to slow
  llvm::Value* obj = b_.CreateIntToPtr(bits_of(boxed), ptr_);
  BasicBlock* inst = block("ic.inst");
  b_.CreateCondBr(b_.CreateICmpEQ(tag_of(boxed), c64(int64_t(rt::Tag::Instance))), inst, slow);
  b_.SetInsertPoint(inst);
  llvm::Value* cls = b_.CreateLoad(ptr_, obj);
  for (size_t k = 0; k < classes.size(); ++k) {
    BasicBlock* yes = block("ic.hit");
    BasicBlock* next = block("ic.next");
    b_.CreateCondBr(b_.CreateICmpEQ(cls, class_object(classes[k])), yes, next);
    b_.SetInsertPoint(yes);
    hit(k, obj);
    b_.SetInsertPoint(next);
  }
  b_.CreateBr(slow);
}

llvm::Value* Codegen::merge_vals(const std::vector<std::pair<llvm::Value*, BasicBlock*>>& in) {
  auto* phi = b_.CreatePHI(val_ty_, unsigned(in.size()));
  for (auto& [v, bb] : in)
    phi->addIncoming(v, bb);
  return phi;
}

llvm::Value* Codegen::cached_method(Node* n, V boxed) {
  // an instance of a class whose method this is: its generic entry is called directly (self
  // first); other receivers go through the run time's lookup
  const std::string& name = n->x->s;
  std::vector<ClassInfo*> classes;
  std::vector<llvm::Function*> entries;
  for (auto& c : infer_.program().classes) {
    const ClassInfo::Member* m = c->lookup(name);
    if (!m || m->kind != ClassInfo::Member::Kind::Method || c->slot(name) >= 0 || c->is_exception())
      continue;
    Spec* g = infer_.generic(types_.func(m->fn, nullptr));
    if (g && generic_fns_.count(g)) {
      classes.push_back(c.get());
      entries.push_back(generic_fns_.at(g));
    }
  }
  if (classes.empty())
    return nullptr;
  std::vector<V> vals{boxed};
  for (auto* a : n->a)
    vals.push_back(box(expr(a)));
  llvm::Value* arr = val_array(vals);
  BasicBlock* slow = block("meth.slow");
  BasicBlock* done = block("meth.done");
  std::vector<std::pair<llvm::Value*, BasicBlock*>> in;
  class_dispatch(boxed, classes, slow, [&](size_t k, llvm::Value*) {
    llvm::Value* r = b_.CreateCall(entries[k], {fn_->ctx, b_.CreateAdd(fn_->depth, c64(1)), arr,
                                                c64(int64_t(vals.size())), llvm::ConstantPointerNull::get(ptr_)});
    check_exc();
    in.emplace_back(r, b_.GetInsertBlock());
    b_.CreateBr(done);
  });
  b_.SetInsertPoint(slow);
  llvm::Value* rest = b_.CreateConstInBoundsGEP1_64(val_ty_, arr, 1);
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_call_method", val_ty_, {ptr_, i64_, i64_, ptr_, i64_, ptr_, i64_, ptr_}),
                                 {fn_->ctx, tag_of(boxed), bits_of(boxed), b_.CreateGlobalStringPtr(name),
                                  c64(int64_t(n->a.size())), rest, c64(0), llvm::ConstantPointerNull::get(ptr_)});
  check_exc();
  in.emplace_back(r, b_.GetInsertBlock());
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  return merge_vals(in);
}

int64_t Codegen::box_tag(const Type* t) {
  switch (t->t) {
  case T::Str: return int64_t(rt::Tag::Str);
  case T::List: return int64_t(rt::Tag::List);
  case T::Dict: return int64_t(rt::Tag::Dict);
  case T::Set: return int64_t(rt::Tag::Set);
  case T::Tuple: return int64_t(rt::Tag::Tuple);
  default: return -1;
  }
}

// ---- literals and comprehensions ----------------------------------------------------------------

llvm::Value* Codegen::new_container(K kind, int64_t n, llvm::Value* items) {
  const char* f = kind == K::List ? "shoal_rt_list_new" : kind == K::Set ? "shoal_rt_set_new" : "shoal_rt_dict_new";
  llvm::Value* r = b_.CreateCall(rt(f, ptr_, {ptr_, i64_, ptr_}), {fn_->ctx, c64(n), items});
  check_exc();
  return r;
}

void Codegen::container_add(K kind, llvm::Value* obj, V item, V value) {
  V a = box(item);
  if (kind == K::Dict) {
    V b = box(value);
    b_.CreateCall(rt("shoal_rt_dict_set", b_.getVoidTy(), {ptr_, ptr_, i64_, i64_, i64_, i64_}),
                  {fn_->ctx, obj, tag_of(a), bits_of(a), tag_of(b), bits_of(b)});
  } else {
    b_.CreateCall(rt(kind == K::List ? "shoal_rt_list_append" : "shoal_rt_set_add", b_.getVoidTy(),
                     {ptr_, ptr_, i64_, i64_}),
                  {fn_->ctx, obj, tag_of(a), bits_of(a)});
  }
  check_exc();
}

V Codegen::container_literal(Node* n) {
  const Type* t = fn_->spec->types.at(n);
  bool simple = true;
  for (auto* e : n->a)
    simple &= e != nullptr && e->kind != K::Starred;
  if (simple) {
    std::vector<V> items;
    for (size_t i = 0; i < n->a.size(); ++i) {
      items.push_back(expr(n->a[i]));
      if (n->kind == K::Dict)
        items.push_back(expr(n->b[i]));
    }
    int64_t count = int64_t(n->kind == K::Dict ? items.size() / 2 : items.size());
    bool constant = n->kind == K::Set && n->a.size() > 2;
    for (auto* e : n->a)
      constant &= e->kind == K::Const || (e->kind == K::UnaryOp && e->x->kind == K::Const);
    if (constant) { // CPython folds it to a frozenset constant first: its iteration order follows
      llvm::Value* r = b_.CreateCall(rt("shoal_rt_set_const", ptr_, {ptr_, i64_, ptr_}), {fn_->ctx, c64(count), val_array(items)});
      check_exc();
      return {r, t};
    }
    return {new_container(n->kind, count, val_array(items)), t};
  }
  llvm::Value* obj = new_container(n->kind, 0, llvm::ConstantPointerNull::get(ptr_));
  V target = box({obj, t});
  for (size_t i = 0; i < n->a.size(); ++i) {
    Node* e = n->a[i];
    if (e && e->kind != K::Starred) {
      V item = expr(e);
      container_add(n->kind, obj, item, n->kind == K::Dict ? expr(n->b[i]) : V{});
      continue;
    }
    V src = box(expr(e ? e->x : n->b[i])); // *iterable, or a **mapping entry of a dict display
    b_.CreateCall(rt("shoal_rt_extend", b_.getVoidTy(), {ptr_, i64_, i64_, i64_, i64_}),
                  {fn_->ctx, tag_of(target), bits_of(target), tag_of(src), bits_of(src)});
    check_exc();
  }
  return {obj, t};
}

V Codegen::comprehension_expr(Node* g) {
  K kind = g->kind == K::ListComp || g->kind == K::GenExp ? K::List : g->kind == K::SetComp ? K::Set : K::Dict;
  llvm::Value* obj = new_container(kind, 0, llvm::ConstantPointerNull::get(ptr_));
  BasicBlock* done = block("comp.done");
  comprehension(
      g, 0,
      [&](V elt, BasicBlock* next) {
        container_add(kind, obj, elt, kind == K::Dict ? expr(g->y) : V{});
        b_.CreateBr(next);
      },
      done);
  b_.SetInsertPoint(done);
  if (g->kind == K::GenExp) {
    // a generator expression outside a reduction: its items, computed now, behind an iterator
    llvm::Value* it = b_.CreateCall(rt("shoal_rt_iter", ptr_, {ptr_, i64_, i64_}),
                                    {fn_->ctx, c64(int64_t(rt::Tag::List)), b_.CreatePtrToInt(obj, i64_)});
    check_exc();
    return {make_val(uint64_t(rt::Tag::Iter), b_.CreatePtrToInt(it, i64_)), types_.dyn()};
  }
  return {obj, fn_->spec->types.at(g)};
}

V Codegen::joined_str(Node* n) {
  std::vector<llvm::Value*> parts;
  for (auto* v : n->a) {
    V piece = expr(v);
    parts.push_back(piece.t->is(T::Str) ? piece.v : convert(piece, types_.str()).v);
  }
  auto* arr_ty = llvm::ArrayType::get(ptr_, parts.size());
  llvm::Value* arr = entry_alloca(arr_ty);
  for (size_t i = 0; i < parts.size(); ++i)
    b_.CreateStore(parts[i], b_.CreateConstInBoundsGEP2_64(arr_ty, arr, 0, i));
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_str_join_n", ptr_, {ptr_, i64_, ptr_}),
                                 {fn_->ctx, c64(int64_t(parts.size())), arr});
  check_exc();
  return {r, types_.str()};
}

V Codegen::formatted_value(Node* n) {
  V v = box(expr(n->x));
  llvm::Value* spec = n->y ? joined_str(n->y).v : llvm::ConstantPointerNull::get(ptr_);
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_format", ptr_, {ptr_, i64_, i64_, ptr_, i32_}),
                                 {fn_->ctx, tag_of(v), bits_of(v), spec, c32(n->op)});
  check_exc();
  return {r, types_.str()};
}

V Codegen::client_value(const PyConst& c) {
  std::vector<V> items;
  for (auto& item : c.items)
    items.push_back(item.t == PyConst::T::List || item.t == PyConst::T::Dict || item.t == PyConst::T::Set ||
                            item.t == PyConst::T::FrozenSet || item.t == PyConst::T::Instance
                        ? client_value(item)
                        : const_value(item, types_.dyn()));
  llvm::Value* obj;
  rt::Tag tag;
  switch (c.t) {
  case PyConst::T::List: obj = new_container(K::List, int64_t(items.size()), val_array(items)), tag = rt::Tag::List; break;
  case PyConst::T::Set: obj = new_container(K::Set, int64_t(items.size()), val_array(items)), tag = rt::Tag::Set; break;
  case PyConst::T::FrozenSet:
    obj = new_container(K::Set, int64_t(items.size()), val_array(items)), tag = rt::Tag::FrozenSet;
    break;
  case PyConst::T::Dict:
    obj = new_container(K::Dict, int64_t(items.size() / 2), val_array(items)), tag = rt::Tag::Dict;
    break;
  default: { // an instance
    obj = b_.CreateCall(rt("shoal_rt_instance_new", ptr_, {ptr_}), {class_object(c.cls)});
    tag = rt::Tag::Instance;
    for (size_t i = 0; i < c.names.size(); ++i)
      if (int slot = c.cls->slot(c.names[i]); slot >= 0)
        b_.CreateStore(items[i].v, b_.CreateConstInBoundsGEP1_64(i8_, obj, rt::instance_slot_offset(slot)));
  }
  }
  V v{make_val(uint64_t(tag), b_.CreatePtrToInt(obj, i64_)), types_.dyn()};
  // the client's object is shared by every call that reads it: frozen here
  b_.CreateCall(rt("shoal_rt_freeze", b_.getVoidTy(), {i64_, i64_, ptr_}),
                {tag_of(v), bits_of(v), b_.CreateGlobalStringPtr("a global read by " + fn_->spec->fn->qualname)});
  return v;
}

// ---- subscripts -------------------------------------------------------------------------------

llvm::Value* Codegen::slice_parts(Node* slice) {
  std::vector<V> parts;
  for (Node* p : {slice->x, slice->y, slice->z})
    parts.push_back(p ? expr(p) : V{b_.getInt8(0), types_.none()});
  return val_array(parts);
}

V Codegen::list_item(llvm::Value* list, V idx, const Type* t) {
  llvm::Value* i = to_i64(idx);
  llvm::Value* n = b_.CreateLoad(i64_, list);
  i = b_.CreateSelect(b_.CreateICmpSLT(i, c64(0)), b_.CreateAdd(i, n), i);
  raise_if(b_.CreateICmpUGE(i, n), rt::ExcKind::IndexError, "list index out of range");
  llvm::Value* items = b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(i8_, list, list_items_offset));
  llvm::Value* item = b_.CreateLoad(val_ty_, b_.CreateInBoundsGEP(val_ty_, items, i));
  return unbox(item, t);
}

V Codegen::fast_item(V base, V idx, const Type* t) {
  // a boxed list or tuple indexed by an int: the item is loaded inline; anything else (dicts,
  // strings, instances, errors) goes to the run time
  V bb = box(base);
  V bi = box(idx);
  llvm::Value* tag = tag_of(bb);
  llvm::Value* obj = b_.CreateIntToPtr(bits_of(bb), ptr_);
  llvm::Value* i = bits_of(bi);
  BasicBlock* list = block("item.list");
  BasicBlock* not_list = block("item.notlist");
  BasicBlock* tuple = block("item.tuple");
  BasicBlock* slow = block("item.slow");
  BasicBlock* done = block("item.done");
  llvm::Value* int_index = b_.CreateICmpEQ(tag_of(bi), c64(int64_t(rt::Tag::Int)));
  b_.CreateCondBr(b_.CreateAnd(int_index, b_.CreateICmpEQ(tag, c64(int64_t(rt::Tag::List)))), list, not_list);
  std::vector<std::pair<llvm::Value*, BasicBlock*>> in;
  auto load_at = [&](llvm::Value* n, llvm::Value* items) {
    llvm::Value* k = b_.CreateSelect(b_.CreateICmpSLT(i, c64(0)), b_.CreateAdd(i, n), i);
    BasicBlock* ok = block("item.ok");
    b_.CreateCondBr(b_.CreateICmpULT(k, n), ok, slow); // out of range: the run time raises
    b_.SetInsertPoint(ok);
    in.emplace_back(b_.CreateLoad(val_ty_, b_.CreateInBoundsGEP(val_ty_, items, k)), ok);
    b_.CreateBr(done);
  };
  b_.SetInsertPoint(list);
  load_at(b_.CreateLoad(i64_, obj), b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(i8_, obj, list_items_offset)));
  b_.SetInsertPoint(not_list);
  b_.CreateCondBr(b_.CreateAnd(int_index, b_.CreateICmpEQ(tag, c64(int64_t(rt::Tag::Tuple)))), tuple, slow);
  b_.SetInsertPoint(tuple);
  load_at(b_.CreateLoad(i64_, obj), b_.CreateConstInBoundsGEP1_64(i8_, obj, 8));
  b_.SetInsertPoint(slow);
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_index", val_ty_, {ptr_, i64_, i64_, i64_, i64_}),
                                 {fn_->ctx, tag, bits_of(bb), tag_of(bi), i});
  check_exc();
  in.emplace_back(r, b_.GetInsertBlock());
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto* phi = b_.CreatePHI(val_ty_, unsigned(in.size()));
  for (auto& [v, bb2] : in)
    phi->addIncoming(v, bb2);
  return unbox(phi, t);
}

V Codegen::container_subscript(Node* n, V base) {
  const Type* t = fn_->spec->types.at(n);
  if (n->y->kind == K::Slice) {
    V b = box(base);
    llvm::Value* parts = slice_parts(n->y);
    return rt_val("shoal_rt_getslice", {ptr_, i64_, i64_, ptr_}, {fn_->ctx, tag_of(b), bits_of(b), parts}, t);
  }
  V idx = expr(n->y);
  if (base.t->is(T::List) && idx.t->int_like())
    return list_item(base.v, idx, t);
  if (base.t->is(T::Dyn) && (idx.t->int_like() || idx.t->is(T::Dyn)))
    return fast_item(base, idx, t);
  V bb = box(base);
  V bi = box(idx);
  return rt_val("shoal_rt_index", {ptr_, i64_, i64_, i64_, i64_},
                {fn_->ctx, tag_of(bb), bits_of(bb), tag_of(bi), bits_of(bi)}, t);
}

void Codegen::emit_setattr(V base, const std::string& name, V val) {
  b_.CreateCall(rt("shoal_rt_setattr", b_.getVoidTy(), {ptr_, i64_, i64_, ptr_, i64_, i64_}),
                {fn_->ctx, tag_of(base), bits_of(base), b_.CreateGlobalStringPtr(name), tag_of(val), bits_of(val)});
}

void Codegen::fast_store(V base, V idx, V val) {
  // a mutable list and an int index in range: stored inline; the rest in the run time
  BasicBlock* list = block("store.list");
  BasicBlock* ok = block("store.ok");
  BasicBlock* slow = block("store.slow");
  BasicBlock* done = block("store.done");
  llvm::Value* obj = b_.CreateIntToPtr(bits_of(base), ptr_);
  b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpEQ(tag_of(base), c64(int64_t(rt::Tag::List))),
                               b_.CreateICmpEQ(tag_of(idx), c64(int64_t(rt::Tag::Int)))),
                  list, slow);
  b_.SetInsertPoint(list);
  llvm::Value* n = b_.CreateLoad(i64_, obj);
  llvm::Value* i = bits_of(idx);
  llvm::Value* k = b_.CreateSelect(b_.CreateICmpSLT(i, c64(0)), b_.CreateAdd(i, n), i);
  llvm::Value* frozen = b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(i8_, obj, 24));
  b_.CreateCondBr(b_.CreateAnd(b_.CreateICmpULT(k, n), b_.CreateICmpEQ(frozen, llvm::ConstantPointerNull::get(ptr_))),
                  ok, slow);
  b_.SetInsertPoint(ok);
  llvm::Value* items = b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(i8_, obj, list_items_offset));
  b_.CreateStore(val.v, b_.CreateInBoundsGEP(val_ty_, items, k));
  b_.CreateBr(done);
  b_.SetInsertPoint(slow);
  b_.CreateCall(rt("shoal_rt_setitem", b_.getVoidTy(), {ptr_, i64_, i64_, i64_, i64_, i64_, i64_}),
                {fn_->ctx, tag_of(base), bits_of(base), tag_of(idx), bits_of(idx), tag_of(val), bits_of(val)});
  check_exc();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void Codegen::store_subscript(Node* target, V v) {
  V typed = expr(target->x);
  if (typed.t->is(T::Dict) && target->y->kind != K::Slice) { // d[k] = v: straight into the table
    V k = box(expr(target->y));
    V val = box(v);
    b_.CreateCall(rt("shoal_rt_dict_set", b_.getVoidTy(), {ptr_, ptr_, i64_, i64_, i64_, i64_}),
                  {fn_->ctx, typed.v, tag_of(k), bits_of(k), tag_of(val), bits_of(val)});
    check_exc();
    return;
  }
  V base = box(typed);
  V val = box(v);
  if (target->y->kind != K::Slice) {
    fast_store(base, box(expr(target->y)), val);
    return;
  }
  if (target->y->kind == K::Slice) {
    llvm::Value* parts = slice_parts(target->y);
    b_.CreateCall(rt("shoal_rt_setslice", b_.getVoidTy(), {ptr_, i64_, i64_, ptr_, i64_, i64_}),
                  {fn_->ctx, tag_of(base), bits_of(base), parts, tag_of(val), bits_of(val)});
  } else {
    V idx = box(expr(target->y));
    b_.CreateCall(rt("shoal_rt_setitem", b_.getVoidTy(), {ptr_, i64_, i64_, i64_, i64_, i64_, i64_}),
                  {fn_->ctx, tag_of(base), bits_of(base), tag_of(idx), bits_of(idx), tag_of(val), bits_of(val)});
  }
  check_exc();
}

void Codegen::delete_stmt(Node* n) {
  for (Node* t : n->a) {
    if (t->kind == K::Name) {
      V cur = load_var(t); // NameError/UnboundLocalError when unbound
      (void)cur;
      Var& v = var(t->s);
      if (v.defined && !v.cell)
        b_.CreateStore(b_.getInt1(false), v.defined);
      else if (v.cell)
        unsupported(fn_->spec->fn->file, t->line, "'del' of a variable an inner function uses");
      continue;
    }
    V base = box(expr(t->x));
    if (t->kind == K::Attribute) {
      b_.CreateCall(rt("shoal_rt_delattr", b_.getVoidTy(), {ptr_, i64_, i64_, ptr_}),
                    {fn_->ctx, tag_of(base), bits_of(base), b_.CreateGlobalStringPtr(t->s)});
    } else if (t->y->kind == K::Slice) {
      llvm::Value* parts = slice_parts(t->y);
      b_.CreateCall(rt("shoal_rt_delslice", b_.getVoidTy(), {ptr_, i64_, i64_, ptr_}),
                    {fn_->ctx, tag_of(base), bits_of(base), parts});
    } else {
      V idx = box(expr(t->y));
      b_.CreateCall(rt("shoal_rt_delitem", b_.getVoidTy(), {ptr_, i64_, i64_, i64_, i64_}),
                    {fn_->ctx, tag_of(base), bits_of(base), tag_of(idx), bits_of(idx)});
    }
    check_exc();
  }
}

void Codegen::aug_assign_item(Node* n) {
  // target[index] op= value and target.attr op= value: base and index evaluated once
  Node* t = n->x;
  V base = box(expr(t->x));
  V idx;
  llvm::Value* parts = nullptr;
  V cur;
  if (t->kind == K::Attribute) {
    cur = rt_val("shoal_rt_getattr", {ptr_, i64_, i64_, ptr_},
                 {fn_->ctx, tag_of(base), bits_of(base), b_.CreateGlobalStringPtr(t->s)}, types_.dyn());
  } else if (t->y->kind == K::Slice) {
    parts = slice_parts(t->y);
    cur = rt_val("shoal_rt_getslice", {ptr_, i64_, i64_, ptr_}, {fn_->ctx, tag_of(base), bits_of(base), parts},
                 types_.dyn());
  } else {
    idx = box(expr(t->y));
    cur = fast_item(base, idx, types_.dyn());
  }
  V r = expr(n->y);
  inplace_ = true;
  V v = box(binop(n->op, cur, r, types_.dyn()));
  inplace_ = false;
  if (t->kind == K::Attribute)
    emit_setattr(base, t->s, v);
  else if (parts)
    b_.CreateCall(rt("shoal_rt_setslice", b_.getVoidTy(), {ptr_, i64_, i64_, ptr_, i64_, i64_}),
                  {fn_->ctx, tag_of(base), bits_of(base), parts, tag_of(v), bits_of(v)});
  else
    fast_store(base, idx, v);
  check_exc();
}

void Codegen::unpack_starred(Node* target, V v) {
  size_t star = 0, n = target->a.size();
  for (size_t i = 0; i < n; ++i)
    if (target->a[i]->kind == K::Starred)
      star = i;
  V boxed = box(v);
  auto* arr_ty = llvm::ArrayType::get(val_ty_, n);
  llvm::Value* out = entry_alloca(arr_ty);
  b_.CreateCall(rt("shoal_rt_unpack_ex", i32_, {ptr_, i64_, i64_, i64_, i64_, ptr_}),
                {fn_->ctx, tag_of(boxed), bits_of(boxed), c64(int64_t(star)), c64(int64_t(n - star - 1)), out});
  check_exc();
  for (size_t i = 0; i < n; ++i) {
    llvm::Value* item = b_.CreateLoad(val_ty_, b_.CreateConstInBoundsGEP2_64(arr_ty, out, 0, i));
    Node* t = target->a[i];
    if (t->kind == K::Starred)
      assign(t->x, unbox(item, types_.list()));
    else
      assign(t, unbox(item, fn_->spec->types.count(t) ? fn_->spec->types.at(t) : types_.dyn()));
  }
}

// ---- attributes ---------------------------------------------------------------------------------

llvm::Value* Codegen::instance_ptr(V obj) {
  if (obj.t->cls->is_exception()) // an Exc whose inst holds the attributes
    return b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(i8_, obj.v, 32));
  return obj.v;
}

V Codegen::object_attribute(Node* n, V base) {
  const Type* t = fn_->spec->types.at(n);
  if (base.t->is(T::Obj)) {
    int slot = base.t->cls->slot(n->s);
    if (slot >= 0) {
      llvm::Value* p = b_.CreateConstInBoundsGEP1_64(i8_, instance_ptr(base), rt::instance_slot_offset(slot));
      llvm::Value* val = b_.CreateLoad(val_ty_, p);
      BasicBlock* fast = b_.GetInsertBlock();
      BasicBlock* unset = block("attr.unset");
      BasicBlock* ok = block("attr.ok");
      b_.CreateCondBr(b_.CreateICmpEQ(b_.CreateExtractValue(val, 0), c64(int64_t(rt::Tag::Dummy))), unset, ok);
      b_.SetInsertPoint(unset);
      V boxed = box(base); // not set yet: the class may still provide it (a class attribute or method)
      llvm::Value* slow = b_.CreateCall(rt("shoal_rt_getattr", val_ty_, {ptr_, i64_, i64_, ptr_}),
                                        {fn_->ctx, tag_of(boxed), bits_of(boxed), b_.CreateGlobalStringPtr(n->s)});
      check_exc();
      BasicBlock* unset_end = b_.GetInsertBlock();
      b_.CreateBr(ok);
      b_.SetInsertPoint(ok);
      auto* phi = b_.CreatePHI(val_ty_, 2);
      phi->addIncoming(val, fast);
      phi->addIncoming(slow, unset_end);
      return unbox(phi, t);
    }
    if (auto it = fn_->spec->calls.find(n); it != fn_->spec->calls.end()) { // a property getter
      llvm::Value* r = b_.CreateCall(it->second->llfn, {fn_->ctx, b_.CreateAdd(fn_->depth, c64(1)),
                                                        convert(base, it->second->args[0]).v,
                                                        llvm::ConstantPointerNull::get(ptr_)});
      check_exc();
      return convert({r, it->second->ret}, t);
    }
  }
  if (base.t->is(T::Dyn)) {
    auto candidates = slot_candidates(n->s);
    if (!candidates.empty())
      return cached_attribute(n, base, candidates);
  }
  V boxed = box(base);
  return rt_val("shoal_rt_getattr", {ptr_, i64_, i64_, ptr_},
                {fn_->ctx, tag_of(boxed), bits_of(boxed), b_.CreateGlobalStringPtr(n->s)}, t);
}

std::vector<std::pair<ClassInfo*, int>> Codegen::slot_candidates(const std::string& name) {
  std::vector<std::pair<ClassInfo*, int>> out;
  for (auto& c : infer_.program().classes)
    if (int slot = c->slot(name); slot >= 0 && !c->is_exception())
      out.emplace_back(c.get(), slot);
  return out;
}

V Codegen::cached_attribute(Node* n, V base, const std::vector<std::pair<ClassInfo*, int>>& candidates) {
  // an instance of one of the classes with this slot reads it directly (when set); anything else
  // asks the run time
  V boxed = box(base);
  BasicBlock* slow = block("attr.slow");
  BasicBlock* done = block("attr.done");
  std::vector<ClassInfo*> classes;
  for (auto& c : candidates)
    classes.push_back(c.first);
  std::vector<std::pair<llvm::Value*, BasicBlock*>> in;
  class_dispatch(boxed, classes, slow, [&](size_t k, llvm::Value* obj) {
    llvm::Value* val = b_.CreateLoad(val_ty_, b_.CreateConstInBoundsGEP1_64(i8_, obj, rt::instance_slot_offset(candidates[k].second)));
    BasicBlock* set = block("attr.set");
    b_.CreateCondBr(b_.CreateICmpEQ(b_.CreateExtractValue(val, 0), c64(int64_t(rt::Tag::Dummy))), slow, set);
    b_.SetInsertPoint(set);
    in.emplace_back(val, set);
    b_.CreateBr(done);
  });
  b_.SetInsertPoint(slow);
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_getattr", val_ty_, {ptr_, i64_, i64_, ptr_}),
                                 {fn_->ctx, tag_of(boxed), bits_of(boxed), b_.CreateGlobalStringPtr(n->s)});
  check_exc();
  in.emplace_back(r, b_.GetInsertBlock());
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  return unbox(merge_vals(in), fn_->spec->types.at(n));
}

void Codegen::store_attribute(Node* target, V v) {
  V base = expr(target->x);
  if (base.t->is(T::Obj)) {
    int slot = base.t->cls->slot(target->s);
    if (slot >= 0) {
      // a mutable instance's slot is written directly; a frozen (shared) one refuses in the run time
      llvm::Value* inst = instance_ptr(base);
      llvm::Value* frozen = b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(i8_, inst, 8));
      BasicBlock* ok = block("setattr.mutable");
      BasicBlock* refuse = block("setattr.frozen");
      BasicBlock* done = block("setattr.done");
      V val = box(v);
      b_.CreateCondBr(b_.CreateICmpEQ(frozen, llvm::ConstantPointerNull::get(ptr_)), ok, refuse,
                      llvm::MDBuilder(c_).createBranchWeights(100000, 1));
      b_.SetInsertPoint(ok);
      b_.CreateStore(val.v, b_.CreateConstInBoundsGEP1_64(i8_, inst, rt::instance_slot_offset(slot)));
      b_.CreateBr(done);
      b_.SetInsertPoint(refuse);
      V bb = box(base);
      emit_setattr(bb, target->s, val);
      check_exc();
      b_.CreateBr(done);
      b_.SetInsertPoint(done);
      return;
    }
  }
  V b = box(base);
  V val = box(v);
  BasicBlock* done = nullptr;
  if (base.t->is(T::Dyn)) {
    // the inline cache of attribute stores: a known class's slot is written directly (classes
    // with a property of this name never have the slot)
    auto candidates = slot_candidates(target->s);
    if (!candidates.empty()) {
      BasicBlock* slow = block("setattr.slow");
      done = block("setattr.done");
      std::vector<ClassInfo*> classes;
      for (auto& c : candidates)
        classes.push_back(c.first);
      class_dispatch(b, classes, slow, [&](size_t k, llvm::Value* obj) {
        BasicBlock* write = block("setattr.write");
        llvm::Value* frozen = b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(i8_, obj, 8));
        b_.CreateCondBr(b_.CreateICmpEQ(frozen, llvm::ConstantPointerNull::get(ptr_)), write, slow);
        b_.SetInsertPoint(write);
        b_.CreateStore(val.v, b_.CreateConstInBoundsGEP1_64(i8_, obj, rt::instance_slot_offset(candidates[k].second)));
        b_.CreateBr(done);
      });
      b_.SetInsertPoint(slow);
    }
  }
  emit_setattr(b, target->s, val);
  check_exc();
  if (done) {
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }
}

// ---- classes --------------------------------------------------------------------------------------

llvm::Constant* Codegen::class_object(ClassInfo* ci) {
  if (auto it = class_globals_.find(ci); it != class_globals_.end())
    return it->second;
  auto* g = new llvm::GlobalVariable(m_, class_ty(), true, llvm::GlobalValue::PrivateLinkage, nullptr,
                                     "class." + ci->name);
  class_globals_[ci] = g;
  auto cstr = [&](const std::string& s) { return llvm::cast<llvm::Constant>(b_.CreateGlobalStringPtr(s)); };
  auto const_array = [&](llvm::Type* elt, const std::vector<llvm::Constant*>& items, const char* name) -> llvm::Constant* {
    if (items.empty())
      return llvm::ConstantPointerNull::get(ptr_);
    auto* ty = llvm::ArrayType::get(elt, items.size());
    return new llvm::GlobalVariable(m_, ty, true, llvm::GlobalValue::PrivateLinkage, llvm::ConstantArray::get(ty, items),
                                    name);
  };
  auto val_const = [&](uint64_t tag, llvm::Constant* bits) {
    return llvm::ConstantStruct::get(val_ty_, {llvm::ConstantInt::get(i64_, tag), bits});
  };
  auto func_val = [&](FuncInfo* f) -> llvm::Constant* {
    if (!f)
      return val_const(uint64_t(rt::Tag::None), llvm::ConstantInt::get(i64_, 0));
    Spec* gs = infer_.generic(types_.func(f, nullptr));
    llvm::Constant* entry = gs && generic_fns_.count(gs) ? static_cast<llvm::Constant*>(generic_fns_.at(gs))
                                                         : llvm::ConstantPointerNull::get(ptr_);
    auto* closure_ty = llvm::StructType::get(c_, {ptr_, ptr_});
    auto* closure = new llvm::GlobalVariable(m_, closure_ty, true, llvm::GlobalValue::PrivateLinkage,
                                             llvm::ConstantStruct::get(closure_ty, {entry, llvm::ConstantPointerNull::get(ptr_)}),
                                             "method." + f->qualname);
    return val_const(uint64_t(rt::Tag::Func), llvm::ConstantExpr::getPtrToInt(closure, i64_));
  };
  std::vector<llvm::Constant*> slots, names, kinds, values, setters;
  for (auto& s : ci->slots)
    slots.push_back(cstr(s));
  for (auto& [name, m] : ci->members) {
    using MK = ClassInfo::Member::Kind;
    names.push_back(cstr(name));
    kinds.push_back(llvm::ConstantInt::get(i64_, uint64_t(m.kind)));
    if (m.kind == MK::Value) {
      values.push_back(static_value(m.value, ci));
    } else {
      values.push_back(func_val(m.fn));
    }
    setters.push_back(func_val(m.setter));
  }
  int64_t exc_kind = ci->is_exception() ? int64_t(rt::exc_by_name(ci->builtin_base)) : -1;
  g->setInitializer(llvm::ConstantStruct::get(
      class_ty(), {cstr(ci->name), ci->base ? class_object(ci->base) : llvm::ConstantPointerNull::get(ptr_),
                   llvm::ConstantInt::get(i64_, uint64_t(exc_kind)), llvm::ConstantInt::get(i64_, slots.size()),
                   const_array(ptr_, slots, "slots"), llvm::ConstantInt::get(i64_, names.size()),
                   const_array(ptr_, names, "members"), const_array(i64_, kinds, "kinds"),
                   const_array(val_ty_, values, "values"), const_array(val_ty_, setters, "setters"),
                   llvm::ConstantInt::get(i64_, uint64_t(ci->index))}));
  return g;
}

llvm::StructType* Codegen::class_ty() {
  return llvm::StructType::get(c_, {ptr_, ptr_, i64_, i64_, ptr_, i64_, ptr_, ptr_, ptr_, ptr_, i64_});
}

void Codegen::class_table(const std::vector<ClassInfo*>& classes, const std::string& name) {
  std::vector<llvm::Constant*> items;
  for (ClassInfo* ci : classes)
    items.push_back(class_object(ci));
  auto* ty = llvm::ArrayType::get(ptr_, items.size());
  new llvm::GlobalVariable(m_, ty, true, llvm::GlobalValue::ExternalLinkage, llvm::ConstantArray::get(ty, items), name);
}

llvm::Constant* Codegen::static_value(const PyConst& c, ClassInfo* where) {
  auto val = [&](rt::Tag tag, llvm::Constant* bits) {
    return llvm::ConstantStruct::get(val_ty_, {llvm::ConstantInt::get(i64_, uint64_t(tag)), bits});
  };
  switch (c.t) {
  case PyConst::T::None: return val(rt::Tag::None, llvm::ConstantInt::get(i64_, 0));
  case PyConst::T::Bool: return val(rt::Tag::Bool, llvm::ConstantInt::get(i64_, uint64_t(c.i != 0)));
  case PyConst::T::Int: return val(rt::Tag::Int, llvm::ConstantInt::get(i64_, uint64_t(c.i)));
  case PyConst::T::Float: {
    uint64_t bits;
    std::memcpy(&bits, &c.f, 8);
    return val(rt::Tag::Float, llvm::ConstantInt::get(i64_, bits));
  }
  case PyConst::T::Str:
    return val(rt::Tag::Str, llvm::ConstantExpr::getPtrToInt(llvm::cast<llvm::Constant>(str_const(c.s)), i64_));
  case PyConst::T::Class: return val(rt::Tag::Class, llvm::ConstantExpr::getPtrToInt(class_object(c.cls), i64_));
  default:
    unsupported(where->file, where->line,
                "this kind of class attribute value in class " + where->name + " (ints, floats, str, bool, None)");
  }
}

V Codegen::construct(Node* n) {
  const Type* t = fn_->spec->types.at(n);
  ClassInfo* ci = t->is(T::Obj) ? t->cls : nullptr;
  if (!ci)
    return undef(t);
  llvm::Value* obj;
  if (ci->is_exception()) {
    // BaseException.__new__ keeps the call's arguments as args, whatever __init__ does
    std::vector<V> vals;
    for (auto* a : n->a)
      vals.push_back(expr(a));
    obj = b_.CreateCall(rt("shoal_rt_exc_instance", ptr_, {ptr_, ptr_, i64_, ptr_}),
                        {fn_->ctx, class_object(ci), c64(int64_t(vals.size())), val_array(vals)});
  } else {
    obj = b_.CreateCall(rt("shoal_rt_instance_new", ptr_, {ptr_}), {class_object(ci)});
  }
  V self{obj, t};
  auto it = fn_->spec->calls.find(n);
  const ClassInfo::Member* init = ci->lookup("__init__");
  if (it != fn_->spec->calls.end()) {
    bound_call(n, it->second, nullptr, {self}, it->second->ret);
  } else if (init && init->kind == ClassInfo::Member::Kind::Method) {
    std::string error;
    bind_args(init->fn, n, error, 1);
    for (auto* a : n->a)
      expr(a);
    for (auto* kw : n->b)
      expr(kw->x);
    if (!error.empty())
      raise_static(rt::ExcKind::TypeError, error);
    return undef(t);
  } else if (!ci->lookup("__init__") && !ci->is_exception() && (!n->a.empty() || !n->b.empty())) {
    raise_static(rt::ExcKind::TypeError, ci->name + "() takes no arguments");
  }
  return self;
}

V Codegen::method_call(Node* n) {
  Spec* s = fn_->spec;
  Node* attr = n->x;
  auto kind = s->call_kinds.at(n);
  if (kind == Spec::CallKind::Super) {
    V self = load_var_named(s->fn->params->names[0]);
    auto it = s->calls.find(n);
    if (it == s->calls.end()) { // BaseException.__init__(self, *args): sets args
      std::vector<V> vals;
      for (auto* a : n->a)
        vals.push_back(expr(a));
      V boxed = box(self);
      b_.CreateCall(rt("shoal_rt_exc_set_args", b_.getVoidTy(), {ptr_, i64_, i64_, i64_, ptr_}),
                    {fn_->ctx, tag_of(boxed), bits_of(boxed), c64(int64_t(vals.size())), val_array(vals)});
      return {b_.getInt8(0), types_.none()};
    }
    return bound_call(n, it->second, nullptr, {self});
  }
  V base = expr(attr->x);
  if (kind == Spec::CallKind::RuntimeMethod)
    return runtime_method(n, base);
  auto it = s->calls.find(n);
  if (it == s->calls.end()) {
    for (auto* a : n->a)
      expr(a);
    return undef(s->types.at(n));
  }
  std::vector<V> implicit;
  if (kind == Spec::CallKind::ClassMethod)
    implicit.push_back({b_.getInt8(0), it->second->args[0]});
  else if (base.t->is(T::Obj) && !it->second->args.empty() && bind_implicit(it->second, n))
    implicit.push_back(base);
  return bound_call(n, it->second, nullptr, implicit);
}

bool Codegen::bind_implicit(Spec* callee, Node* n) {
  // obj.method(...) binds obj as self unless the member is a staticmethod
  const Type* base = fn_->spec->types.at(n->x->x);
  auto* m = base->cls->lookup(n->x->s);
  return m && m->kind == ClassInfo::Member::Kind::Method && callee->fn == m->fn;
}

} // namespace shoal::compiler

namespace shoal::compiler {

// ---- generators ---------------------------------------------------------------------------------
// A generator function is an LLVM coroutine (switched-resume lowering). Calling it runs the ramp:
// it allocates the frame (collected memory), fills a run-time GenIter with the handle and suspends
// at once, returning the iterator. next() resumes the frame; `yield v` stores v in the GenIter and
// suspends; falling off the end, returning or raising marks it done and suspends for good.

namespace {
constexpr uint64_t gen_handle_offset = 16, gen_value_offset = 24, gen_done_offset = 40, gen_result_offset = 56;
} // namespace

void Codegen::generator_begin() {
  Fn& fn = *fn_;
  fn.f->setPresplitCoroutine();
  b_.CreateStore(make_val(uint64_t(rt::Tag::None), c64(0)), fn.ret_slot); // returned so far: None
  fn.gen.state = b_.CreateCall(rt("shoal_rt_gen_new", ptr_, {}), {});
  llvm::Value* null = llvm::ConstantPointerNull::get(ptr_);
  llvm::Value* id = b_.CreateIntrinsic(llvm::Intrinsic::coro_id, {}, {b_.getInt32(16), null, null, null});
  llvm::Value* size = b_.CreateIntrinsic(llvm::Intrinsic::coro_size, {i64_}, {});
  llvm::Value* mem = b_.CreateCall(rt("shoal_rt_alloc", ptr_, {i64_}), {size});
  fn.gen.hdl = b_.CreateIntrinsic(llvm::Intrinsic::coro_begin, {}, {id, mem});
  b_.CreateStore(fn.gen.hdl, b_.CreateConstInBoundsGEP1_64(i8_, fn.gen.state, gen_handle_offset));
  BasicBlock* here = b_.GetInsertBlock();
  fn.gen.suspended = block("gen.suspended");
  fn.gen.cleanup = block("gen.cleanup");
  fn.gen.final_bb = block("gen.final");
  b_.SetInsertPoint(fn.gen.suspended);
  b_.CreateIntrinsic(llvm::Intrinsic::coro_end, {}, {fn.gen.hdl, b_.getInt1(false), llvm::ConstantTokenNone::get(c_)});
  b_.CreateRet(make_val(uint64_t(rt::Tag::Iter), b_.CreatePtrToInt(fn.gen.state, i64_)));
  b_.SetInsertPoint(fn.gen.cleanup); // the frame is collected memory: nothing to free
  b_.CreateBr(fn.gen.suspended);
  b_.SetInsertPoint(fn.gen.final_bb);
  b_.CreateStore(c64(1), b_.CreateConstInBoundsGEP1_64(i8_, fn.gen.state, gen_done_offset));
  b_.CreateStore(b_.CreateLoad(val_ty_, fn.ret_slot), // what it returned (None when it fell off the end)
                 b_.CreateConstInBoundsGEP1_64(i8_, fn.gen.state, gen_result_offset));
  generator_suspend(true);
  b_.CreateUnreachable(); // resuming a finished generator never happens: next() checks done first
  b_.SetInsertPoint(here);
  generator_suspend(false); // the body runs on the first next()
}

void Codegen::generator_suspend(bool final) {
  llvm::Value* s = b_.CreateIntrinsic(llvm::Intrinsic::coro_suspend, {},
                                      {llvm::ConstantTokenNone::get(c_), b_.getInt1(final)});
  BasicBlock* resume = block("gen.resume");
  auto* sw = b_.CreateSwitch(s, fn_->gen.suspended, 2);
  sw->addCase(b_.getInt8(0), resume);
  sw->addCase(b_.getInt8(1), fn_->gen.cleanup);
  b_.SetInsertPoint(resume);
}

V Codegen::yield_expr(Node* n) {
  if (!fn_->gen.state)
    unsupported(fn_->spec->fn->file, n->line, "'yield' here");
  V v = n->x ? box(expr(n->x)) : box({b_.getInt8(0), types_.none()});
  b_.CreateStore(v.v, b_.CreateConstInBoundsGEP1_64(i8_, fn_->gen.state, gen_value_offset));
  generator_suspend(false);
  return {b_.getInt8(0), types_.none()};
}

} // namespace shoal::compiler
