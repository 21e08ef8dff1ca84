// SPDX-License-Identifier: Apache-2.0
// Direct-I/O alignment as the file system reports it.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace sgio {

struct Alignment {
  uint32_t memory = 1;  // buffer addresses
  uint32_t offset = 1;  // file offsets and segment lengths
};

// statx(STATX_DIOALIGN) where the kernel fills it (6.1+), else the logical block size of the
// file's block device (sysfs), else 512 for both.
Alignment query_direct_alignment(int fd) noexcept;

// A block device's /sys/dev/block/MAJ:MIN/queue/<name> value (a partition's from its disk), or 0.
// Throws std::bad_alloc only.
uint32_t block_queue_value(dev_t dev, const char* name);

}  // namespace sgio
