#include "python/bridge.hpp"

#include "actors/cluster.hpp"
#include "bus/codec.hpp"
#include "bus/shoal.capnp.h"

#include <capnp/message.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

using namespace shoal;

namespace {

PyObject* ref_marker = nullptr; ///< first item of (marker, kind, payload) reference tuples

/// Raised while encoding: becomes a Python exception of the given type.
struct py_error : std::runtime_error {
  PyObject* type;
  py_error(PyObject* t, const std::string& m) : std::runtime_error(m), type(t) {}
};

struct Future {
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  bus::bytes data;
};

std::string to_string(PyObject* o) {
  Py_ssize_t n = 0;
  const char* s = PyUnicode_AsUTF8AndSize(o, &n);
  if (!s)
    throw py_error(PyExc_TypeError, "expected a str");
  return std::string(s, size_t(n));
}

/// A new reference to attribute name, or nullptr (error cleared) when missing.
PyObject* attr(PyObject* o, const char* name) {
  PyObject* r = PyObject_GetAttrString(o, name);
  if (!r)
    PyErr_Clear();
  return r;
}

struct Ref {
  PyObject* p;
  explicit Ref(PyObject* o) : p(o) {}
  ~Ref() { Py_XDECREF(p); }
  Ref(const Ref&) = delete;
  PyObject* get() const { return p; }
};

// ---- encoding ---------------------------------------------------------------------------------

/// An int in the wire's hex form ("-0x1f"): no 4300-digit limit, linear time.
std::string hex_of(PyObject* v) {
  Ref s(PyNumber_ToBase(v, 16));
  if (!s.get())
    throw py_error(PyExc_ValueError, "cannot encode an int");
  return to_string(s.get());
}

void encode_ast(PyObject* node, wire::Ast::Builder b);

/// None, bool, int, float and str, into either an AstValue or a Value; false for anything else.
template <class Builder>
bool encode_scalar(PyObject* v, Builder b) {
  if (v == Py_None) {
    b.setNone();
  } else if (PyBool_Check(v)) {
    b.setBool(v == Py_True);
  } else if (PyLong_Check(v)) {
    int overflow = 0;
    long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (overflow)
      b.setBigInt(hex_of(v));
    else
      b.setInt(x);
  } else if (PyFloat_Check(v)) {
    b.setFloat(PyFloat_AsDouble(v));
  } else if (PyUnicode_Check(v)) {
    std::string text = to_string(v);
    b.setStr(capnp::Text::Reader(text.c_str(), text.size()));
  } else {
    return false;
  }
  return true;
}

void encode_ast_value(PyObject* v, wire::AstValue::Builder b) {
  if (encode_scalar(v, b)) {
    return;
  } else if (v == Py_Ellipsis) {
    b.setEllipsis();
  } else if (PyBytes_Check(v)) {
    b.setBytes(kj::arrayPtr(reinterpret_cast<const kj::byte*>(PyBytes_AS_STRING(v)), size_t(PyBytes_GET_SIZE(v))));
  } else if (PyList_Check(v)) {
    Py_ssize_t n = PyList_GET_SIZE(v);
    auto list = b.initList(unsigned(n));
    for (Py_ssize_t i = 0; i < n; ++i)
      encode_ast_value(PyList_GET_ITEM(v, i), list[unsigned(i)]);
  } else if (Ref fields(attr(v, "_fields")); fields.get()) {
    encode_ast(v, b.initNode());
  } else {
    // a constant of a type the compiler does not know (complex, frozenset): a node it rejects
    auto n = b.initNode();
    n.setKind(std::string("Constant<") + Py_TYPE(v)->tp_name + ">");
  }
}

void encode_ast(PyObject* node, wire::Ast::Builder b) {
  Ref name(attr(reinterpret_cast<PyObject*>(Py_TYPE(node)), "__name__"));
  b.setKind(name.get() ? to_string(name.get()) : "?");
  if (Ref line(attr(node, "lineno")); line.get() && PyLong_Check(line.get()))
    b.setLine(uint32_t(PyLong_AsLong(line.get())));
  if (Ref col(attr(node, "col_offset")); col.get() && PyLong_Check(col.get()))
    b.setCol(uint32_t(PyLong_AsLong(col.get())));
  Ref fields(attr(node, "_fields"));
  if (!fields.get() || !PyTuple_Check(fields.get()))
    return;
  Py_ssize_t n = PyTuple_GET_SIZE(fields.get());
  auto out = b.initFields(unsigned(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* fname = PyTuple_GET_ITEM(fields.get(), i);
    out[unsigned(i)].setName(to_string(fname));
    Ref value(PyObject_GetAttr(node, fname));
    if (!value.get()) {
      PyErr_Clear();
      out[unsigned(i)].initValue().setNone();
      continue;
    }
    encode_ast_value(value.get(), out[unsigned(i)].initValue());
  }
}

void encode_value(PyObject* v, wire::Value::Builder b) {
  if (encode_scalar(v, b)) {
    return;
  } else if (PyTuple_Check(v) && PyTuple_GET_SIZE(v) == 3 && PyTuple_GET_ITEM(v, 0) == ref_marker) {
    std::string kind = to_string(PyTuple_GET_ITEM(v, 1));
    PyObject* payload = PyTuple_GET_ITEM(v, 2);
    if (kind == "function")
      b.setFunction(uint32_t(PyLong_AsLong(payload)));
    else if (kind == "module")
      b.setModule(to_string(payload));
    else if (kind == "builtin")
      b.setBuiltin(to_string(payload));
    else if (kind == "class")
      b.setClass(uint32_t(PyLong_AsLong(payload)));
    else if (kind == "instance") { // payload: (class index, [(name, value), ...])
      auto inst = b.initInstance();
      inst.setCls(uint32_t(PyLong_AsLong(PyTuple_GET_ITEM(payload, 0))));
      PyObject* attrs = PyTuple_GET_ITEM(payload, 1);
      auto out = inst.initAttrs(unsigned(PyList_GET_SIZE(attrs)));
      for (Py_ssize_t i = 0; i < PyList_GET_SIZE(attrs); ++i) {
        PyObject* pair = PyList_GET_ITEM(attrs, i);
        out[unsigned(i)].setName(to_string(PyTuple_GET_ITEM(pair, 0)));
        encode_value(PyTuple_GET_ITEM(pair, 1), out[unsigned(i)].initValue());
      }
    } else
      b.setUnsupported(to_string(payload));
  } else if (PyTuple_Check(v)) {
    Py_ssize_t n = PyTuple_GET_SIZE(v);
    auto items = b.initTuple(unsigned(n));
    for (Py_ssize_t i = 0; i < n; ++i)
      encode_value(PyTuple_GET_ITEM(v, i), items[unsigned(i)]);
  } else if (PyList_Check(v)) {
    Py_ssize_t n = PyList_GET_SIZE(v);
    auto items = b.initList(unsigned(n));
    for (Py_ssize_t i = 0; i < n; ++i)
      encode_value(PyList_GET_ITEM(v, i), items[unsigned(i)]);
  } else if (PyDict_Check(v)) {
    auto items = b.initDict(unsigned(2 * PyDict_Size(v)));
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    unsigned i = 0;
    while (PyDict_Next(v, &pos, &key, &value)) {
      encode_value(key, items[i++]);
      encode_value(value, items[i++]);
    }
  } else if (PyAnySet_Check(v)) {
    auto items = PyFrozenSet_Check(v) ? b.initFrozenset(unsigned(PySet_GET_SIZE(v))) : b.initSet(unsigned(PySet_GET_SIZE(v)));
    PyObject* it = PyObject_GetIter(v);
    unsigned i = 0;
    while (PyObject* item = PyIter_Next(it)) {
      encode_value(item, items[i++]);
      Py_DECREF(item);
    }
    Py_DECREF(it);
  } else {
    b.setUnsupported(Py_TYPE(v)->tp_name);
  }
}

void encode_bindings(PyObject* list, capnp::List<wire::Binding>::Builder out) {
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); ++i) {
    PyObject* pair = PyList_GET_ITEM(list, i);
    out[unsigned(i)].setName(to_string(PyTuple_GET_ITEM(pair, 0)));
    encode_value(PyTuple_GET_ITEM(pair, 1), out[unsigned(i)].initValue());
  }
}

/// functions: list of (name, qualname, file, firstline, ast, globals, closure, defaults, kwdefaults)
void encode_function(PyObject* f, wire::Function::Builder b) {
  if (!PyTuple_Check(f) || PyTuple_GET_SIZE(f) != 9)
    throw py_error(PyExc_TypeError, "function record must be a 9-tuple");
  b.setName(to_string(PyTuple_GET_ITEM(f, 0)));
  b.setQualname(to_string(PyTuple_GET_ITEM(f, 1)));
  b.setFile(to_string(PyTuple_GET_ITEM(f, 2)));
  b.setFirstLine(uint32_t(PyLong_AsLong(PyTuple_GET_ITEM(f, 3))));
  encode_ast(PyTuple_GET_ITEM(f, 4), b.initAst());
  PyObject* globals = PyTuple_GET_ITEM(f, 5);
  PyObject* closure = PyTuple_GET_ITEM(f, 6);
  PyObject* defaults = PyTuple_GET_ITEM(f, 7);
  PyObject* kwdefaults = PyTuple_GET_ITEM(f, 8);
  encode_bindings(globals, b.initGlobals(unsigned(PyList_GET_SIZE(globals))));
  encode_bindings(closure, b.initClosure(unsigned(PyList_GET_SIZE(closure))));
  auto d = b.initDefaults(unsigned(PyTuple_GET_SIZE(defaults)));
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(defaults); ++i)
    encode_value(PyTuple_GET_ITEM(defaults, i), d[unsigned(i)]);
  encode_bindings(kwdefaults, b.initKwDefaults(unsigned(PyList_GET_SIZE(kwdefaults))));
}

// ---- decoding ---------------------------------------------------------------------------------

thread_local PyObject* result_classes = nullptr; ///< the call's classes (a list), to rebuild instances
thread_local std::string nested_unsupported;    ///< the first value in a result that could not travel

/// An instance of one of the call's classes, rebuilt from its attributes without running __init__.
PyObject* decode_instance(wire::Instance::Reader w);

PyObject* decode_value(wire::Value::Reader v) {
  switch (v.which()) {
  case wire::Value::NONE: Py_RETURN_NONE;
  case wire::Value::BOOL: return PyBool_FromLong(v.getBool());
  case wire::Value::INT: return PyLong_FromLongLong(v.getInt());
  case wire::Value::BIG_INT: return PyLong_FromString(v.getBigInt().cStr(), nullptr, 16);
  case wire::Value::FLOAT: return PyFloat_FromDouble(v.getFloat());
  case wire::Value::STR: return PyUnicode_FromStringAndSize(v.getStr().cStr(), Py_ssize_t(v.getStr().size()));
  case wire::Value::TUPLE: {
    auto items = v.getTuple();
    PyObject* t = PyTuple_New(Py_ssize_t(items.size()));
    for (unsigned i = 0; i < items.size(); ++i) {
      PyObject* item = decode_value(items[i]);
      if (!item) {
        Py_DECREF(t);
        return nullptr;
      }
      PyTuple_SET_ITEM(t, Py_ssize_t(i), item);
    }
    return t;
  }
  case wire::Value::LIST:
  case wire::Value::SET:
  case wire::Value::FROZENSET: {
    auto items = v.isList() ? v.getList() : v.isSet() ? v.getSet() : v.getFrozenset();
    PyObject* l = PyList_New(Py_ssize_t(items.size()));
    for (unsigned i = 0; i < items.size(); ++i) {
      PyObject* item = decode_value(items[i]);
      if (!item) {
        Py_DECREF(l);
        return nullptr;
      }
      PyList_SET_ITEM(l, Py_ssize_t(i), item);
    }
    if (v.isList())
      return l;
    PyObject* s = v.isSet() ? PySet_New(l) : PyFrozenSet_New(l);
    Py_DECREF(l);
    return s;
  }
  case wire::Value::DICT: {
    auto items = v.getDict();
    PyObject* d = PyDict_New();
    for (unsigned i = 0; i + 1 < items.size(); i += 2) {
      PyObject* k = decode_value(items[i]);
      PyObject* x = k ? decode_value(items[i + 1]) : nullptr;
      if (!x || PyDict_SetItem(d, k, x) < 0) {
        Py_XDECREF(k);
        Py_XDECREF(x);
        Py_DECREF(d);
        return nullptr;
      }
      Py_DECREF(k);
      Py_DECREF(x);
    }
    return d;
  }
  case wire::Value::INSTANCE: return decode_instance(v.getInstance());
  default: {
    const char* name = v.hasUnsupported() ? v.getUnsupported().cStr() : "value";
    if (nested_unsupported.empty())
      nested_unsupported = name;
    return Py_BuildValue("(Os)", ref_marker, name);
  }
  }
}

PyObject* decode_instance(wire::Instance::Reader w) {
  if (!result_classes || !PyList_Check(result_classes) || w.getCls() >= size_t(PyList_GET_SIZE(result_classes)))
    return Py_BuildValue("(Os)", ref_marker, "instance of an unknown class");
  PyObject* cls = PyList_GET_ITEM(result_classes, Py_ssize_t(w.getCls()));
  PyObject* obj = PyObject_CallMethod(cls, "__new__", "O", cls);
  if (!obj)
    return nullptr;
  PyObject* dict = PyObject_GetAttrString(obj, "__dict__");
  if (!dict) {
    Py_DECREF(obj);
    return nullptr;
  }
  for (auto b : w.getAttrs()) {
    PyObject* x = decode_value(b.getValue());
    if (!x || PyDict_SetItemString(dict, b.getName().cStr(), x) < 0) {
      Py_XDECREF(x);
      Py_DECREF(dict);
      Py_DECREF(obj);
      return nullptr;
    }
    Py_DECREF(x);
  }
  Py_DECREF(dict);
  return obj;
}

PyObject* decode_result(const bus::bytes& data) {
  bus::message_in in(data);
  if (!in.ok()) {
    PyErr_SetString(PyExc_RuntimeError, ("shoal: malformed result: " + in.error()).c_str());
    return nullptr;
  }
  PyObject* out = nullptr;
  std::string err = bus::guarded([&] {
    auto r = in.root<wire::CallResult>();
    PyObject* dumps = PyList_New(0);
    for (auto d : r.getDumps()) {
      PyObject* pair = Py_BuildValue("(ss)", d.getName().cStr(), d.getValue().getStr().cStr());
      PyList_Append(dumps, pair);
      Py_DECREF(pair);
    }
    auto st = r.getStats();
    PyObject* stats = Py_BuildValue("{s:d,s:d,s:O,s:O}", "compile_seconds", st.getCompileSeconds(),
                                    "run_seconds", st.getRunSeconds(), "cache_hit",
                                    st.getCacheHit() ? Py_True : Py_False, "deoptimised",
                                    st.getDeoptimised() ? Py_True : Py_False);
    PyObject* splits = PyList_New(0);
    for (auto sp : r.getSplits()) {
      PyObject* t = Py_BuildValue("(LLsILLidd)", (long long)sp.getId(), (long long)sp.getParent(), sp.getWhat().cStr(),
                                  sp.getLine(), (long long)sp.getLo(), (long long)sp.getHi(), sp.getWorker(),
                                  sp.getStart(), sp.getSeconds());
      PyList_Append(splits, t);
      Py_DECREF(t);
    }
    PyDict_SetItemString(stats, "splits", splits);
    Py_DECREF(splits);
    PyDict_SetItemString(stats, "splits_truncated", r.getSplitsTruncated() ? Py_True : Py_False);
    PyObject* decisions = PyList_New(0);
    for (auto d : r.getExplain()) {
      PyObject* t = Py_BuildValue("(sIsOs)", d.getFile().cStr(), d.getLine(), d.getConstruct().cStr(),
                                  d.getParallel() ? Py_True : Py_False, d.getReason().cStr());
      PyList_Append(decisions, t);
      Py_DECREF(t);
    }
    PyDict_SetItemString(stats, "parallel", decisions);
    Py_DECREF(decisions);
    PyObject* out_text = PyUnicode_FromStringAndSize(r.getStdout().cStr(), Py_ssize_t(r.getStdout().size()));
    if (r.isError()) {
      auto e = r.getError();
      PyObject* frames = PyList_New(0);
      for (auto f : e.getTraceback()) {
        PyObject* fr = Py_BuildValue("(ssI)", f.getFile().cStr(), f.getFunction().cStr(), f.getLine());
        PyList_Append(frames, fr);
        Py_DECREF(fr);
      }
      PyObject* args = PyTuple_New(Py_ssize_t(e.getArgs().size()));
      for (unsigned k = 0; k < e.getArgs().size(); ++k) {
        PyObject* a = decode_value(e.getArgs()[k]);
        if (!a) {
          PyErr_Clear();
          a = Py_BuildValue("(Os)", ref_marker, "value");
        }
        PyTuple_SET_ITEM(args, Py_ssize_t(k), a);
      }
      PyList_Append(frames, args); // the exception's args ride as the last item of frames
      Py_DECREF(args);
      out = Py_BuildValue("(sssNNNN)", "error", e.getType().cStr(), e.getMessage().cStr(), frames, out_text,
                          stats, dumps);
    } else {
      nested_unsupported.clear();
      PyObject* value = decode_value(r.getValue());
      if (value && !nested_unsupported.empty()) { // anywhere inside: the whole result cannot leave
        Py_DECREF(value);
        value = Py_BuildValue("(Os)", ref_marker, nested_unsupported.c_str());
      }
      if (!value)
        value = Py_BuildValue("(Os)", ref_marker, "undecodable value");
      out = Py_BuildValue("(sONNN)", "value", value, out_text, stats, dumps);
      Py_DECREF(value);
    }
  });
  if (!err.empty()) {
    Py_XDECREF(out);
    PyErr_SetString(PyExc_RuntimeError, ("shoal: " + err).c_str());
    return nullptr;
  }
  return out;
}

// ---- capsules ---------------------------------------------------------------------------------

const char* cluster_capsule = "shoal.cluster";
const char* future_capsule = "shoal.future";

void release_cluster(PyObject* cap) {
  auto* c = static_cast<actors::Cluster*>(PyCapsule_GetPointer(cap, cluster_capsule));
  if (!c)
    return;
  Py_BEGIN_ALLOW_THREADS delete c;
  Py_END_ALLOW_THREADS
}

void release_future(PyObject* cap) {
  delete static_cast<std::shared_ptr<Future>*>(PyCapsule_GetPointer(cap, future_capsule));
}

actors::Cluster* cluster_of(PyObject* cap) {
  return static_cast<actors::Cluster*>(PyCapsule_GetPointer(cap, cluster_capsule));
}

template <class F>
PyObject* guard(F&& f) {
  try {
    return f();
  } catch (const py_error& e) {
    PyErr_SetString(e.type, e.what());
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
}

// ---- module functions ---------------------------------------------------------------------

PyObject* py_set_ref_marker(PyObject*, PyObject* marker) {
  Py_XDECREF(ref_marker);
  Py_INCREF(marker);
  ref_marker = marker;
  Py_RETURN_NONE;
}

PyObject* py_start_embedded(PyObject*, PyObject* args) {
  unsigned workers;
  unsigned recursion_limit;
  long long memory_limit;
  const char* data_dir = "";
  if (!PyArg_ParseTuple(args, "IIL|s", &workers, &recursion_limit, &memory_limit, &data_dir))
    return nullptr;
  return guard([&]() -> PyObject* {
    actors::NodeOptions opts;
    opts.data_dir = data_dir;
    opts.workers = workers;
    opts.limits.recursion_limit = recursion_limit;
    opts.limits.memory_limit = memory_limit;
    std::unique_ptr<actors::Cluster> c;
    Py_BEGIN_ALLOW_THREADS c = actors::Cluster::embedded(opts);
    Py_END_ALLOW_THREADS return PyCapsule_New(c.release(), cluster_capsule, release_cluster);
  });
}

/// status(cluster, call_id) -> dict: workers, busy, pieces_done, pieces_queued, call (dict or
/// None), profile [(key, calls, total, mean, model)], model_file.
PyObject* py_status(PyObject*, PyObject* args) {
  PyObject* cap;
  unsigned long long call_id;
  if (!PyArg_ParseTuple(args, "OK", &cap, &call_id))
    return nullptr;
  auto* c = cluster_of(cap);
  if (!c)
    return nullptr;
  return guard([&]() -> PyObject* {
    capnp::MallocMessageBuilder mb;
    mb.initRoot<wire::StatusRequest>().setCallId(call_id);
    bus::bytes req = bus::encode(mb), reply;
    std::string error;
    Py_BEGIN_ALLOW_THREADS try {
      reply = c->status(req);
    } catch (const std::exception& e) {
      error = e.what();
    }
    Py_END_ALLOW_THREADS if (!error.empty()) throw py_error(PyExc_ConnectionError, "shoal: " + error);
    bus::message_in in(reply);
    if (!in.ok())
      throw py_error(PyExc_RuntimeError, "shoal: malformed status: " + in.error());
    auto st = in.root<wire::NodeStatus>();
    PyObject* profile = PyList_New(0);
    for (auto f : st.getProfile()) {
      PyObject* row = Py_BuildValue("(sKdds)", f.getKey().cStr(), (unsigned long long)f.getCalls(), f.getTotal(),
                                    f.getMean(), f.getModel().cStr());
      PyList_Append(profile, row);
      Py_DECREF(row);
    }
    auto call = st.getCall();
    PyObject* call_obj = call.getFound() ? Py_BuildValue("{s:d,s:d}", "elapsed", call.getElapsed(), "predicted",
                                                         call.getPredicted())
                                         : (Py_INCREF(Py_None), Py_None);
    return Py_BuildValue("{s:I,s:I,s:K,s:K,s:N,s:N,s:s}", "workers", st.getWorkers(), "busy", st.getBusy(),
                         "pieces_done", (unsigned long long)st.getPiecesDone(), "pieces_queued",
                         (unsigned long long)st.getPiecesQueued(), "call", call_obj, "profile", profile,
                         "model_file", st.getModelFile().cStr());
  });
}

PyObject* py_connect(PyObject*, PyObject* args) {
  const char* host;
  unsigned port;
  if (!PyArg_ParseTuple(args, "sI", &host, &port))
    return nullptr;
  std::string h = host;
  return guard([&]() -> PyObject* {
    std::unique_ptr<actors::Cluster> c;
    std::string error;
    Py_BEGIN_ALLOW_THREADS try {
      c = actors::Cluster::remote(h, uint16_t(port));
    } catch (const std::exception& e) {
      error = e.what();
    }
    Py_END_ALLOW_THREADS if (!c) {
      PyErr_SetString(PyExc_ConnectionError, error.c_str());
      return nullptr;
    }
    return PyCapsule_New(c.release(), cluster_capsule, release_cluster);
  });
}

PyObject* py_close(PyObject*, PyObject* cap) {
  auto* c = cluster_of(cap);
  if (!c)
    return nullptr;
  PyCapsule_SetPointer(cap, reinterpret_cast<void*>(1)); // released: never deleted twice
  PyCapsule_SetDestructor(cap, nullptr);
  Py_BEGIN_ALLOW_THREADS delete c;
  Py_END_ALLOW_THREADS Py_RETURN_NONE;
}

/// classes: list of (name, qualname, file, firstline, bases, members [(name, kind, value, setter)])
void encode_class(PyObject* c, wire::Class::Builder b) {
  if (!PyTuple_Check(c) || PyTuple_GET_SIZE(c) != 6)
    throw py_error(PyExc_TypeError, "class record must be a 6-tuple");
  b.setName(to_string(PyTuple_GET_ITEM(c, 0)));
  b.setQualname(to_string(PyTuple_GET_ITEM(c, 1)));
  b.setFile(to_string(PyTuple_GET_ITEM(c, 2)));
  b.setFirstLine(uint32_t(PyLong_AsLong(PyTuple_GET_ITEM(c, 3))));
  PyObject* bases = PyTuple_GET_ITEM(c, 4);
  auto bs = b.initBases(unsigned(PyList_GET_SIZE(bases)));
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(bases); ++i)
    encode_value(PyList_GET_ITEM(bases, i), bs[unsigned(i)]);
  PyObject* members = PyTuple_GET_ITEM(c, 5);
  auto ms = b.initMembers(unsigned(PyList_GET_SIZE(members)));
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(members); ++i) {
    PyObject* m = PyList_GET_ITEM(members, i);
    ms[unsigned(i)].setName(to_string(PyTuple_GET_ITEM(m, 0)));
    ms[unsigned(i)].setKind(wire::Member::Kind(PyLong_AsLong(PyTuple_GET_ITEM(m, 1))));
    encode_value(PyTuple_GET_ITEM(m, 2), ms[unsigned(i)].initValue());
    encode_value(PyTuple_GET_ITEM(m, 3), ms[unsigned(i)].initSetter());
  }
}

/// encode_program(functions, classes) -> bytes of a Program message, to reuse across calls.
PyObject* py_encode_program(PyObject*, PyObject* args) {
  PyObject *functions, *classes;
  if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &functions, &PyList_Type, &classes))
    return nullptr;
  return guard([&]() -> PyObject* {
    capnp::MallocMessageBuilder mb;
    auto prog = mb.initRoot<wire::Program>();
    auto fns = prog.initFunctions(unsigned(PyList_GET_SIZE(functions)));
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(functions); ++i)
      encode_function(PyList_GET_ITEM(functions, i), fns[unsigned(i)]);
    auto cls = prog.initClasses(unsigned(PyList_GET_SIZE(classes)));
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(classes); ++i)
      encode_class(PyList_GET_ITEM(classes, i), cls[unsigned(i)]);
    bus::bytes b = bus::encode(mb);
    return PyBytes_FromStringAndSize(reinterpret_cast<const char*>(b.data()), Py_ssize_t(b.size()));
  });
}

/// encode_request(id, program bytes, entry, args, dump, recursion_limit) -> bytes
PyObject* py_encode_request(PyObject*, PyObject* args) {
  unsigned long long id;
  PyObject *program, *call_args;
  unsigned entry, recursion_limit;
  const char* dump;
  int trace = 0, explain = 0;
  if (!PyArg_ParseTuple(args, "KO!IO!sI|pp", &id, &PyBytes_Type, &program, &entry, &PyTuple_Type, &call_args, &dump,
                        &recursion_limit, &trace, &explain))
    return nullptr;
  return guard([&]() -> PyObject* {
    auto* data = reinterpret_cast<const uint8_t*>(PyBytes_AS_STRING(program));
    bus::message_in prog(bus::bytes(data, data + PyBytes_GET_SIZE(program)));
    if (!prog.ok())
      throw py_error(PyExc_ValueError, "malformed program: " + prog.error());
    capnp::MallocMessageBuilder mb;
    auto req = mb.initRoot<wire::CallRequest>();
    req.setId(id);
    req.setEntry(entry);
    req.setProgram(prog.root<wire::Program>());
    auto a = req.initArgs(unsigned(PyTuple_GET_SIZE(call_args)));
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(call_args); ++i)
      encode_value(PyTuple_GET_ITEM(call_args, i), a[unsigned(i)]);
    auto opts = req.initOptions();
    opts.setDump(dump);
    opts.setRecursionLimit(recursion_limit);
    opts.setTrace(trace != 0);
    opts.setExplain(explain != 0);
    bus::bytes b = bus::encode(mb);
    return PyBytes_FromStringAndSize(reinterpret_cast<const char*>(b.data()), Py_ssize_t(b.size()));
  });
}

PyObject* py_submit(PyObject*, PyObject* args) {
  PyObject* cap;
  Py_buffer buf;
  if (!PyArg_ParseTuple(args, "Oy*", &cap, &buf))
    return nullptr;
  auto* c = cluster_of(cap);
  if (!c) {
    PyBuffer_Release(&buf);
    return nullptr;
  }
  auto* data = static_cast<const uint8_t*>(buf.buf);
  bus::bytes request(data, data + buf.len);
  PyBuffer_Release(&buf);
  auto fut = std::make_shared<Future>();
  Py_BEGIN_ALLOW_THREADS c->submit(std::move(request), [fut](bus::bytes result) {
    {
      std::lock_guard<std::mutex> lock(fut->mu);
      fut->data = std::move(result);
      fut->ready = true;
    }
    fut->cv.notify_all();
  });
  Py_END_ALLOW_THREADS return PyCapsule_New(new std::shared_ptr<Future>(fut), future_capsule, release_future);
}

/// wait(future, timeout or None) -> result tuple, or None when the timeout passed first.
PyObject* py_wait(PyObject*, PyObject* args) {
  PyObject *cap, *timeout, *classes = nullptr;
  if (!PyArg_ParseTuple(args, "OO|O", &cap, &timeout, &classes))
    return nullptr;
  auto* fp = static_cast<std::shared_ptr<Future>*>(PyCapsule_GetPointer(cap, future_capsule));
  if (!fp)
    return nullptr;
  std::shared_ptr<Future> fut = *fp;
  double limit = timeout == Py_None ? -1.0 : PyFloat_AsDouble(timeout);
  if (PyErr_Occurred())
    return nullptr;
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(limit < 0 ? 0 : limit));
  for (;;) {
    bool ready;
    Py_BEGIN_ALLOW_THREADS std::unique_lock<std::mutex> lock(fut->mu);
    auto slice = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    if (limit >= 0 && deadline < slice)
      slice = deadline;
    fut->cv.wait_until(lock, slice, [&] { return fut->ready; });
    ready = fut->ready;
    Py_END_ALLOW_THREADS if (ready) {
      result_classes = classes;
      PyObject* r = decode_result(fut->data);
      result_classes = nullptr;
      return r;
    }
    if (PyErr_CheckSignals() != 0)
      return nullptr;
    if (limit >= 0 && std::chrono::steady_clock::now() >= deadline)
      Py_RETURN_NONE;
  }
}

PyObject* py_done(PyObject*, PyObject* cap) {
  auto* fp = static_cast<std::shared_ptr<Future>*>(PyCapsule_GetPointer(cap, future_capsule));
  if (!fp)
    return nullptr;
  std::lock_guard<std::mutex> lock((*fp)->mu);
  return PyBool_FromLong((*fp)->ready);
}

PyMethodDef methods[] = {
    {"set_ref_marker", py_set_ref_marker, METH_O, "Sets the marker object of (marker, kind, payload) refs."},
    {"start_embedded", py_start_embedded, METH_VARARGS, "start_embedded(workers, recursion_limit, memory_limit[, data_dir])"},
    {"connect", py_connect, METH_VARARGS, "connect(host, port) -> cluster"},
    {"status", py_status, METH_VARARGS, "status(cluster, call_id) -> dict (node status and cost profile)"},
    {"close", py_close, METH_O, "close(cluster): stops an embedded node or drops a connection"},
    {"encode_program", py_encode_program, METH_VARARGS, "encode_program(functions, classes) -> bytes"},
    {"encode_request", py_encode_request, METH_VARARGS,
     "encode_request(id, program, entry, args, dump, recursion_limit[, trace, explain]) -> bytes"},
    {"submit", py_submit, METH_VARARGS, "submit(cluster, request) -> future"},
    {"wait", py_wait, METH_VARARGS, "wait(future, timeout) -> result tuple or None"},
    {"done", py_done, METH_O, "done(future) -> bool"},
    {nullptr, nullptr, 0, nullptr}};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_shoal", "shoal's native bridge", -1, methods,
                      nullptr, nullptr, nullptr, nullptr};

} // namespace

extern "C" PyObject* PyInit__shoal() { return PyModule_Create(&module); }
