// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness over the Win32 face's argument handling: CreateFileA with any access, share,
// disposition and flag bits; then WriteFileGather / ReadFileScatter with any handle (the file,
// NULL, INVALID_HANDLE_VALUE, an event, a port, a closed or made-up handle), segment array (NULL,
// misaligned or early-terminated elements), byte count, lpReserved and OVERLAPPED (NULL, odd
// offsets, an event or a bogus hEvent), SetFilePointerEx + SetEndOfFile, GetFileSizeEx, events
// and a completion port. Checks: every failure sets a known Win32 code; TRUE or ERROR_IO_PENDING
// is followed by exactly one completion (GetOverlappedResult, the event and one port packet) that
// moves no more than asked; successful writes and reads match a byte model of the file.
#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>
#include <sgio/sgio_win32.h>

#include "fuzz_support.hpp"

namespace {

constexpr DWORD kPages = 16;
constexpr uint64_t kModelMax = 64 * 4096;  // offsets of valid requests stay below this

// Every code the Win32 face may set (lib/win32/nt_status.hpp and sgio_win32.h).
const std::set<DWORD>& known_codes() {
  static const std::set<DWORD> codes{1, 2, 3, 4, 5, 6, 8, 14, 19, 31, 32, 38, 50, 80, 87, 112, 123, 131, 170,
                                     183, 206, 223, 258, 317, 487, 735, 995, 996, 997, 998, 1117, 1168,
                                     1359, 1784};
  return codes;
}

struct State {
  std::string path;
  std::vector<WCHAR> wpath;
  uint8_t* src = nullptr;  // kPages pages from VirtualAlloc
  uint8_t* dst = nullptr;
  DWORD page = 4096;
  uint32_t sector = 0;  // offset alignment of a direct file at `path` (0: no O_DIRECT here)
  HANDLE closed = nullptr;
  std::vector<uint8_t> pattern;  // src is a window of it (memcpy: byte loops are slow under coverage)
};

State& state() {
  static State* s = [] {
    auto* st = new State;
    st->path = sgio_fuzz::scratch_path("win32");
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    st->page = si.dwPageSize;
    st->src = static_cast<uint8_t*>(VirtualAlloc(nullptr, kPages * st->page, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    st->dst = static_cast<uint8_t*>(VirtualAlloc(nullptr, kPages * st->page, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    FUZZ_CHECK(st->src && st->dst, "VirtualAlloc");
    // The sector size the face will enforce, from the native face on the same file system.
    sgio_open_options o;
    sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION);
    o.flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_DIRECT;
    sgio_file* f = nullptr;
    if (sgio_file_open(&f, st->path.c_str(), &o) == 0) {
      uint32_t mem = 0;
      sgio_file_alignment(f, &mem, &st->sector);
      sgio_file_close(f);
    }
    st->pattern.resize(kPages * st->page + 4096);
    for (size_t i = 0; i < st->pattern.size(); ++i) st->pattern[i] = static_cast<uint8_t>(i * 13 + (i >> 12));
    st->closed = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    CloseHandle(st->closed);
    static std::string path_at_exit = st->path;
    std::atexit([] { unlink(path_at_exit.c_str()); });
    return st;
  }();
  return *s;
}

void check_code(const char* what) {
  DWORD e = GetLastError();
  FUZZ_CHECK(e != 0 && known_codes().count(e), "%s failed with unknown code %u", what, e);
}

struct Model {
  std::vector<uint8_t> bytes;
  uint64_t pointer = 0;  // the handle's file pointer
};

class Session {
 public:
  Session(FuzzedDataProvider& in, State& st, HANDLE file) : in_(in), st_(st), file_(file) {
    if (in_.ConsumeBool()) {
      key_ = in_.ConsumeIntegral<uint32_t>();
      port_ = CreateIoCompletionPort(file_, nullptr, key_, 0);
      FUZZ_CHECK(port_ != nullptr, "CreateIoCompletionPort: %u", GetLastError());
    }
    event_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    FUZZ_CHECK(event_ != nullptr, "CreateEventW");
  }
  ~Session() {
    FUZZ_CHECK(CloseHandle(event_), "close event");
    if (port_) {
      drain_none();
      FUZZ_CHECK(CloseHandle(port_), "close port");
    }
  }

  void run() {
    for (int ops = 0; ops < 24 && in_.remaining_bytes() > 0; ++ops) {
      switch (in_.ConsumeIntegralInRange<int>(0, 7)) {
        case 0:
        case 1: transfer(true); break;
        case 2:
        case 3: transfer(false); break;
        case 4: seek_and_cut(); break;
        case 5: size(); break;
        case 6: events(); break;
        default: post(); break;
      }
    }
  }

 private:
  HANDLE pick_handle() {
    switch (in_.ConsumeIntegralInRange<int>(0, 15)) {
      case 0: return nullptr;
      case 1: return INVALID_HANDLE_VALUE;
      case 2: return event_;
      case 3: return st_.closed;
      case 4: {
        HANDLE h = reinterpret_cast<HANDLE>(static_cast<uintptr_t>(in_.ConsumeIntegral<uint64_t>()));
        return h == file_ || h == port_ ? nullptr : h;
      }
      case 5: return port_;
      default: return file_;
    }
  }

  void transfer(bool write) {
    const DWORD page = st_.page;
    HANDLE h = pick_handle();
    // The array: kPages pages (the source or destination buffer), NULL-terminated at `len`.
    FILE_SEGMENT_ELEMENT segs[kPages + 1];
    DWORD len = in_.ConsumeIntegralInRange<DWORD>(0, kPages);
    uint8_t* pool = write ? st_.src : st_.dst;
    std::vector<DWORD> order(kPages);
    for (DWORD i = 0; i < kPages; ++i) order[i] = i;
    for (DWORD i = 0; i + 1 < kPages && in_.ConsumeBool(); ++i) std::swap(order[i], order[in_.ConsumeIntegralInRange<DWORD>(i, kPages - 1)]);
    for (DWORD i = 0; i <= kPages; ++i) segs[i].Alignment = 0;
    for (DWORD i = 0; i < len; ++i) segs[i].Buffer = pool + order[i] * page;
    DWORD bad_at = UINT32_MAX;  // the first element that is not page-aligned
    if (len > 0 && in_.ConsumeIntegralInRange<int>(0, 9) == 0) {
      bad_at = in_.ConsumeIntegralInRange<DWORD>(0, len - 1);
      segs[bad_at].Alignment += in_.ConsumeIntegralInRange<uint64_t>(1, page - 1);
    }
    DWORD bytes = 0;
    switch (in_.ConsumeIntegralInRange<int>(0, 5)) {
      case 0: bytes = 0; break;
      case 1: bytes = in_.ConsumeIntegralInRange<DWORD>(0, (kPages + 1) * page); break;  // may pass the NULL
      case 2: bytes = in_.ConsumeIntegralInRange<DWORD>(0, kPages * (page / 512)) * 512; break;
      default: bytes = in_.ConsumeIntegralInRange<DWORD>(0, len) * page; break;
    }
    bytes = std::min<DWORD>(bytes, (kPages + 1) * page);  // the array has kPages + 1 elements
    DWORD reserved_value = 0;
    LPDWORD reserved = in_.ConsumeIntegralInRange<int>(0, 15) == 0 ? &reserved_value : nullptr;
    OVERLAPPED ov;
    std::memset(&ov, 0, sizeof ov);
    uint64_t off = 0;
    switch (in_.ConsumeIntegralInRange<int>(0, 7)) {
      case 0: off = in_.ConsumeIntegral<uint64_t>(); break;
      case 1: off = in_.ConsumeIntegralInRange<uint64_t>(0, kModelMax); break;
      default: off = in_.ConsumeIntegralInRange<uint64_t>(0, kModelMax / page - kPages - 1) * page; break;
    }
    ov.Offset = static_cast<DWORD>(off);
    ov.OffsetHigh = static_cast<DWORD>(off >> 32);
    int ev = in_.ConsumeIntegralInRange<int>(0, 7);
    if (ev == 0) ov.hEvent = st_.closed;
    else if (ev < 4) ov.hEvent = event_;
    if (ov.hEvent == event_) ResetEvent(event_);
    bool null_ov = in_.ConsumeIntegralInRange<int>(0, 15) == 0;
    bool null_array = in_.ConsumeIntegralInRange<int>(0, 15) == 0;
    std::memset(st_.dst, 0xA5, kPages * page);

    SetLastError(0);
    BOOL ok = write ? WriteFileGather(h, null_array ? nullptr : segs, bytes, reserved, null_ov ? nullptr : &ov)
                    : ReadFileScatter(h, null_array ? nullptr : segs, bytes, reserved, null_ov ? nullptr : &ov);
    DWORD err = ok ? 0 : GetLastError();
    bool started = ok || err == ERROR_IO_PENDING;
    if (!started) {
      check_code(write ? "WriteFileGather" : "ReadFileScatter");
      return;
    }
    // What the contract demands for a request to start at all.
    FUZZ_CHECK(h == file_ && !null_ov && !reserved && ov.hEvent != st_.closed, "a bad call started (h %p)", h);
    FUZZ_CHECK(st_.sector != 0 && bytes % st_.sector == 0 && off % st_.sector == 0, "misaligned call started");
    FUZZ_CHECK(bytes == 0 || !null_array, "a NULL segment array started");
    // The elements the request needs: a read is first cut at end of file (rounded up to the
    // sector), so elements after that are never looked at, as on Windows.
    const bool huge = off >= 4 * kModelMax;
    uint64_t size_now = model_.bytes.size();
    uint64_t eff = bytes;
    if (!write) {
      uint64_t avail = off >= size_now ? 0 : size_now - off;
      eff = std::min<uint64_t>(bytes, (avail + st_.sector - 1) / st_.sector * st_.sector);
    }
    uint64_t needed = (eff + page - 1) / page;
    FUZZ_CHECK(needed <= len, "a request past the NULL element started (%llu > %u)", (unsigned long long)needed, len);
    FUZZ_CHECK(bad_at >= needed, "a misaligned element started");
    FUZZ_CHECK(!ok || write, "ReadFileScatter returned TRUE");

    DWORD n = UINT32_MAX;
    BOOL done = GetOverlappedResult(file_, &ov, &n, TRUE);
    DWORD derr = done ? 0 : GetLastError();
    FUZZ_CHECK(n <= bytes, "completion claims %u of %u", n, bytes);
    FUZZ_CHECK(ov.Internal != STATUS_PENDING, "GetOverlappedResult(TRUE) returned while pending");
    if (ov.hEvent == event_) FUZZ_CHECK(WaitForSingleObject(event_, 0) == WAIT_OBJECT_0, "event not set");
    if (port_) take_packet(&ov, n);
    Model& m = model_;
    if (write && huge) {
      // Far beyond the model (a sparse file may have grown, or EFBIG): cut the file back.
      if (!done) check_code("GetOverlappedResult");
      restore_size();
      return;
    }
    if (write) {
      FUZZ_CHECK(done && n == bytes, "write on a healthy file: ok %d n %u of %u err %u", done, n, bytes, derr);
      if (n > 0 && off + n > m.bytes.size()) m.bytes.resize(off + n, 0);
      for (DWORD i = 0; i * page < n; ++i)
        std::memcpy(m.bytes.data() + off + i * page, segs[i].Buffer, std::min<DWORD>(page, n - i * page));
    } else {
      uint64_t avail = off >= m.bytes.size() ? 0 : m.bytes.size() - off;
      uint64_t expect = std::min<uint64_t>(bytes, avail);
      if (bytes != 0 && expect == 0) {
        FUZZ_CHECK(!done && derr == ERROR_HANDLE_EOF, "read at EOF: ok %d err %u", done, derr);
        return;
      }
      FUZZ_CHECK(done && n == expect, "read: ok %d n %u, model says %llu (err %u)", done, n, (unsigned long long)expect, derr);
      for (DWORD i = 0; i * page < n; ++i)
        FUZZ_CHECK(std::memcmp(m.bytes.data() + off + i * page, segs[i].Buffer, std::min<DWORD>(page, n - i * page)) == 0,
                   "read page %u differs from the model", i);
    }
  }

  void restore_size() {
    LARGE_INTEGER d, pos;
    d.QuadPart = static_cast<int64_t>(model_.bytes.size());
    FUZZ_CHECK(SetFilePointerEx(file_, d, &pos, FILE_BEGIN) && SetEndOfFile(file_), "restore size");
    d.QuadPart = static_cast<int64_t>(model_.pointer);
    FUZZ_CHECK(SetFilePointerEx(file_, d, &pos, FILE_BEGIN), "restore pointer");
  }

  void take_packet(LPOVERLAPPED want, DWORD n) {
    DWORD got = UINT32_MAX;
    ULONG_PTR key = 0;
    LPOVERLAPPED ov = nullptr;
    GetQueuedCompletionStatus(port_, &got, &key, &ov, 10000);
    FUZZ_CHECK(ov == want && key == key_ && got == n, "packet %p key %lu bytes %u, want %p %u %u", (void*)ov,
               (unsigned long)key, got, (void*)want, (unsigned)key_, n);
  }

  void drain_none() {
    DWORD got = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED ov = reinterpret_cast<LPOVERLAPPED>(uintptr_t{8});
    BOOL ok = GetQueuedCompletionStatus(port_, &got, &key, &ov, 0);
    FUZZ_CHECK(!ok && ov == nullptr && GetLastError() == WAIT_TIMEOUT, "a stray packet on the port");
  }

  void post() {
    if (!port_) return;
    DWORD n = in_.ConsumeIntegral<DWORD>();
    OVERLAPPED ov;
    FUZZ_CHECK(PostQueuedCompletionStatus(port_, n, key_, &ov), "post");
    take_packet(&ov, n);
  }

  void seek_and_cut() {
    LARGE_INTEGER d;
    d.QuadPart = in_.ConsumeBool() ? in_.ConsumeIntegralInRange<int64_t>(-kModelMax, kModelMax)
                                   : in_.ConsumeIntegral<int64_t>();
    DWORD method = in_.ConsumeIntegralInRange<DWORD>(0, 4);
    LARGE_INTEGER pos;
    pos.QuadPart = -1;
    HANDLE h = pick_handle();
    BOOL ok = SetFilePointerEx(h, d, &pos, method);
    if (h != file_ || method > FILE_END) {
      FUZZ_CHECK(!ok, "SetFilePointerEx on a bad handle or method succeeded");
      check_code("SetFilePointerEx");
      return;
    }
    int64_t base = method == FILE_BEGIN ? 0 : method == FILE_CURRENT ? static_cast<int64_t>(model_.pointer)
                                                                      : static_cast<int64_t>(model_.bytes.size());
    __int128 want = static_cast<__int128>(base) + d.QuadPart;
    if (want < 0) {
      FUZZ_CHECK(!ok && GetLastError() == ERROR_NEGATIVE_SEEK, "negative seek: ok %d err %u", ok, GetLastError());
      return;
    }
    if (want > INT64_MAX) {
      FUZZ_CHECK(!ok, "a pointer beyond INT64_MAX was accepted");
      check_code("SetFilePointerEx");
      return;
    }
    if (!ok) {
      check_code("SetFilePointerEx");
      return;
    }
    FUZZ_CHECK(pos.QuadPart == static_cast<int64_t>(want), "pointer %lld, want %lld", (long long)pos.QuadPart, (long long)want);
    model_.pointer = static_cast<uint64_t>(pos.QuadPart);
    if (model_.pointer <= kModelMax + kPages * st_.page && in_.ConsumeBool()) {
      FUZZ_CHECK(SetEndOfFile(file_), "SetEndOfFile at %llu: %u", (unsigned long long)model_.pointer, GetLastError());
      model_.bytes.resize(model_.pointer, 0);
    }
  }

  void size() {
    LARGE_INTEGER s;
    HANDLE h = pick_handle();
    BOOL ok = GetFileSizeEx(h, &s);
    if (h != file_) {
      FUZZ_CHECK(!ok, "GetFileSizeEx on a bad handle succeeded");
      check_code("GetFileSizeEx");
      return;
    }
    FUZZ_CHECK(ok && static_cast<uint64_t>(s.QuadPart) == model_.bytes.size(), "size %lld, model %zu",
               (long long)s.QuadPart, model_.bytes.size());
  }

  void events() {
    BOOL manual = in_.ConsumeBool(), initial = in_.ConsumeBool();
    HANDLE e = CreateEventW(nullptr, manual, initial, nullptr);
    FUZZ_CHECK(e != nullptr, "CreateEventW");
    FUZZ_CHECK(WaitForSingleObject(e, 0) == (initial ? WAIT_OBJECT_0 : WAIT_TIMEOUT), "initial state");
    FUZZ_CHECK(SetEvent(e), "SetEvent");
    FUZZ_CHECK(WaitForSingleObject(e, 0) == WAIT_OBJECT_0, "set");
    FUZZ_CHECK(WaitForSingleObject(e, 0) == (manual ? WAIT_OBJECT_0 : WAIT_TIMEOUT), "auto reset");
    FUZZ_CHECK(ResetEvent(e) && WaitForSingleObject(e, 0) == WAIT_TIMEOUT, "reset");
    FUZZ_CHECK(CloseHandle(e), "close");
    FUZZ_CHECK(!CloseHandle(e) && GetLastError() == ERROR_INVALID_HANDLE, "double close");
    FUZZ_CHECK(WaitForSingleObject(e, 0) == WAIT_FAILED, "wait on a closed event");
  }

  FuzzedDataProvider& in_;
  State& st_;
  HANDLE file_;
  HANDLE port_ = nullptr;
  HANDLE event_ = nullptr;
  ULONG_PTR key_ = 0;
  Model model_;
};

// CreateFileA with fuzzed arguments: any result is fine as long as a failure has a known code
// and a success is a handle that closes once.
void fuzz_create(FuzzedDataProvider& in, State& st) {
  DWORD access = in.ConsumeBool() ? (in.ConsumeIntegral<DWORD>() & (GENERIC_READ | GENERIC_WRITE)) : in.ConsumeIntegral<DWORD>();
  DWORD share = in.ConsumeIntegral<DWORD>() & 7;
  DWORD disp = in.ConsumeIntegralInRange<DWORD>(0, 6);
  DWORD flags = in.ConsumeIntegral<DWORD>();
  if (in.ConsumeBool()) flags &= 0xFC000000u | FILE_ATTRIBUTE_NORMAL;
  const char* paths[] = {st.path.c_str(), "/dev/shm", "", "/dev/shm/sgio-fuzz-no-dir/x", nullptr};
  const char* path = paths[in.ConsumeIntegralInRange<int>(0, 4)];
  HANDLE tmpl = in.ConsumeIntegralInRange<int>(0, 7) == 0 ? st.closed : nullptr;
  HANDLE h = CreateFileA(path, access, share, nullptr, disp, flags, tmpl);
  if (h == INVALID_HANDLE_VALUE) {
    check_code("CreateFileA");
    return;
  }
  FUZZ_CHECK(h != nullptr, "CreateFileA returned NULL");
  FUZZ_CHECK(CloseHandle(h), "close");
  FUZZ_CHECK(!CloseHandle(h) && GetLastError() == ERROR_INVALID_HANDLE, "double close");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  State& st = state();
  FuzzedDataProvider in(data, size);
  uint8_t seed = in.ConsumeIntegral<uint8_t>();
  std::memcpy(st.src, st.pattern.data() + seed * 13, kPages * st.page);
  if (in.ConsumeBool()) fuzz_create(in, st);
  if (st.sector == 0) return 0;  // no O_DIRECT on this file system: nothing more to drive
  HANDLE h = CreateFileA(st.path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                         FILE_FLAG_OVERLAPPED | FILE_FLAG_NO_BUFFERING, nullptr);
  FUZZ_CHECK(h != INVALID_HANDLE_VALUE, "CreateFileA: %u", GetLastError());
  {
    Session s(in, st, h);
    s.run();
  }
  FUZZ_CHECK(CloseHandle(h), "close file");
  return 0;
}
