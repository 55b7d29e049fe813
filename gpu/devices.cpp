#include "gpu/devices.hpp"

#include <dlfcn.h>

namespace shoal::gpu {

namespace {
// The few driver API entry points discovery needs (CUDA driver API, stable C ABI).
using cu_init_t = int (*)(unsigned);
using cu_count_t = int (*)(int*);
using cu_get_t = int (*)(int*, int);
using cu_name_t = int (*)(char*, int, int);
using cu_mem_t = int (*)(size_t*, int);
using cu_attr_t = int (*)(int*, int, int);
constexpr int attr_compute_major = 75; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
constexpr int attr_compute_minor = 76;

template <class F> F sym(void* lib, const char* name) { return reinterpret_cast<F>(dlsym(lib, name)); }
} // namespace

Probe probe() {
  Probe p;
  void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    p.reason = "no CUDA driver (libcuda.so.1 not found)";
    return p;
  }
  auto init = sym<cu_init_t>(lib, "cuInit");
  auto count = sym<cu_count_t>(lib, "cuDeviceGetCount");
  auto get = sym<cu_get_t>(lib, "cuDeviceGet");
  auto name = sym<cu_name_t>(lib, "cuDeviceGetName");
  auto mem = sym<cu_mem_t>(lib, "cuDeviceTotalMem_v2");
  auto attr = sym<cu_attr_t>(lib, "cuDeviceGetAttribute");
  if (!init || !count || !get || !name || !mem || !attr) {
    p.reason = "the CUDA driver lacks the expected entry points";
    return p;
  }
  if (int rc = init(0); rc != 0) {
    p.reason = "cuInit failed with CUDA error " + std::to_string(rc);
    return p;
  }
  int n = 0;
  if (count(&n) != 0 || n == 0) {
    p.reason = "the CUDA driver reports no devices";
    return p;
  }
  for (int i = 0; i < n; ++i) {
    int dev = 0;
    if (get(&dev, i) != 0)
      continue;
    Device d;
    d.ordinal = i;
    char buf[256] = {};
    if (name(buf, sizeof buf, dev) == 0)
      d.name = buf;
    mem(&d.memory_bytes, dev);
    attr(&d.compute_major, attr_compute_major, dev);
    attr(&d.compute_minor, attr_compute_minor, dev);
    p.devices.push_back(d);
  }
  return p;
}

} // namespace shoal::gpu
