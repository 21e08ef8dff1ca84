// SPDX-License-Identifier: Apache-2.0
// ERROR_DISK_FULL (112) from a real ENOSPC: a 1 MiB tmpfs mounted in a private mount namespace
// (so nothing leaks into the host, even if the test dies). Needs root (CAP_SYS_ADMIN) and tmpfs
// O_DIRECT (Linux 6.6+); exits 77 (CTest SKIP_RETURN_CODE) with the reason otherwise.
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sgio/sgio_win32.h>

#include "../common/reliability.hpp"

namespace {

int failures = 0;

#define EXPECT(cond)                                                       \
  do {                                                                     \
    if (!(cond)) {                                                         \
      std::fprintf(stderr, "%s:%d: EXPECT(%s) failed\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                          \
    }                                                                      \
  } while (0)

int skip(const char* why) {
  std::printf("SKIPPED: %s\n", why);
  return 77;
}

}  // namespace

int main() {
  if (geteuid() != 0) return skip("needs root to mount a small tmpfs");
  // Before any sgio call: unshare(CLONE_NEWNS) is refused once the process has threads.
  if (unshare(CLONE_NEWNS) != 0) return skip("unshare(CLONE_NEWNS) refused");
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return skip("cannot make / private");
  std::string tmpl = std::string(SGIO_TEST_SCRATCH) + "/sgio-full-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return skip("mkdtemp failed");
  const std::string dir = buf.data();
  if (mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=1m") != 0) {
    rmdir(dir.c_str());
    return skip("mount -t tmpfs -o size=1m failed");
  }
  const std::string path = dir + "/full.bin";
  int rc = 0;
  HANDLE f = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                         FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, nullptr);
  if (f == INVALID_HANDLE_VALUE) {
    rc = skip("tmpfs refuses FILE_FLAG_NO_BUFFERING (O_DIRECT) on this kernel");
  } else {
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    const DWORD page = si.dwPageSize;
    const DWORD pages = (2u << 20) / page;  // twice the file system
    auto* mem = static_cast<unsigned char*>(VirtualAlloc(nullptr, SIZE_T{pages} * page, MEM_COMMIT, PAGE_READWRITE));
    EXPECT(mem != nullptr);
    std::memset(mem, 0xAB, SIZE_T{pages} * page);
    std::vector<FILE_SEGMENT_ELEMENT> fse(pages + 1);
    for (DWORD i = 0; i < pages; ++i) fse[i].Buffer = mem + SIZE_T{i} * page;
    fse[pages].Buffer = nullptr;
    HANDLE port = CreateIoCompletionPort(f, nullptr, 5, 0);
    OVERLAPPED ov;
    std::memset(&ov, 0, sizeof ov);
    BOOL r = WriteFileGather(f, fse.data(), pages * page, nullptr, &ov);
    EXPECT(r == FALSE);  // it cannot succeed
    DWORD e = GetLastError();
    EXPECT(e == ERROR_IO_PENDING || e == ERROR_DISK_FULL);
    DWORD tx = 0;
    r = GetOverlappedResult(f, &ov, &tx, TRUE);
    int err = errno;
    EXPECT(r == FALSE);
    EXPECT(GetLastError() == ERROR_DISK_FULL);
    EXPECT(err == ERROR_DISK_FULL);
    EXPECT(tx < pages * page);  // the prefix that fit, never more
    std::printf("gather of %u bytes on a 1 MiB tmpfs: error %u, %u bytes written\n", pages * page,
                static_cast<unsigned>(GetLastError()), static_cast<unsigned>(tx));
    DWORD n = 0;
    ULONG_PTR key = 0;
    OVERLAPPED* got = nullptr;
    r = GetQueuedCompletionStatus(port, &n, &key, &got, 10000);
    EXPECT(r == FALSE);
    EXPECT(got == &ov);
    EXPECT(GetLastError() == ERROR_DISK_FULL);
    EXPECT(CloseHandle(f));
    EXPECT(CloseHandle(port));

    // A synchronous WriteFile on the full file system fails the same way.
    HANDLE g = CreateFileA((dir + "/sync.bin").c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, 0, nullptr);
    EXPECT(g != INVALID_HANDLE_VALUE);
    DWORD written = 0;
    r = WriteFile(g, mem, pages * page, &written, nullptr);
    err = errno;
    EXPECT(r == FALSE);
    EXPECT(GetLastError() == ERROR_DISK_FULL);
    EXPECT(err == ERROR_DISK_FULL);
    EXPECT(CloseHandle(g));
    EXPECT(VirtualFree(mem, 0, MEM_RELEASE));
  }
  umount2(dir.c_str(), MNT_DETACH);
  rmdir(dir.c_str());
  if (rc != 0) return rc;
  std::printf("%d failure(s)\n", failures);
  sgio_test_common::reliability::record("fault", "win32/" + std::string(std::getenv("SGIO_BACKEND") ? std::getenv("SGIO_BACKEND") : "auto"),
                                        "ENOSPC from a full 1 MiB tmpfs (overlapped gather, port, WriteFile)", 3,
                                        static_cast<uint64_t>(failures));
  return failures == 0 ? 0 : 1;
}
