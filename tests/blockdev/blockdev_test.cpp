// SPDX-License-Identifier: Apache-2.0
// Block devices as targets: a file-backed loop device (512-byte sectors, then 4096 with
// `losetup --sector-size 4096`) opened through the native face and the Win32 face. Checks that the
// direct-I/O alignment comes from the device (sgio_file_alignment = logical block size), that the
// size is the device's, that direct and buffered gather/scatter round trips return the bytes
// written, and that reads and writes at and across the device end behave as for a file that
// cannot grow (reads stop short or at 0, writes fail with SGIO_ENOSPC / ERROR_DISK_FULL after
// the part that fits). The queue and the Win32 face use the backend named by SGIO_BACKEND.
//
// Needs root (losetup); exits 77 (CTest SKIP_RETURN_CODE) with the reason otherwise. The loop
// device is attached by the parent and the checks run in a child process, so the device is
// detached even if a check crashes.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sgio/sgio.h>
#include <sgio/sgio_win32.h>

#include "../common/reliability.hpp"

namespace {

using sgio_test_common::reliability::record;

constexpr uint64_t kDeviceBytes = 8u << 20;
int failures = 0;
const char* backend_name = "default";

#define EXPECT(cond)                                                                 \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      std::fprintf(stderr, "%s:%d: EXPECT(%s) failed (%s)\n", __FILE__, __LINE__, #cond, \
                   sgio_last_error_message());                                       \
      ++failures;                                                                    \
    }                                                                                \
  } while (0)

int skip(const char* why) {
  std::printf("SKIPPED: %s\n", why);
  return 77;
}

std::string run(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    if (pclose(p) != 0) return "";
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// Page-aligned buffer filled with a pattern unique to `seed`.
struct Buffer {
  uint8_t* p = nullptr;
  uint64_t n = 0;
  Buffer(uint64_t bytes, uint8_t seed) : n(bytes) {
    void* v = nullptr;
    if (sgio_aligned_alloc(&v, bytes, 0) != 0) std::abort();
    p = static_cast<uint8_t*>(v);
    for (uint64_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(i * 31 + seed + (i >> 9));
  }
  ~Buffer() { sgio_aligned_free(p); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
};

std::vector<sgio_segment> split(const Buffer& b, uint64_t at, const std::vector<uint64_t>& lengths) {
  std::vector<sgio_segment> segs;
  for (uint64_t len : lengths) {
    segs.push_back({reinterpret_cast<uintptr_t>(b.p + at), len});
    at += len;
  }
  return segs;
}

sgio_file* open_device(const std::string& dev, bool direct) {
  sgio_open_options o;
  sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION);
  o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | (direct ? SGIO_OPEN_DIRECT : 0);
  sgio_file* f = nullptr;
  EXPECT(sgio_file_open(&f, dev.c_str(), &o) == 0);
  return f;
}

std::string path_tag(const char* face, bool direct) {
  return std::string("blockdev/") + face + "/" + backend_name + (direct ? "/direct" : "/buffered");
}

// Gather-write `total` bytes at `offset` in uneven segments (multiples of `unit`), scatter-read
// them back in a different split, compare.
void native_round_trip(sgio_file* f, bool direct, uint64_t unit, uint64_t offset) {
  const uint64_t total = 16 * unit + (direct ? 0 : 5);
  Buffer src(total, 7), dst(total, 99);
  std::vector<uint64_t> wl = {unit, 3 * unit, unit, 4 * unit, 7 * unit};
  std::vector<uint64_t> rl = {2 * unit, 2 * unit, 5 * unit, unit, 6 * unit};
  if (!direct) {
    wl.back() += 5;
    rl = {1, 2 * unit - 1, 5 * unit + 3, unit, 8 * unit + 2};
  }
  std::vector<sgio_segment> w = split(src, 0, wl), r = split(dst, 0, rl);
  uint64_t written = 0, read = 0;
  EXPECT(sgio_file_write_gather(f, w.data(), static_cast<uint32_t>(w.size()), offset, &written) == 0);
  EXPECT(written == total);
  EXPECT(sgio_file_read_scatter(f, r.data(), static_cast<uint32_t>(r.size()), offset, &read) == 0);
  if (read != total) std::fprintf(stderr, "%s read %llu of %llu at %llu\n", direct ? "direct" : "buffered", (unsigned long long)read, (unsigned long long)total, (unsigned long long)offset);
  EXPECT(read == total);
  bool same = std::memcmp(src.p, dst.p, total) == 0;
  EXPECT(same);
  record("bytes_verified", path_tag("native", direct), "gather/scatter round trip on a loop device", total,
         same ? 0 : total);
}

// At and across the end of the device.
void native_device_end(sgio_file* f, bool direct, uint64_t unit) {
  Buffer b(2 * unit, 3), keep(2 * unit, 3);
  sgio_segment one{reinterpret_cast<uintptr_t>(b.p), 2 * unit};
  uint64_t n = 99;
  int wrong = 0;
  // A read at the end reads nothing; one across it stops at the end.
  int32_t rc = sgio_file_read_scatter(f, &one, 1, kDeviceBytes, &n);
  EXPECT(rc == 0 && n == 0);
  wrong += !(rc == 0 && n == 0);
  rc = sgio_file_read_scatter(f, &one, 1, kDeviceBytes - unit, &n);
  EXPECT(rc == 0 && n == unit);
  wrong += !(rc == 0 && n == unit);
  // A write at the end cannot extend a device: ENOSPC, nothing claimed. One across the end writes
  // what fits, then fails with ENOSPC and says how much reached the device.
  std::memcpy(b.p, keep.p, 2 * unit);
  rc = sgio_file_write_gather(f, &one, 1, kDeviceBytes, &n);
  EXPECT(rc == SGIO_ENOSPC && n == 0);
  wrong += !(rc == SGIO_ENOSPC && n == 0);
  rc = sgio_file_write_gather(f, &one, 1, kDeviceBytes - unit, &n);
  EXPECT(rc == SGIO_ENOSPC && n == unit);
  wrong += !(rc == SGIO_ENOSPC && n == unit);
  // What it claimed is on the device.
  Buffer back(unit, 0);
  sgio_segment r{reinterpret_cast<uintptr_t>(back.p), unit};
  EXPECT(sgio_file_read_scatter(f, &r, 1, kDeviceBytes - unit, &n) == 0 && n == unit);
  bool same = std::memcmp(back.p, keep.p, unit) == 0;
  EXPECT(same);
  wrong += !same;
  record("fault", path_tag("native", direct), "read/write at and across the device end", 5, static_cast<uint64_t>(wrong));
}

void native_checks(const std::string& dev, uint32_t sector) {
  // The sector size the kernel reports for the device.
  int fd = open(dev.c_str(), O_RDONLY | O_CLOEXEC);
  int lbs = 0;
  EXPECT(fd >= 0 && ioctl(fd, BLKSSZGET, &lbs) == 0);
  if (fd >= 0) close(fd);
  EXPECT(static_cast<uint32_t>(lbs) == sector);

  for (bool direct : {true, false}) {
    sgio_file* f = open_device(dev, direct);
    if (!f) continue;
    uint32_t mem = 0, off = 0;
    EXPECT(sgio_file_alignment(f, &mem, &off) == 0);
    if (direct) {
      EXPECT(off == sector);
      EXPECT(mem >= 1 && mem <= sector && (mem & (mem - 1)) == 0);
    } else {
      EXPECT(off == 1 && mem == 1);
    }
    uint64_t size = 0;
    EXPECT(sgio_file_size(f, &size) == 0 && size == kDeviceBytes);
    const uint64_t unit = direct ? sector : 1000;
    native_round_trip(f, direct, unit, direct ? 5 * sector : 12345);
    native_round_trip(f, direct, unit, kDeviceBytes - 16 * unit - (direct ? 0 : 5));  // the last bytes
    native_device_end(f, direct, direct ? sector : 1000);
    if (direct) {
      // A misaligned direct request is refused before any I/O.
      Buffer b(sector, 1);
      sgio_segment s{reinterpret_cast<uintptr_t>(b.p), sector};
      uint64_t n = 9;
      EXPECT(sgio_file_write_gather(f, &s, 1, sector / 2, &n) == SGIO_EALIGN && n == 0);
    }
    EXPECT(sgio_file_flush(f) == 0);
    EXPECT(sgio_file_close(f) == 0);
  }
}

// The queue (backend from SGIO_BACKEND): a direct round trip and the device end.
void queue_checks(const std::string& dev, uint32_t sector) {
  sgio_file* f = open_device(dev, true);
  sgio_queue* q = nullptr;
  EXPECT(sgio_queue_create(&q, nullptr) == 0);
  if (!f || !q) return;
  const uint64_t total = 8 * static_cast<uint64_t>(sector);
  Buffer src(total, 41), dst(total, 0), edge(2 * sector, 5);
  std::vector<sgio_segment> w = split(src, 0, {sector, 3ull * sector, 4ull * sector});
  std::vector<sgio_segment> r = split(dst, 0, {2ull * sector, 2ull * sector, 4ull * sector});
  sgio_segment e{reinterpret_cast<uintptr_t>(edge.p), 2ull * sector};
  const uint64_t at = 64 * static_cast<uint64_t>(sector);
  auto one = [&](uint32_t op, std::vector<sgio_segment>& segs, uint64_t offset, uint64_t ud) {
    sgio_request req{f, reinterpret_cast<uintptr_t>(segs.data()), static_cast<uint32_t>(segs.size()), op, offset, ud, 0};
    uint32_t submitted = 0;
    EXPECT(sgio_queue_submit(q, &req, 1, &submitted) == 0 && submitted == 1);
    sgio_completion c{};
    uint32_t got = 0;
    EXPECT(sgio_queue_wait(q, &c, 1, 1, 10000, &got) == 0 && got == 1 && c.user_data == ud);
    return c;
  };
  sgio_completion c = one(SGIO_OP_WRITE_GATHER, w, at, 1);
  EXPECT(c.status == 0 && c.bytes == total);
  c = one(SGIO_OP_READ_SCATTER, r, at, 2);
  EXPECT(c.status == 0 && c.bytes == total);
  bool same = std::memcmp(src.p, dst.p, total) == 0;
  EXPECT(same);
  record("bytes_verified", path_tag("queue", true), "gather/scatter round trip on a loop device", total, same ? 0 : total);
  std::vector<sgio_segment> ev{e};
  int wrong = 0;
  c = one(SGIO_OP_READ_SCATTER, ev, kDeviceBytes, 3);
  EXPECT(c.status == 0 && c.bytes == 0);
  wrong += !(c.status == 0 && c.bytes == 0);
  c = one(SGIO_OP_READ_SCATTER, ev, kDeviceBytes - sector, 4);
  EXPECT(c.status == 0 && c.bytes == sector);
  wrong += !(c.status == 0 && c.bytes == sector);
  c = one(SGIO_OP_WRITE_GATHER, ev, kDeviceBytes, 5);
  EXPECT(c.status == SGIO_ENOSPC && c.bytes == 0);
  wrong += !(c.status == SGIO_ENOSPC && c.bytes == 0);
  record("fault", path_tag("queue", true), "read/write at and across the device end", 3, static_cast<uint64_t>(wrong));
  sgio_queue_free(q);
  sgio_file_close(f);
}

// The Win32 face: CreateFileW on the device, overlapped WriteFileGather/ReadFileScatter.
void win32_checks(const std::string& dev) {
  std::vector<WCHAR> wpath(dev.begin(), dev.end());
  wpath.push_back(0);
  HANDLE h = CreateFileW(wpath.data(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                         OPEN_EXISTING, FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, nullptr);
  EXPECT(h != INVALID_HANDLE_VALUE);
  if (h == INVALID_HANDLE_VALUE) return;
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  const DWORD page = si.dwPageSize, pages = 8;
  Buffer src(pages * page, 77), dst(pages * page, 0);
  FILE_SEGMENT_ELEMENT ws[pages + 1], rs[pages + 1];
  for (DWORD i = 0; i < pages; ++i) {
    ws[i].Buffer = src.p + (pages - 1 - i) * page;  // pages in reverse order
    rs[i].Buffer = dst.p + i * page;
  }
  ws[pages].Alignment = rs[pages].Alignment = 0;
  auto wait = [&](OVERLAPPED& ov, DWORD& n) {
    BOOL ok = GetOverlappedResultEx(h, &ov, &n, 10000, FALSE);
    return ok ? DWORD{0} : GetLastError();
  };
  OVERLAPPED ov;
  std::memset(&ov, 0, sizeof ov);
  ov.Offset = 16 * page;
  DWORD n = 0;
  BOOL ok = WriteFileGather(h, ws, pages * page, nullptr, &ov);
  EXPECT(ok || GetLastError() == ERROR_IO_PENDING);
  EXPECT(wait(ov, n) == 0 && n == pages * page);
  std::memset(&ov, 0, sizeof ov);
  ov.Offset = 16 * page;
  ok = ReadFileScatter(h, rs, pages * page, nullptr, &ov);
  EXPECT(ok || GetLastError() == ERROR_IO_PENDING);
  EXPECT(wait(ov, n) == 0 && n == pages * page);
  bool same = true;
  for (DWORD i = 0; i < pages; ++i) same = same && std::memcmp(ws[i].Buffer, rs[i].Buffer, page) == 0;
  EXPECT(same);
  record("bytes_verified", path_tag("win32", true), "WriteFileGather/ReadFileScatter round trip on a loop device",
         pages * page, same ? 0 : pages * page);
  // End of the device: a read there is ERROR_HANDLE_EOF; a write there is ERROR_DISK_FULL.
  int wrong = 0;
  std::memset(&ov, 0, sizeof ov);
  ov.Offset = static_cast<DWORD>(kDeviceBytes);
  ok = ReadFileScatter(h, rs, page, nullptr, &ov);
  DWORD err = ok ? 0 : GetLastError();
  if (ok || err == ERROR_IO_PENDING) err = wait(ov, n);
  EXPECT(err == ERROR_HANDLE_EOF);
  wrong += err != ERROR_HANDLE_EOF;
  std::memset(&ov, 0, sizeof ov);
  ov.Offset = static_cast<DWORD>(kDeviceBytes);
  ok = WriteFileGather(h, ws, page, nullptr, &ov);
  err = ok ? 0 : GetLastError();
  if (ok || err == ERROR_IO_PENDING) err = wait(ov, n);
  EXPECT(err == ERROR_DISK_FULL && n == 0);
  wrong += !(err == ERROR_DISK_FULL && n == 0);
  LARGE_INTEGER size;
  EXPECT(GetFileSizeEx(h, &size) && static_cast<uint64_t>(size.QuadPart) == kDeviceBytes);
  record("fault", path_tag("win32", true), "read/write at the device end", 2, static_cast<uint64_t>(wrong));
  EXPECT(CloseHandle(h));
}

int run_checks(const std::string& dev, uint32_t sector) {
  std::printf("%s: %u-byte sectors, backend %s\n", dev.c_str(), sector, backend_name);
  native_checks(dev, sector);
  queue_checks(dev, sector);
  win32_checks(dev);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main() {
  if (const char* b = std::getenv("SGIO_BACKEND")) backend_name = b;
  if (geteuid() != 0) return skip("needs root to attach a loop device (losetup)");
  std::string tmpl = std::string(SGIO_TEST_SCRATCH) + "/sgio-loop-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = mkstemp(buf.data());
  if (fd < 0) return skip("mkstemp failed");
  const std::string backing = buf.data();
  bool sized = ftruncate(fd, kDeviceBytes) == 0;
  close(fd);
  if (!sized) {
    unlink(backing.c_str());
    return skip("cannot size the backing file");
  }
  int attached = 0, rc = 0;
  for (uint32_t sector : {512u, 4096u}) {
    std::string dev = run("losetup --find --show --sector-size " + std::to_string(sector) + " " + backing);
    if (dev.rfind("/dev/loop", 0) != 0) {
      std::printf("note: losetup --sector-size %u failed; not tested\n", sector);
      continue;
    }
    ++attached;
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) _exit(run_checks(dev, sector));
    int status = 0;
    bool waited = pid > 0 && waitpid(pid, &status, 0) == pid;
    if (system(("losetup -d " + dev).c_str()) != 0) {
      std::fprintf(stderr, "could not detach %s\n", dev.c_str());
      rc = 1;
    }
    if (!waited || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "checks on %s (%u-byte sectors) failed\n", dev.c_str(), sector);
      rc = 1;
    }
  }
  unlink(backing.c_str());
  if (attached == 0) return skip("losetup could not attach a loop device here");
  return rc;
}
