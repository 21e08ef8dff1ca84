// SPDX-License-Identifier: Apache-2.0
// Unbuffered-I/O (FILE_FLAG_NO_BUFFERING) alignment as the volume reports it.
#pragma once

#include <string>

#include "core/file_rules.hpp"

namespace sgio {

// GetFileInformationByHandleEx(FileStorageInfo).LogicalBytesPerSector, the sector size unbuffered
// I/O is held to (Windows 8+); else GetDiskFreeSpaceW's bytes per sector of the volume holding
// `wide_path` (empty: not known); else 512. Buffers and offsets/lengths both use it: Windows
// requires sector-aligned buffer addresses as well as sector-multiple offsets and sizes.
Alignment query_direct_alignment(void* handle, const std::wstring& wide_path) noexcept;

}  // namespace sgio
