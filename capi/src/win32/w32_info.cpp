// SPDX-License-Identifier: Apache-2.0
// GetFileType, GetFileInformationByHandleEx, GetDiskFreeSpaceExW, SetFileValidData: the facts
// come from lib/win32/file_info; this file checks arguments and fills Windows' structs.
#include <cstring>

#include "win32/file_info.hpp"
#include "win32/w32_guard.hpp"
#include "win32/w32_text.hpp"

using namespace sgio;
using namespace sgio::capi::w32;

namespace {

// The caller's buffer as a T, after Windows' checks: ERROR_BAD_LENGTH if it is too small.
template <class T>
T* info_buffer(LPVOID buffer, DWORD size) {
  if (size < sizeof(T))
    win32::fail_win32(ERROR_BAD_LENGTH, "GetFileInformationByHandleEx: dwBufferSize " + std::to_string(size) +
                                            " is smaller than the class's " + std::to_string(sizeof(T)) + " bytes");
  if (!buffer) win32::fail_win32(ERROR_NOACCESS, "GetFileInformationByHandleEx: lpFileInformation is NULL");
  return static_cast<T*>(buffer);
}

void fill(const File& f, FILE_STANDARD_INFO* out) {
  const win32::StandardInfo i = win32::standard_info(f);
  FILE_STANDARD_INFO r;
  std::memset(&r, 0, sizeof r);
  r.AllocationSize.QuadPart = static_cast<LONGLONG>(i.allocation_size);
  r.EndOfFile.QuadPart = static_cast<LONGLONG>(i.end_of_file);
  r.NumberOfLinks = i.links;
  r.DeletePending = i.delete_pending ? 1 : 0;
  r.Directory = 0;
  std::memcpy(out, &r, sizeof r);
}

void fill(const File& f, FILE_STORAGE_INFO* out) {
  const win32::StorageInfo i = win32::storage_info(f);
  FILE_STORAGE_INFO r;
  r.LogicalBytesPerSector = i.logical_sector;
  r.PhysicalBytesPerSectorForAtomicity = i.physical_sector;
  r.PhysicalBytesPerSectorForPerformance = i.physical_sector;
  r.FileSystemEffectivePhysicalBytesPerSectorForAtomicity = i.physical_sector;
  r.Flags = 0;
  r.ByteOffsetForSectorAlignment = 0;  // logical sectors start on physical ones (no 512e offset known)
  r.ByteOffsetForPartitionAlignment = i.partition_offset_known ? i.partition_offset : STORAGE_INFO_OFFSET_UNKNOWN;
  if (i.partition_offset_known) {
    r.Flags |= STORAGE_INFO_FLAGS_ALIGNED_DEVICE;
    if (i.partition_offset == 0) r.Flags |= STORAGE_INFO_FLAGS_PARTITION_ALIGNED_ON_DEVICE;
  }
  std::memcpy(out, &r, sizeof r);
}

void fill(const File& f, FILE_ALIGNMENT_INFO* out) {
  FILE_ALIGNMENT_INFO r;
  r.AlignmentRequirement = win32::alignment_requirement(f);
  std::memcpy(out, &r, sizeof r);
}

void put(PULARGE_INTEGER out, uint64_t v) {
  if (out) out->QuadPart = v;
}

}  // namespace

extern "C" {

SGIO_API DWORD SGIO_CALL GetFileType(HANDLE hFile) noexcept {
  return w32_guard(DWORD{FILE_TYPE_UNKNOWN}, [&] {
    any_file(hFile);  // ERROR_INVALID_HANDLE for anything that is not a file
    return DWORD{FILE_TYPE_DISK};
  });
}

SGIO_API BOOL SGIO_CALL GetFileInformationByHandleEx(HANDLE hFile, FILE_INFO_BY_HANDLE_CLASS FileInformationClass,
                                                     LPVOID lpFileInformation, DWORD dwBufferSize) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    std::shared_ptr<File> f = any_file(hFile);
    switch (FileInformationClass) {
      case FileStandardInfo: fill(*f, info_buffer<FILE_STANDARD_INFO>(lpFileInformation, dwBufferSize)); break;
      case FileStorageInfo: fill(*f, info_buffer<FILE_STORAGE_INFO>(lpFileInformation, dwBufferSize)); break;
      case FileAlignmentInfo: fill(*f, info_buffer<FILE_ALIGNMENT_INFO>(lpFileInformation, dwBufferSize)); break;
      default:
        win32::fail_invalid_parameter("GetFileInformationByHandleEx: sgio answers FileStandardInfo, FileStorageInfo "
                                      "and FileAlignmentInfo only (class " +
                                      std::to_string(static_cast<int>(FileInformationClass)) + ")");
    }
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL GetDiskFreeSpaceExW(LPCWSTR lpDirectoryName, PULARGE_INTEGER lpFreeBytesAvailableToCaller,
                                            PULARGE_INTEGER lpTotalNumberOfBytes,
                                            PULARGE_INTEGER lpTotalNumberOfFreeBytes) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    const std::string dir = lpDirectoryName ? utf8_from_utf16(lpDirectoryName) : ".";
    const win32::DiskSpace d = win32::disk_space(dir.empty() ? "." : dir);
    put(lpFreeBytesAvailableToCaller, d.available_to_caller);
    put(lpTotalNumberOfBytes, d.total);
    put(lpTotalNumberOfFreeBytes, d.free);
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL SetFileValidData(HANDLE hFile, LONGLONG ValidDataLength) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    win32::set_valid_data(*win32_file(hFile), ValidDataLength);
    return BOOL{TRUE};
  });
}

}  // extern "C"
