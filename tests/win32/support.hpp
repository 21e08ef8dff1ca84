// SPDX-License-Identifier: Apache-2.0
// Helpers for the Win32-face suites: a scratch directory on the build's file system (ext4,
// O_DIRECT works), VirtualAlloc'd page buffers, and last-error assertions that also check errno.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <sgio/sgio.h>
#include <sgio/sgio_win32.h>

#include "../common/scratch.hpp"

namespace w32_test {

using sgio_test_common::ScratchDir;

inline DWORD page_size() {
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  return si.dwPageSize;
}

// `pages` pages from VirtualAlloc, filled with `fill`.
class Pages {
 public:
  explicit Pages(size_t pages, uint8_t fill = 0) : size_(pages * page_size()) {
    p_ = static_cast<uint8_t*>(VirtualAlloc(nullptr, size_, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE));
    REQUIRE(p_ != nullptr);
    std::memset(p_, fill, size_);
  }
  ~Pages() { VirtualFree(p_, 0, MEM_RELEASE); }
  Pages(const Pages&) = delete;
  Pages& operator=(const Pages&) = delete;
  uint8_t* get() const { return p_; }
  uint8_t* page(size_t i) const { return p_ + i * page_size(); }
  size_t size() const { return size_; }

 private:
  uint8_t* p_;
  size_t size_;
};

// The file system's sector size for direct I/O on this handle: the same handle table serves the
// native face, which reports it.
inline uint32_t sector_of(HANDLE h) {
  uint32_t mem = 0, off = 0;
  REQUIRE(sgio_file_alignment(reinterpret_cast<sgio_file*>(h), &mem, &off) == SGIO_OK);
  return off;
}

inline HANDLE open_direct(const std::string& path, DWORD access = GENERIC_READ | GENERIC_WRITE,
                          DWORD disposition = CREATE_ALWAYS,
                          DWORD flags = FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING | FILE_ATTRIBUTE_NORMAL) {
  // Shared for reading and writing: suites open the same file again beside this handle, which
  // Windows (and sgio) refuse with ERROR_SHARING_VIOLATION under a share mode of 0.
  HANDLE h = CreateFileA(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, disposition, flags, nullptr);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  return h;
}

inline void set_offset(OVERLAPPED& ov, uint64_t off) {
  ov.Offset = static_cast<DWORD>(off);
  ov.OffsetHigh = static_cast<DWORD>(off >> 32);
}

inline uintptr_t internal_of(const OVERLAPPED& ov) {
  return __atomic_load_n(&ov.Internal, __ATOMIC_ACQUIRE);
}
inline uintptr_t internal_high_of(const OVERLAPPED& ov) {
  return __atomic_load_n(&ov.InternalHigh, __ATOMIC_ACQUIRE);
}

inline std::string backend_env() {
  const char* b = std::getenv("SGIO_BACKEND");
  return b ? b : "auto";
}

}  // namespace w32_test

// A failed call: FALSE/NULL/etc. (checked by the caller), GetLastError() == code, errno == code.
#define CHECK_LAST_ERROR(code)                        \
  do {                                                \
    int e_ = errno;                                   \
    CHECK(GetLastError() == static_cast<DWORD>(code)); \
    CHECK(e_ == static_cast<int>(code));              \
  } while (0)

// A BOOL call that must fail with `code` (GetLastError and errno, read right after the call).
#define CHECK_BOOL_FAILS(call, code)                     \
  do {                                                   \
    BOOL r_ = (call);                                    \
    int e_ = errno;                                      \
    DWORD g_ = GetLastError();                           \
    CHECK_MESSAGE(r_ == FALSE, #call);                   \
    CHECK_MESSAGE(g_ == static_cast<DWORD>(code), #call); \
    CHECK_MESSAGE(e_ == static_cast<int>(code), #call);  \
  } while (0)
