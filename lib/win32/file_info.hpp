// SPDX-License-Identifier: Apache-2.0
// What GetFileInformationByHandleEx, GetDiskFreeSpaceExW and SetFileValidData report or do, from
// fstat/statvfs/sysfs/fallocate. The face copies these into Windows' structs.
#pragma once

#include <cstdint>
#include <string>

#include "posix/file.hpp"

namespace sgio::win32 {

// FILE_STANDARD_INFO.
struct StandardInfo {
  uint64_t allocation_size = 0;  // st_blocks * 512
  uint64_t end_of_file = 0;      // File::size() (BLKGETSIZE64 for a device)
  uint32_t links = 0;
  bool delete_pending = false;   // unlinked while open (Linux has no delete-pending state: the
                                 // name is gone already, the data stays until the last close)
};
StandardInfo standard_info(const File& f);

// FILE_STORAGE_INFO.
struct StorageInfo {
  uint32_t logical_sector = 0;    // the direct-I/O offset granularity sgio enforces
  uint32_t physical_sector = 0;   // the device's physical_block_size (sysfs), else logical
  uint32_t partition_offset = 0;  // partition start % physical sector
  bool partition_offset_known = false;
};
StorageInfo storage_info(const File& f);

// FILE_ALIGNMENT_INFO.AlignmentRequirement: the buffer alignment minus one (0: any byte).
uint32_t alignment_requirement(const File& f) noexcept;

// GetDiskFreeSpaceExW: statvfs of `path`.
struct DiskSpace {
  uint64_t available_to_caller = 0;  // f_bavail * f_frsize
  uint64_t total = 0;                // f_blocks * f_frsize
  uint64_t free = 0;                 // f_bfree * f_frsize
};
DiskSpace disk_space(const std::string& path);

// SetFileValidData: Linux cannot expose a file's old disk contents, so this preallocates
// [0, length) (fallocate KEEP_SIZE) and the bytes keep reading as zeros. ERROR_INVALID_PARAMETER
// for a negative length or one beyond the file's size.
void set_valid_data(File& f, int64_t length);

}  // namespace sgio::win32
