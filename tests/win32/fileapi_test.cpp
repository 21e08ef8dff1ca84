// SPDX-License-Identifier: Apache-2.0
// The 1.1 kernel32 names storage code declares: bare CreateFile (UTF-8), GetFileSize and
// SetFilePointer with their 32/64-bit splits and the INVALID_* + NO_ERROR ambiguity.
#include <sys/stat.h>

#include "support.hpp"

using namespace w32_test;

namespace {

HANDLE create(const std::string& p, DWORD disposition = CREATE_ALWAYS) {
  return CreateFile(p.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, disposition,
                    FILE_ATTRIBUTE_NORMAL, nullptr);
}

// Sets the file's size with the 64-bit calls (sparse: nothing is written).
void resize(HANDLE h, int64_t size) {
  LARGE_INTEGER d;
  d.QuadPart = size;
  REQUIRE(SetFilePointerEx(h, d, nullptr, FILE_BEGIN));
  REQUIRE(SetEndOfFile(h));
}

int64_t pointer_of(HANDLE h) {
  LARGE_INTEGER zero, now;
  zero.QuadPart = 0;
  REQUIRE(SetFilePointerEx(h, zero, &now, FILE_CURRENT));
  return now.QuadPart;
}

}  // namespace

TEST_SUITE("fileapi") {

TEST_CASE("CreateFile (no suffix) takes a UTF-8 path, like CreateFileA") {
  ScratchDir dir;
  const std::string p = dir.file("caf\xC3\xA9-\xF0\x9F\x98\x80.dat");  // "café-😀"
  SetLastError(77);
  HANDLE h = create(p, CREATE_NEW);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_SUCCESS);
  DWORD n = 0;
  REQUIRE(WriteFile(h, "abc", 3, &n, nullptr));
  CHECK(CloseHandle(h));
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);  // the name on disk is the UTF-8 bytes
  CHECK(st.st_size == 3);

  h = create(p, CREATE_ALWAYS);
  CHECK_LAST_ERROR(ERROR_ALREADY_EXISTS);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK(CloseHandle(h));
  CHECK(create(dir.file("missing"), OPEN_EXISTING) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_FILE_NOT_FOUND);
  CHECK(create(dir.file("no/such/dir"), CREATE_NEW) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_PATH_NOT_FOUND);
}

TEST_CASE("GetFileSize: low DWORD returned, high DWORD through the out-parameter") {
  ScratchDir dir;
  HANDLE h = create(dir.file("f"));
  REQUIRE(h != INVALID_HANDLE_VALUE);
  DWORD high = 123;
  CHECK(GetFileSize(h, &high) == 0);
  CHECK(high == 0);
  resize(h, 4096 + 7);
  CHECK(GetFileSize(h, nullptr) == 4103);
  resize(h, (int64_t{1} << 32) + 5);  // past 4 GiB (sparse)
  high = 0;
  CHECK(GetFileSize(h, &high) == 5);
  CHECK(high == 1);
  CHECK(GetFileSize(h, nullptr) == 5);  // without the out-parameter the high part is just lost

  SUBCASE("a size whose low DWORD is 0xFFFFFFFF is a success with NO_ERROR") {
    resize(h, int64_t{0xFFFFFFFF});
    SetLastError(ERROR_HANDLE_EOF);
    high = 9;
    CHECK(GetFileSize(h, &high) == INVALID_FILE_SIZE);
    CHECK_LAST_ERROR(NO_ERROR);
    CHECK(high == 0);
  }
  CHECK(CloseHandle(h));

  high = 42;
  CHECK(GetFileSize(reinterpret_cast<HANDLE>(uintptr_t{0x7FF0}), &high) == INVALID_FILE_SIZE);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
  CHECK(high == 42);  // not written on failure
  CHECK(GetFileSize(h, nullptr) == INVALID_FILE_SIZE);  // closed
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
}

TEST_CASE("SetFilePointer: 32-bit moves, the 64-bit split, ERROR_NEGATIVE_SEEK") {
  ScratchDir dir;
  HANDLE h = create(dir.file("f"));
  REQUIRE(h != INVALID_HANDLE_VALUE);
  resize(h, 1000);

  CHECK(SetFilePointer(h, 100, nullptr, FILE_BEGIN) == 100);
  CHECK(SetFilePointer(h, -40, nullptr, FILE_CURRENT) == 60);  // alone, the distance is signed
  CHECK(SetFilePointer(h, -1, nullptr, FILE_END) == 999);
  CHECK(pointer_of(h) == 999);

  // Before the start: INVALID_SET_FILE_POINTER, ERROR_NEGATIVE_SEEK, the pointer stays.
  CHECK(SetFilePointer(h, -1000, nullptr, FILE_CURRENT) == INVALID_SET_FILE_POINTER);
  CHECK_LAST_ERROR(ERROR_NEGATIVE_SEEK);
  CHECK(pointer_of(h) == 999);

  // With lpDistanceToMoveHigh: one 64-bit distance, the new high DWORD written back.
  LONG high = 1;
  CHECK(SetFilePointer(h, 0x10, &high, FILE_BEGIN) == 0x10);
  CHECK(high == 1);
  CHECK(pointer_of(h) == (int64_t{1} << 32) + 0x10);
  high = -1;  // -32 as high:low
  CHECK(SetFilePointer(h, -32, &high, FILE_CURRENT) == 0xFFFFFFF0u);
  CHECK(high == 0);
  CHECK(pointer_of(h) == (int64_t{1} << 32) - 0x10);
  // The low DWORD is unsigned when a high part is given: 0x80000000 at high 0 is 2 GiB, not -2 GiB.
  high = 0;
  CHECK(SetFilePointer(h, static_cast<LONG>(0x80000000u), &high, FILE_BEGIN) == 0x80000000u);
  CHECK(high == 0);

  // A result whose low DWORD is 0xFFFFFFFF: success, and GetLastError says NO_ERROR.
  high = 0;
  SetLastError(ERROR_INVALID_PARAMETER);
  CHECK(SetFilePointer(h, -1, &high, FILE_BEGIN) == INVALID_SET_FILE_POINTER);  // 0x00000000FFFFFFFF
  CHECK_LAST_ERROR(NO_ERROR);
  CHECK(high == 0);
  CHECK(pointer_of(h) == int64_t{0xFFFFFFFF});

  // Without lpDistanceToMoveHigh the new position must fit in 32 bits; the pointer does not move.
  high = 2;
  REQUIRE(SetFilePointer(h, 0, &high, FILE_BEGIN) == 0);
  CHECK(SetFilePointer(h, 0, nullptr, FILE_CURRENT) == INVALID_SET_FILE_POINTER);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  CHECK(pointer_of(h) == (int64_t{2} << 32));

  high = -1;
  CHECK(SetFilePointer(h, 0, &high, FILE_BEGIN) == INVALID_SET_FILE_POINTER);
  CHECK_LAST_ERROR(ERROR_NEGATIVE_SEEK);
  CHECK(SetFilePointer(h, 0, nullptr, 7) == INVALID_SET_FILE_POINTER);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);

  // The pointer is the one synchronous WriteFile uses.
  REQUIRE(SetFilePointer(h, 10, nullptr, FILE_BEGIN) == 10);
  DWORD n = 0;
  REQUIRE(WriteFile(h, "xy", 2, &n, nullptr));
  CHECK(SetFilePointer(h, 0, nullptr, FILE_CURRENT) == 12);
  CHECK(CloseHandle(h));
  CHECK(SetFilePointer(h, 0, nullptr, FILE_BEGIN) == INVALID_SET_FILE_POINTER);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
}

}  // TEST_SUITE
