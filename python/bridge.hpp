#pragma once
/// The Python bridge: the `_shoal` extension module's entry point. The module is a thin C API
/// over actors::Cluster and the Cap'n Proto encoding of programs, arguments and results; no C++
/// exception crosses into Python. Built both as an extension module and into the `shoal` binary.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

extern "C" PyObject* PyInit__shoal();
