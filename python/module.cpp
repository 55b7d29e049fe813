// The `_shoal` extension module for a stock CPython: the bridge's entry point, nothing else.
#include "python/bridge.hpp"

PyMODINIT_FUNC PyInit__shoal();
