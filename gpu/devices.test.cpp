#include "gpu/devices.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

TEST_CASE("discovery never fails: devices, or a reason why there are none", "[gpu]") {
  auto p = shoal::gpu::probe();
  if (p.devices.empty()) {
    CHECK_FALSE(p.reason.empty());
  } else {
    CHECK(p.reason.empty());
    for (auto& d : p.devices) {
      CHECK_FALSE(d.name.empty());
      CHECK(d.memory_bytes > 0);
      CHECK(d.compute_major >= 3);
    }
  }
  // a second probe agrees with the first
  CHECK(shoal::gpu::probe().devices.size() == p.devices.size());
}

TEST_CASE("a machine with an NVIDIA driver shows its GPUs", "[gpu]") {
  std::ifstream driver("/proc/driver/nvidia/version");
  if (!driver)
    return; // no driver here: covered by the case above
  CHECK_FALSE(shoal::gpu::probe().devices.empty());
}
