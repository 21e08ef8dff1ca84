// SPDX-License-Identifier: Apache-2.0
#include "win32/file_info.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <fstream>

#include "posix/alignment.hpp"
#include "win32/nt_status.hpp"

namespace sgio::win32 {

namespace {

struct stat stat_of(const File& f) {
  struct stat st {};
  if (::fstat(f.fd(), &st) != 0) throw_errno(errno, "fstat");
  return st;
}

// The device whose queue describes the file's sectors: the device itself, or the one holding it.
dev_t queue_device(const struct stat& st) { return S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev; }

}  // namespace

StandardInfo standard_info(const File& f) {
  const struct stat st = stat_of(f);
  StandardInfo i;
  i.allocation_size = static_cast<uint64_t>(st.st_blocks) * 512;
  i.end_of_file = f.size();
  i.links = static_cast<uint32_t>(st.st_nlink);
  i.delete_pending = st.st_nlink == 0;
  return i;
}

StorageInfo storage_info(const File& f) {
  const struct stat st = stat_of(f);
  StorageInfo i;
  i.logical_sector = f.direct_alignment().offset;
  const dev_t dev = queue_device(st);
  const uint32_t physical = block_queue_value(dev, "physical_block_size");
  i.physical_sector = physical >= i.logical_sector ? physical : i.logical_sector;
  // A partition's start (in 512-byte units) says whether it is aligned to the physical sector.
  std::ifstream in("/sys/dev/block/" + std::to_string(major(dev)) + ":" + std::to_string(minor(dev)) + "/start");
  uint64_t start = 0;
  if (in >> start) {
    i.partition_offset = static_cast<uint32_t>((start * 512) % i.physical_sector);
    i.partition_offset_known = true;
  } else if (physical != 0) {
    i.partition_offset_known = true;  // a whole disk: starts at 0
  }
  return i;
}

uint32_t alignment_requirement(const File& f) noexcept { return f.alignment().memory - 1; }

DiskSpace disk_space(const std::string& path) {
  struct statvfs vfs {};
  if (::statvfs(path.c_str(), &vfs) != 0) {
    const int e = errno;
    if (e == ENOENT) throw Failure(err::path_not_found, Errc::not_found, "GetDiskFreeSpaceEx '" + path + "': not found", e);
    throw_errno(e, "GetDiskFreeSpaceEx '" + path + "'");
  }
  DiskSpace d;
  d.available_to_caller = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  d.total = static_cast<uint64_t>(vfs.f_blocks) * vfs.f_frsize;
  d.free = static_cast<uint64_t>(vfs.f_bfree) * vfs.f_frsize;
  return d;
}

void set_valid_data(File& f, int64_t length) {
  if (!f.writable()) fail_win32(err::access_denied, "SetFileValidData: the handle has no GENERIC_WRITE access");
  if (length < 0) fail_invalid_parameter("SetFileValidData: negative length");
  if (static_cast<uint64_t>(length) > f.size())
    fail_invalid_parameter("SetFileValidData: the length is beyond the end of the file");
  if (length == 0) return;
  // Preallocation is the whole effect; a file system without fallocate (EOPNOTSUPP) gives the
  // same observable file, just without the blocks reserved.
  if (::fallocate(f.fd(), FALLOC_FL_KEEP_SIZE, 0, length) != 0 && errno != EOPNOTSUPP)
    throw_errno(errno, "SetFileValidData: fallocate");
}

}  // namespace sgio::win32
