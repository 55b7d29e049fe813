#include "compiler/compiler.hpp"

#include "bus/shoal.capnp.h"
#include "compiler/codegen.hpp"
#include "compiler/jit.hpp"

#include <capnp/serialize.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <chrono>
#include <mutex>
#include <unordered_map>

namespace shoal::compiler {

struct Compiler::Impl {
  std::unique_ptr<Jit> jit;
  std::mutex mu;         ///< guards cache
  std::mutex compile_mu; ///< one compilation at a time
  std::unordered_map<std::string, CompileResult> cache; ///< entry, nparams and classes of each compiled key
  uint64_t counter = 0;
};

namespace {

/// FNV-1a over the canonical encoding of the program: equal programs hash equally.
std::string program_key(wire::Program::Reader prog) {
  auto words = capnp::canonicalize(prog);
  auto bytes = words.asBytes();
  uint64_t h = 1469598103934665603ull;
  for (auto b : bytes)
    h = (h ^ b) * 1099511628211ull;
  return std::to_string(h) + ":" + std::to_string(bytes.size());
}

/// A short string naming a value's compile-time type, for the cache key.
std::string type_key(wire::Value::Reader v, bool wide) {
  switch (v.which()) {
  case wire::Value::NONE: return "n";
  case wire::Value::BOOL: return "b";
  case wire::Value::INT: return wide ? "d" : "i";
  case wire::Value::BIG_INT: return "d";
  case wire::Value::FLOAT: return "f";
  case wire::Value::STR: return "s";
  case wire::Value::TUPLE: {
    std::string s = "(";
    for (auto item : v.getTuple())
      s += type_key(item, wide) + ",";
    return s + ")";
  }
  case wire::Value::FUNCTION: return "F" + std::to_string(v.getFunction());
  case wire::Value::MODULE: return "M" + std::string(v.getModule().cStr());
  case wire::Value::BUILTIN: return "B" + std::string(v.getBuiltin().cStr());
  case wire::Value::UNSUPPORTED: return "U";
  case wire::Value::LIST: return "L"; // containers' items are boxed: one specialisation serves all
  case wire::Value::DICT: return "D";
  case wire::Value::SET: return "S";
  case wire::Value::FROZENSET: return "Z";
  case wire::Value::CLASS: return "C" + std::to_string(v.getClass());
  case wire::Value::INSTANCE: return "I" + std::to_string(v.getInstance().getCls());
  }
  return "?";
}

bool wants(const std::string& dump, const char* stage) {
  return ("," + dump + ",").find(std::string(",") + stage + ",") != std::string::npos;
}

/// The typed IR: each specialisation with its variables and the type of every expression.
std::string dump_ir(Infer& inf) {
  std::string out;
  for (auto& s : inf.specs()) {
    out += "spec " + s->str() + "\n";
    for (auto& [name, t] : s->vars)
      out += "  var " + name + ": " + (t ? t->str() : "?") + "\n";
    out += compiler::dump(s->fn->node, 2, [&](const Node* n) {
      auto it = s->types.find(n);
      std::string note = it == s->types.end() ? "" : it->second->str();
      if (auto c = s->calls.find(n); c != s->calls.end())
        note += " calls " + c->second->str();
      return note;
    });
  }
  return out;
}

} // namespace

Compiler::Compiler() : impl_(std::make_unique<Impl>()) { impl_->jit = std::make_unique<Jit>(); }
Compiler::~Compiler() = default;

CompileResult Compiler::compile(const void* program_reader, uint32_t entry, const void* args_reader,
                                const void* kwargs_reader, bool wide, const std::string& dump, bool only_cached) {
  auto start = std::chrono::steady_clock::now();
  auto prog_r = *static_cast<const wire::Program::Reader*>(program_reader);
  auto args_r = *static_cast<const capnp::List<wire::Value>::Reader*>(args_reader);
  auto kwargs_r = *static_cast<const capnp::List<wire::Binding>::Reader*>(kwargs_reader);
  CompileResult res;
  std::string key = program_key(prog_r) + "/" + std::to_string(entry) + "/" + (wide ? "w" : "n");
  for (auto a : args_r)
    key += type_key(a, wide);
  for (auto kw : kwargs_r)
    key += std::string(kw.getName().cStr()) + "=" + type_key(kw.getValue(), wide);
  auto lookup = [&] {
    std::lock_guard<std::mutex> lock(impl_->mu);
    auto it = impl_->cache.find(key);
    if (!dump.empty() || it == impl_->cache.end())
      return false;
    res.entry = it->second.entry;
    res.nparams = it->second.nparams;
    res.classes = it->second.classes;
    res.nclasses = it->second.nclasses;
    res.parallel = it->second.parallel;
    res.cache_hit = true;
    return true;
  };
  if (lookup() || only_cached)
    return res;
  std::lock_guard<std::mutex> compiling(impl_->compile_mu);
  if (lookup())
    return res;
  try {
    auto prog = load_program(&prog_r);
    if (entry >= prog->top.size())
      throw CompileError("TypeError", "<wire>", 0, "entry function index out of range");
    FuncInfo* fn = prog->top[entry];
    res.parallel = std::make_shared<const std::vector<ParDecision>>(prog->parallel);
    if (wants(dump, "ast"))
      res.dumps.emplace_back("ast", compiler::dump(fn->node));
    Types types;
    types.wide = wide;
    // bind positional and keyword arguments to the entry's parameters
    const Params& p = *fn->params;
    std::vector<std::string> names = p.names;
    names.insert(names.end(), p.kwonly.begin(), p.kwonly.end());
    std::vector<const Type*> arg_types(names.size(), nullptr);
    // the client binds every parameter in order, keyword-only ones after the positional ones
    if (args_r.size() > names.size())
      throw CompileError("TypeError", fn->file, fn->node->line,
                         fn->name + "() takes " + std::to_string(names.size()) + " arguments but " +
                             std::to_string(args_r.size()) + " were given");
    for (unsigned i = 0; i < args_r.size(); ++i) {
      auto v = args_r[i];
      arg_types[i] = const_type(types, read_value(&v, *prog), fn->file, fn->node->line);
    }
    for (auto kw : kwargs_r) {
      auto it = std::find(names.begin(), names.end(), std::string(kw.getName().cStr()));
      if (it == names.end())
        throw CompileError("TypeError", fn->file, fn->node->line,
                           fn->name + "() got an unexpected keyword argument '" + std::string(kw.getName().cStr()) + "'");
      auto v = kw.getValue();
      arg_types[size_t(it - names.begin())] = const_type(types, read_value(&v, *prog), fn->file, fn->node->line);
    }
    for (size_t i = 0; i < names.size(); ++i)
      if (!arg_types[i])
        throw CompileError("TypeError", fn->file, fn->node->line,
                           "internal: argument '" + names[i] + "' was not bound by the client");
    Infer inf(*prog, types);
    Spec* spec = inf.run(fn, arg_types);
    if (wants(dump, "ir"))
      res.dumps.emplace_back("ir", dump_ir(inf));
    auto ctx = std::make_unique<llvm::LLVMContext>();
    auto mod = std::make_unique<llvm::Module>("shoal", *ctx);
    mod->setDataLayout(impl_->jit->data_layout());
    mod->setTargetTriple(impl_->jit->target_triple());
    std::string wrapper = "shoal_entry_" + std::to_string(++impl_->counter);
    Codegen cg(*ctx, *mod, inf, types);
    cg.emit_all(spec, wrapper);
    std::vector<ClassInfo*> classes;
    for (auto& c : prog->classes)
      classes.push_back(c.get());
    if (!classes.empty())
      cg.class_table(classes, wrapper + ".classes");
    std::string verify;
    llvm::raw_string_ostream vs(verify);
    if (llvm::verifyModule(*mod, &vs))
      throw CompileError("UnsupportedError", fn->file, fn->node->line, "internal: invalid LLVM IR: " + vs.str());
    impl_->jit->optimise(*mod);
    if (wants(dump, "llvm")) {
      std::string text;
      llvm::raw_string_ostream os(text);
      mod->print(os, nullptr);
      res.dumps.emplace_back("llvm", os.str());
    }
    res.entry = reinterpret_cast<EntryFn>(impl_->jit->add(std::move(mod), std::move(ctx), wrapper));
    res.nparams = names.size();
    if (!classes.empty()) {
      res.classes = static_cast<const void* const*>(impl_->jit->lookup(wrapper + ".classes"));
      res.nclasses = classes.size();
    }
    std::lock_guard<std::mutex> lock(impl_->mu);
    CompileResult cached;
    cached.entry = res.entry;
    cached.nparams = res.nparams;
    cached.classes = res.classes;
    cached.nclasses = res.nclasses;
    cached.parallel = res.parallel;
    impl_->cache[key] = cached;
  } catch (const CompileError& e) {
    res.error_type = e.type();
    res.error_message = e.what();
    res.error_file = e.file();
    res.error_line = e.line();
  } catch (const std::exception& e) {
    res.error_type = "UnsupportedError";
    res.error_message = std::string("internal compiler error: ") + e.what();
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return res;
}

} // namespace shoal::compiler
