// SPDX-License-Identifier: Apache-2.0
#include "posix/alignment.hpp"

#include <fcntl.h>
#include <linux/stat.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <fstream>
#include <string>

namespace sgio {

namespace {

uint32_t read_sysfs_u32(const std::string& path) {
  std::ifstream in(path);
  uint32_t v = 0;
  if (in >> v) return v;
  return 0;
}

bool is_power_of_two(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

}  // namespace

uint32_t block_queue_value(dev_t dev, const char* name) {
  std::string base = "/sys/dev/block/" + std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
  if (uint32_t v = read_sysfs_u32(base + "/queue/" + name)) return v;
  return read_sysfs_u32(base + "/../queue/" + name);
}

Alignment query_direct_alignment(int fd) noexcept {
  Alignment a{512, 512};
  try {
#ifdef STATX_DIOALIGN
    struct statx sx {};
    if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) == 0 && (sx.stx_mask & STATX_DIOALIGN) &&
        is_power_of_two(sx.stx_dio_mem_align) && is_power_of_two(sx.stx_dio_offset_align)) {
      a.memory = sx.stx_dio_mem_align;
      a.offset = sx.stx_dio_offset_align;
      return a;
    }
#endif
    struct stat st {};
    if (fstat(fd, &st) == 0) {
      uint32_t lbs = block_queue_value(st.st_dev, "logical_block_size");
      if (is_power_of_two(lbs)) a.memory = a.offset = lbs;
    }
  } catch (...) {
    // sysfs unreadable or out of memory: keep the conservative default.
  }
  return a;
}

}  // namespace sgio
