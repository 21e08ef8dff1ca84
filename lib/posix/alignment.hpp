// SPDX-License-Identifier: Apache-2.0
// Direct-I/O alignment as the file system reports it.
#pragma once

#include <cstdint>

#include "core/file_rules.hpp"  // Alignment

namespace sgio {

// statx(STATX_DIOALIGN) where the kernel fills it (6.1+), else the logical block size of the
// file's block device (sysfs), else 512 for both.
Alignment query_direct_alignment(int fd) noexcept;

}  // namespace sgio
