#pragma once
/// GPU discovery through the CUDA driver API, loaded at run time with dlopen("libcuda.so.1"):
/// a machine without a driver or a GPU simply has no devices, and the binary never links
/// against CUDA. Later issues put one device actor per device found here.

#include <string>
#include <vector>

namespace shoal::gpu {

struct Device {
  int ordinal = 0;
  std::string name;
  size_t memory_bytes = 0;
  int compute_major = 0;
  int compute_minor = 0;
};

struct Probe {
  std::vector<Device> devices;
  std::string reason; ///< why there are none: no driver, driver error, no device
};

/// Looks for CUDA devices. Never throws; safe to call more than once.
Probe probe();

} // namespace shoal::gpu
