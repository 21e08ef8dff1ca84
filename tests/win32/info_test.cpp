// SPDX-License-Identifier: Apache-2.0
// GetFileType, GetFileInformationByHandleEx (FileStandardInfo, FileStorageInfo, FileAlignmentInfo),
// GetDiskFreeSpaceExW and SetFileValidData: values checked against what Linux says directly.
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "support.hpp"

using namespace w32_test;

namespace {

std::u16string u16(const std::string& ascii) { return std::u16string(ascii.begin(), ascii.end()); }
LPCWSTR w(const std::u16string& s) { return reinterpret_cast<LPCWSTR>(s.c_str()); }

HANDLE open_buffered(const std::string& p, DWORD access = GENERIC_READ | GENERIC_WRITE) {
  HANDLE h = CreateFileA(p.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                         OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  return h;
}

void resize(HANDLE h, int64_t size) {
  LARGE_INTEGER d;
  d.QuadPart = size;
  REQUIRE(SetFilePointerEx(h, d, nullptr, FILE_BEGIN));
  REQUIRE(SetEndOfFile(h));
}

}  // namespace

TEST_SUITE("info") {

TEST_CASE("GetFileType: FILE_TYPE_DISK for files, FILE_TYPE_UNKNOWN + ERROR_INVALID_HANDLE otherwise") {
  ScratchDir dir;
  HANDLE h = open_buffered(dir.file("f"));
  CHECK(GetFileType(h) == FILE_TYPE_DISK);
  HANDLE ev = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  CHECK(GetFileType(ev) == FILE_TYPE_UNKNOWN);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
  CHECK(CloseHandle(ev));
  CHECK(GetFileType(reinterpret_cast<HANDLE>(uintptr_t{0x7FF4})) == FILE_TYPE_UNKNOWN);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
  CHECK(CloseHandle(h));
  CHECK(GetFileType(h) == FILE_TYPE_UNKNOWN);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
}

TEST_CASE("FileStandardInfo: size, allocation, links, delete pending") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  HANDLE h = open_buffered(p);
  std::vector<char> data(5000, 'x');
  DWORD n = 0;
  REQUIRE(WriteFile(h, data.data(), 5000, &n, nullptr));
  REQUIRE(FlushFileBuffers(h));
  FILE_STANDARD_INFO si;
  std::memset(&si, 0xAB, sizeof si);
  REQUIRE(GetFileInformationByHandleEx(h, FileStandardInfo, &si, sizeof si));
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK(si.EndOfFile.QuadPart == 5000);
  CHECK(si.AllocationSize.QuadPart == static_cast<LONGLONG>(st.st_blocks) * 512);
  CHECK(si.NumberOfLinks == 1);
  CHECK(si.DeletePending == 0);
  CHECK(si.Directory == 0);
  REQUIRE(DeleteFileW(w(u16(p))));  // shared for deletion
  REQUIRE(GetFileInformationByHandleEx(h, FileStandardInfo, &si, sizeof si));
  CHECK(si.DeletePending == 1);
  CHECK(si.NumberOfLinks == 0);
  CHECK(si.EndOfFile.QuadPart == 5000);

  CHECK_BOOL_FAILS(GetFileInformationByHandleEx(h, FileStandardInfo, &si, sizeof si - 1), ERROR_BAD_LENGTH);
  CHECK_BOOL_FAILS(GetFileInformationByHandleEx(h, FileStandardInfo, nullptr, sizeof si), ERROR_NOACCESS);
  CHECK_BOOL_FAILS(GetFileInformationByHandleEx(h, FileBasicInfo, &si, sizeof si), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(GetFileInformationByHandleEx(h, static_cast<FILE_INFO_BY_HANDLE_CLASS>(99), &si, sizeof si),
                   ERROR_INVALID_PARAMETER);
  CHECK(CloseHandle(h));
  CHECK_BOOL_FAILS(GetFileInformationByHandleEx(h, FileStandardInfo, &si, sizeof si), ERROR_INVALID_HANDLE);
}

TEST_CASE("FileStorageInfo and FileAlignmentInfo: the sector and buffer alignment NO_BUFFERING needs") {
  ScratchDir dir;
  HANDLE h = open_direct(dir.file("d"));
  uint32_t mem = 0, off = 0;
  REQUIRE(sgio_file_alignment(reinterpret_cast<sgio_file*>(h), &mem, &off) == SGIO_OK);
  FILE_STORAGE_INFO si;
  REQUIRE(GetFileInformationByHandleEx(h, FileStorageInfo, &si, sizeof si));
  CHECK(si.LogicalBytesPerSector == off);
  CHECK(si.PhysicalBytesPerSectorForAtomicity >= si.LogicalBytesPerSector);
  CHECK((si.PhysicalBytesPerSectorForAtomicity & (si.PhysicalBytesPerSectorForAtomicity - 1)) == 0);
  CHECK(si.PhysicalBytesPerSectorForPerformance == si.PhysicalBytesPerSectorForAtomicity);
  CHECK(si.ByteOffsetForSectorAlignment == 0);
  if (si.ByteOffsetForPartitionAlignment != STORAGE_INFO_OFFSET_UNKNOWN)
    CHECK(si.ByteOffsetForPartitionAlignment < si.PhysicalBytesPerSectorForAtomicity);
  CHECK_BOOL_FAILS(GetFileInformationByHandleEx(h, FileStorageInfo, &si, 27), ERROR_BAD_LENGTH);

  FILE_ALIGNMENT_INFO ai{};
  REQUIRE(GetFileInformationByHandleEx(h, FileAlignmentInfo, &ai, sizeof ai));
  CHECK(ai.AlignmentRequirement + 1 == mem);
  CHECK_BOOL_FAILS(GetFileInformationByHandleEx(h, FileAlignmentInfo, &ai, 3), ERROR_BAD_LENGTH);
  CHECK(CloseHandle(h));

  HANDLE b = open_buffered(dir.file("b"));
  REQUIRE(GetFileInformationByHandleEx(b, FileAlignmentInfo, &ai, sizeof ai));
  CHECK(ai.AlignmentRequirement == FILE_BYTE_ALIGNMENT);  // a buffered handle takes any buffer
  CHECK(CloseHandle(b));
}

TEST_CASE("GetDiskFreeSpaceExW: statvfs of the directory") {
  ScratchDir dir;
  ULARGE_INTEGER avail, total, free;
  REQUIRE(GetDiskFreeSpaceExW(w(u16(dir.path())), &avail, &total, &free));
  struct statvfs vfs {};
  REQUIRE(::statvfs(dir.path().c_str(), &vfs) == 0);
  CHECK(total.QuadPart == static_cast<ULONGLONG>(vfs.f_blocks) * vfs.f_frsize);
  CHECK(total.QuadPart > 0);
  CHECK(free.QuadPart <= total.QuadPart);
  CHECK(avail.QuadPart <= free.QuadPart);
  CHECK(GetDiskFreeSpaceExW(w(u16(dir.path())), nullptr, &total, nullptr));  // NULL outputs are fine
  CHECK(GetDiskFreeSpaceExW(nullptr, &avail, nullptr, nullptr));             // the current directory
  CHECK_BOOL_FAILS(GetDiskFreeSpaceExW(w(u16(dir.file("no/such"))), &avail, &total, &free), ERROR_PATH_NOT_FOUND);
}

TEST_CASE("SetFileValidData preallocates without changing the size or the (zero) contents") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  HANDLE h = open_buffered(p);
  constexpr int64_t kSize = 1 << 20;
  resize(h, kSize);  // sparse
  REQUIRE(SetFileValidData(h, kSize));
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK(st.st_size == kSize);
  CHECK(static_cast<int64_t>(st.st_blocks) * 512 >= kSize);  // the blocks are reserved now
  std::vector<char> back(4096, 'x');
  DWORD n = 0;
  REQUIRE(SetFilePointer(h, 512 * 1024, nullptr, FILE_BEGIN) == 512 * 1024);
  REQUIRE(ReadFile(h, back.data(), 4096, &n, nullptr));
  CHECK(n == 4096);
  CHECK(std::all_of(back.begin(), back.end(), [](char c) { return c == 0; }));

  CHECK_BOOL_FAILS(SetFileValidData(h, kSize + 1), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(SetFileValidData(h, -1), ERROR_INVALID_PARAMETER);
  CHECK(CloseHandle(h));
  HANDLE ro = open_buffered(p, GENERIC_READ);
  CHECK_BOOL_FAILS(SetFileValidData(ro, 10), ERROR_ACCESS_DENIED);
  CHECK(CloseHandle(ro));
  CHECK_BOOL_FAILS(SetFileValidData(ro, 10), ERROR_INVALID_HANDLE);
}

}  // TEST_SUITE
