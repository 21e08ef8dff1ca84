// SPDX-License-Identifier: Apache-2.0
// What a request looks like while it is in flight, made deterministic: these cases link the
// static library and swap the process-wide backend for one that holds every request until the
// test releases it (with the real synchronous engine) or cancels it.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>

#include "async/backend.hpp"
#include "support.hpp"
#include "win32/io_backend.hpp"

using namespace w32_test;

namespace {

class HeldBackend final : public sgio::Backend {
 public:
  ~HeldBackend() override {
    release();
    for (auto& t : cancellers_) t.join();
    drain();
  }
  sgio::BackendKind kind() const noexcept override { return sgio::BackendKind::sync; }
  size_t held() {
    std::lock_guard lock(mutex());
    return held_.size();
  }
  // Runs every held request with the synchronous engine and completes it.
  void release() {
    std::vector<sgio::IoRequest*> now;
    {
      std::lock_guard lock(mutex());
      now.swap(held_);
    }
    std::vector<sgio::Transfer> results;
    for (auto* r : now) results.push_back(sgio::run_transfer(*r));
    std::lock_guard lock(mutex());
    for (size_t i = 0; i < now.size(); ++i) finish_locked(now[i], results[i].bytes, results[i].error);
  }

 private:
  void start_locked(std::unique_lock<std::mutex>&, sgio::IoRequest* const* reqs, size_t n) override {
    held_.insert(held_.end(), reqs, reqs + n);
  }
  bool cancel_locked(sgio::IoRequest* req) noexcept override {
    auto it = std::find(held_.begin(), held_.end(), req);
    if (it == held_.end()) return false;
    held_.erase(it);
    // Completed on another thread, never inside cancel(), as the real backends do.
    cancellers_.emplace_back([this, req] {
      std::lock_guard lock(mutex());
      finish_locked(req, 0, ECANCELED);
    });
    return true;
  }

  std::vector<sgio::IoRequest*> held_;
  std::vector<std::thread> cancellers_;
};

// Installs a HeldBackend for one test case and puts the real one back afterwards.
struct HeldScope {
  HeldBackend* held;
  std::unique_ptr<sgio::Backend> previous;
  HeldScope() {
    auto b = std::make_unique<HeldBackend>();
    held = b.get();
    previous = sgio::win32::exchange_io_backend(std::move(b));
  }
  ~HeldScope() { sgio::win32::exchange_io_backend(std::move(previous)); }
};

struct Direct {
  ScratchDir dir;
  DWORD page = page_size();
  HANDLE file = open_direct(dir.file("p.bin"));
  HANDLE port = CreateIoCompletionPort(file, nullptr, 11, 0);
  HANDLE event = CreateEventW(nullptr, TRUE, TRUE, nullptr);  // initially set: the call must reset it
  Pages buf{2, 0x66};
  FILE_SEGMENT_ELEMENT fse[3] = {};
  Direct() {
    fse[0].Buffer = buf.page(0);
    fse[1].Buffer = buf.page(1);
  }
  ~Direct() {
    CloseHandle(file);
    CloseHandle(port);
    CloseHandle(event);
  }
};

}  // namespace

TEST_SUITE("pending") {

TEST_CASE("at the call: Internal = STATUS_PENDING, InternalHigh = 0, event reset; GetOverlappedResult without wait") {
  HeldScope scope;
  Direct d;
  OVERLAPPED ov{};
  ov.Internal = 0xDEAD;
  ov.InternalHigh = 0xBEEF;
  ov.hEvent = d.event;
  CHECK_BOOL_FAILS(WriteFileGather(d.file, d.fse, 2 * d.page, nullptr, &ov), ERROR_IO_PENDING);
  CHECK(scope.held->held() == 1);
  CHECK(internal_of(ov) == STATUS_PENDING);
  CHECK(internal_high_of(ov) == 0);
  CHECK(WaitForSingleObject(d.event, 0) == WAIT_TIMEOUT);
  CHECK(WaitForSingleObject(d.file, 0) == WAIT_TIMEOUT);  // I/O in flight
  DWORD tx = 0xABCDEF;
  CHECK_BOOL_FAILS(GetOverlappedResult(d.file, &ov, &tx, FALSE), ERROR_IO_INCOMPLETE);
  CHECK(tx == 0);  // written even on failure
  tx = 0xABCDEF;
  CHECK_BOOL_FAILS(GetOverlappedResultEx(d.file, &ov, &tx, 0, FALSE), ERROR_IO_INCOMPLETE);
  CHECK(tx == 0);
  CHECK_BOOL_FAILS(GetOverlappedResultEx(d.file, &ov, &tx, 20, FALSE), WAIT_TIMEOUT);
  DWORD n;
  ULONG_PTR key;
  OVERLAPPED* got = &ov;
  CHECK_BOOL_FAILS(GetQueuedCompletionStatus(d.port, &n, &key, &got, 0), WAIT_TIMEOUT);
  CHECK(got == nullptr);

  scope.held->release();
  CHECK(internal_of(ov) == STATUS_SUCCESS);
  CHECK(internal_high_of(ov) == 2 * d.page);
  CHECK(WaitForSingleObject(d.event, 0) == WAIT_OBJECT_0);
  CHECK(WaitForSingleObject(d.file, 0) == WAIT_OBJECT_0);
  CHECK(GetQueuedCompletionStatus(d.port, &n, &key, &got, 0) == TRUE);
  CHECK(got == &ov);
  CHECK(n == 2 * d.page);
  CHECK(GetOverlappedResult(d.file, &ov, &tx, FALSE) == TRUE);
  CHECK(tx == 2 * d.page);
}

TEST_CASE("the final status and count are in OVERLAPPED before the event is set or the packet posted") {
  HeldScope scope;
  Direct d;
  CHECK(ResetEvent(d.event));
  for (int round = 0; round < 20; ++round) {
    OVERLAPPED ov{};
    ov.hEvent = d.event;
    set_offset(ov, static_cast<uint64_t>(round % 4) * d.page);
    CHECK_BOOL_FAILS(WriteFileGather(d.file, d.fse, d.page, nullptr, &ov), ERROR_IO_PENDING);
    uintptr_t seen_by_event = 0, bytes_by_event = 0, seen_by_port = 0, bytes_by_port = 0;
    std::thread on_event([&] {
      if (WaitForSingleObject(d.event, 10000) == WAIT_OBJECT_0) {
        seen_by_event = internal_of(ov);
        bytes_by_event = internal_high_of(ov);
      }
    });
    std::thread on_port([&] {
      DWORD n;
      ULONG_PTR key;
      OVERLAPPED* got = nullptr;
      if (GetQueuedCompletionStatus(d.port, &n, &key, &got, 10000) && got) {
        seen_by_port = internal_of(*got);
        bytes_by_port = internal_high_of(*got);
      }
    });
    scope.held->release();
    on_event.join();
    on_port.join();
    CHECK(seen_by_event == STATUS_SUCCESS);
    CHECK(bytes_by_event == d.page);
    CHECK(seen_by_port == STATUS_SUCCESS);
    CHECK(bytes_by_port == d.page);
    DWORD tx;
    CHECK(GetOverlappedResult(d.file, &ov, &tx, TRUE) == TRUE);
  }
}

TEST_CASE("GetOverlappedResult(bWait) returns when the request completes on another thread") {
  HeldScope scope;
  Direct d;
  OVERLAPPED ov{};  // hEvent NULL: waits on the request itself
  CHECK_BOOL_FAILS(WriteFileGather(d.file, d.fse, d.page, nullptr, &ov), ERROR_IO_PENDING);
  scope.held->release();
  DWORD tx = 9;
  CHECK(GetOverlappedResult(d.file, &ov, &tx, TRUE) == TRUE);
  std::memset(&ov, 0, sizeof ov);
  CHECK_BOOL_FAILS(ReadFileScatter(d.file, d.fse, 2 * d.page, nullptr, &ov), ERROR_IO_PENDING);
  std::thread releaser([&] {
    while (scope.held->held() == 0) std::this_thread::yield();
    scope.held->release();
  });
  tx = 9;
  CHECK(GetOverlappedResult(d.file, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == d.page);  // the file holds one page
  releaser.join();
}

TEST_CASE("CancelIoEx: the request ends with ERROR_OPERATION_ABORTED, through the packet too") {
  HeldScope scope;
  Direct d;
  OVERLAPPED a{}, b{}, other{};
  a.hEvent = d.event;
  set_offset(b, d.page);
  CHECK_BOOL_FAILS(WriteFileGather(d.file, d.fse, d.page, nullptr, &a), ERROR_IO_PENDING);
  CHECK_BOOL_FAILS(WriteFileGather(d.file, d.fse, d.page, nullptr, &b), ERROR_IO_PENDING);
  CHECK_BOOL_FAILS(CancelIoEx(d.file, &other), ERROR_NOT_FOUND);  // not in flight
  CHECK(CancelIoEx(d.file, &a) == TRUE);
  DWORD tx = 77;
  CHECK_BOOL_FAILS(GetOverlappedResult(d.file, &a, &tx, TRUE), ERROR_OPERATION_ABORTED);
  CHECK(tx == 0);
  CHECK(internal_of(a) == STATUS_CANCELLED);
  CHECK(WaitForSingleObject(d.event, 0) == WAIT_OBJECT_0);
  DWORD n;
  ULONG_PTR key;
  OVERLAPPED* got = nullptr;
  CHECK_BOOL_FAILS(GetQueuedCompletionStatus(d.port, &n, &key, &got, 10000), ERROR_OPERATION_ABORTED);
  CHECK(got == &a);
  CHECK(key == 11);
  CHECK(internal_of(b) == STATUS_PENDING);  // the other request is untouched
  CHECK(CancelIo(d.file) == TRUE);
  CHECK_BOOL_FAILS(GetOverlappedResult(d.file, &b, &tx, TRUE), ERROR_OPERATION_ABORTED);
  CHECK_BOOL_FAILS(CancelIoEx(d.file, nullptr), ERROR_NOT_FOUND);
}

TEST_CASE("CloseHandle with requests in flight cancels them and waits; the memory can go at once") {
  HeldScope scope;
  ScratchDir dir;
  HANDLE f = open_direct(dir.file("c.bin"));
  HANDLE port = CreateIoCompletionPort(f, nullptr, 1, 0);
  auto* pages = new Pages(8, 1);
  auto* fse = new FILE_SEGMENT_ELEMENT[16]();
  auto* ov = new OVERLAPPED[8]();
  for (int i = 0; i < 8; ++i) {
    fse[2 * i].Buffer = pages->page(i);
    set_offset(ov[i], static_cast<uint64_t>(i) * page_size());
    CHECK_BOOL_FAILS(WriteFileGather(f, &fse[2 * i], page_size(), nullptr, &ov[i]), ERROR_IO_PENDING);
  }
  CHECK(scope.held->held() == 8);
  CHECK(CloseHandle(f) == TRUE);
  CHECK(scope.held->held() == 0);
  for (int i = 0; i < 8; ++i) CHECK(internal_of(ov[i]) == STATUS_CANCELLED);
  delete[] ov;
  delete[] fse;
  delete pages;
  int packets = 0;
  for (;;) {
    DWORD n;
    ULONG_PTR key;
    OVERLAPPED* got = nullptr;
    GetQueuedCompletionStatus(port, &n, &key, &got, 0);
    if (!got) break;
    CHECK(GetLastError() == ERROR_OPERATION_ABORTED);
    ++packets;
  }
  CHECK(packets == 8);
  CHECK(CloseHandle(port));
}

TEST_CASE("a completion for a closed port goes nowhere; SKIP_ON_SUCCESS does not skip a pending success") {
  HeldScope scope;
  Direct d;
  REQUIRE(SetFileCompletionNotificationModes(d.file, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
  OVERLAPPED ov{};
  CHECK_BOOL_FAILS(WriteFileGather(d.file, d.fse, d.page, nullptr, &ov), ERROR_IO_PENDING);
  scope.held->release();
  DWORD n;
  ULONG_PTR key;
  OVERLAPPED* got = nullptr;
  CHECK(GetQueuedCompletionStatus(d.port, &n, &key, &got, 0) == TRUE);
  CHECK(got == &ov);
  CHECK_BOOL_FAILS(WriteFileGather(d.file, d.fse, d.page, nullptr, &ov), ERROR_IO_PENDING);
  CHECK(CloseHandle(d.port));
  d.port = nullptr;
  scope.held->release();
  DWORD tx;
  CHECK(GetOverlappedResult(d.file, &ov, &tx, TRUE) == TRUE);
}

}  // TEST_SUITE
