// SPDX-License-Identifier: Apache-2.0
// WriteFileGather / ReadFileScatter: the lines on results, packets, EOF and data.
#include <fcntl.h>
#include <unistd.h>

#include <memory>

#include "support.hpp"

using namespace w32_test;

namespace {

// An overlapped direct file bound to its own port (key 7) with a manual-reset event.
struct Fixture {
  ScratchDir dir;
  DWORD page = page_size();
  std::string path = dir.file("data.bin");
  HANDLE file = open_direct(path);
  HANDLE port = CreateIoCompletionPort(file, nullptr, 7, 0);
  HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);

  Fixture() {
    REQUIRE(port != nullptr);
    REQUIRE(event != nullptr);
  }
  ~Fixture() {
    CloseHandle(file);
    CloseHandle(port);
    CloseHandle(event);
  }
  OVERLAPPED at(uint64_t offset) const {
    OVERLAPPED ov;
    std::memset(&ov, 0, sizeof ov);
    set_offset(ov, offset);
    ov.hEvent = event;
    return ov;
  }
  // Dequeues one packet that must be for `ov`; returns GetQueuedCompletionStatus's result.
  BOOL packet_for(OVERLAPPED& ov, DWORD* bytes = nullptr) const {
    DWORD n = 0;
    ULONG_PTR key = 0;
    OVERLAPPED* got = nullptr;
    BOOL r = GetQueuedCompletionStatus(port, &n, &key, &got, 10000);
    DWORD err = GetLastError();
    CHECK(got == &ov);
    CHECK(key == 7);
    if (bytes) *bytes = n;
    SetLastError(err);
    return r;
  }
  bool no_packet() const {
    DWORD n = 0;
    ULONG_PTR key = 0;
    OVERLAPPED* got = reinterpret_cast<OVERLAPPED*>(1);
    BOOL r = GetQueuedCompletionStatus(port, &n, &key, &got, 0);
    return r == FALSE && GetLastError() == WAIT_TIMEOUT && got == nullptr;
  }
  std::vector<uint8_t> contents() const {
    std::vector<uint8_t> out;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    uint8_t buf[4096];
    for (ssize_t r; (r = ::read(fd, buf, sizeof buf)) > 0;) out.insert(out.end(), buf, buf + r);
    ::close(fd);
    return out;
  }
};

// Writes `pages` pages (page i filled with `fill + i`) at `offset` and waits for the packet.
void gather(Fixture& fx, uint64_t offset, DWORD pages, uint8_t fill) {
  Pages buf(pages);
  std::vector<FILE_SEGMENT_ELEMENT> fse(pages + 1);
  for (DWORD i = 0; i < pages; ++i) {
    std::memset(buf.page(i), fill + i, fx.page);
    fse[i].Buffer = buf.page(i);
  }
  fse[pages].Buffer = nullptr;
  OVERLAPPED ov = fx.at(offset);
  BOOL r = WriteFileGather(fx.file, fse.data(), pages * fx.page, nullptr, &ov);
  if (!r) REQUIRE(GetLastError() == ERROR_IO_PENDING);
  DWORD n = 0;
  CHECK(fx.packet_for(ov, &n) == TRUE);
  CHECK(n == pages * fx.page);
  DWORD tx = 0;
  CHECK(GetOverlappedResult(fx.file, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == pages * fx.page);
}

}  // namespace

TEST_SUITE("gather_scatter") {

TEST_CASE("gather write: TRUE or pending, a packet either way, GetOverlappedResult gives the count") {
  Fixture fx;
  Pages buf(4);
  FILE_SEGMENT_ELEMENT fse[5];
  // Pages out of order and not adjacent: segment i is page (3 - i).
  for (int i = 0; i < 4; ++i) {
    std::memset(buf.page(3 - i), 'a' + i, fx.page);
    fse[i].Buffer = buf.page(3 - i);
  }
  fse[4].Buffer = nullptr;
  OVERLAPPED ov = fx.at(0);
  ov.Internal = 12345;
  ov.InternalHigh = 777;
  BOOL r = WriteFileGather(fx.file, fse, 4 * fx.page, nullptr, &ov);
  if (!r) CHECK(GetLastError() == ERROR_IO_PENDING);
  DWORD n = 0;
  CHECK(fx.packet_for(ov, &n) == TRUE);
  CHECK(n == 4 * fx.page);
  // The packet is posted only after OVERLAPPED holds the final status and count.
  CHECK(internal_of(ov) == STATUS_SUCCESS);
  CHECK(internal_high_of(ov) == 4 * fx.page);
  DWORD tx = 0;
  CHECK(GetOverlappedResult(fx.file, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == 4 * fx.page);
  CHECK(WaitForSingleObject(fx.event, 0) == WAIT_OBJECT_0);
  std::vector<uint8_t> data = fx.contents();
  REQUIRE(data.size() == 4 * fx.page);
  for (int i = 0; i < 4; ++i) CHECK(data[i * fx.page] == 'a' + i);
  CHECK(fx.no_packet());
}

TEST_CASE("gather write past end of file extends the file") {
  Fixture fx;
  gather(fx, 0, 1, 1);
  gather(fx, 8 * uint64_t{fx.page}, 2, 10);
  LARGE_INTEGER size;
  CHECK(GetFileSizeEx(fx.file, &size) == TRUE);
  CHECK(size.QuadPart == 10 * int64_t{fx.page});
  std::vector<uint8_t> data = fx.contents();
  REQUIRE(data.size() == 10 * fx.page);
  CHECK(data[0] == 1);
  CHECK(data[fx.page] == 0);  // the hole reads as zeros
  CHECK(data[8 * fx.page] == 10);
  CHECK(data[9 * fx.page + fx.page - 1] == 11);
}

TEST_CASE("gather of a byte count that ends inside a page writes only that part") {
  Fixture fx;
  const uint32_t sector = sector_of(fx.file);
  if (sector >= fx.page) return;  // a 4Kn disk: no sub-page sector multiple exists
  Pages buf(2, 0x5A);
  FILE_SEGMENT_ELEMENT fse[3] = {};
  fse[0].Buffer = buf.page(0);
  fse[1].Buffer = buf.page(1);
  OVERLAPPED ov = fx.at(0);
  const DWORD bytes = fx.page + sector;
  BOOL r = WriteFileGather(fx.file, fse, bytes, nullptr, &ov);
  if (!r) CHECK(GetLastError() == ERROR_IO_PENDING);
  DWORD tx = 0;
  CHECK(GetOverlappedResult(fx.file, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == bytes);
  CHECK(fx.contents().size() == bytes);
  CHECK(fx.packet_for(ov) == TRUE);
}

TEST_CASE("FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: no packet for a gather that returned TRUE") {
  Fixture fx;
  REQUIRE(SetFileCompletionNotificationModes(fx.file, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) == TRUE);
  Pages buf(1, 3);
  FILE_SEGMENT_ELEMENT fse[2] = {};
  fse[0].Buffer = buf.get();
  OVERLAPPED ov = fx.at(0);
  BOOL r = WriteFileGather(fx.file, fse, fx.page, nullptr, &ov);
  DWORD err = GetLastError();
  DWORD tx = 0;
  CHECK(GetOverlappedResult(fx.file, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == fx.page);
  if (r) {
    CHECK(fx.no_packet());
  } else {
    CHECK(err == ERROR_IO_PENDING);
    CHECK(fx.packet_for(ov) == TRUE);  // not a synchronous success: the packet comes
  }
}

TEST_CASE("an event handle with its low bit set keeps the packet off the port") {
  Fixture fx;
  Pages buf(1, 9);
  FILE_SEGMENT_ELEMENT fse[2] = {};
  fse[0].Buffer = buf.get();
  OVERLAPPED ov = fx.at(0);
  ov.hEvent = reinterpret_cast<HANDLE>(reinterpret_cast<uintptr_t>(fx.event) | 1);
  BOOL r = WriteFileGather(fx.file, fse, fx.page, nullptr, &ov);
  if (!r) CHECK(GetLastError() == ERROR_IO_PENDING);
  CHECK(WaitForSingleObject(fx.event, 10000) == WAIT_OBJECT_0);  // the event itself is still set
  DWORD tx = 0;
  CHECK(GetOverlappedResult(fx.file, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == fx.page);
  CHECK(WaitForSingleObject(fx.file, 10000) == WAIT_OBJECT_0);
  CHECK(fx.no_packet());
}

TEST_CASE("scatter read: pending, then the data through packet and GetOverlappedResult") {
  Fixture fx;
  gather(fx, 0, 3, 0x30);
  Pages buf(3);
  FILE_SEGMENT_ELEMENT fse[4] = {};
  // Read the three file pages into buffer pages 2, 0, 1.
  fse[0].Buffer = buf.page(2);
  fse[1].Buffer = buf.page(0);
  fse[2].Buffer = buf.page(1);
  OVERLAPPED ov = fx.at(0);
  CHECK_BOOL_FAILS(ReadFileScatter(fx.file, fse, 3 * fx.page, nullptr, &ov), ERROR_IO_PENDING);
  DWORD n = 0;
  CHECK(fx.packet_for(ov, &n) == TRUE);
  CHECK(n == 3 * fx.page);
  DWORD tx = 0;
  CHECK(GetOverlappedResult(fx.file, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == 3 * fx.page);
  CHECK(buf.page(2)[0] == 0x30);
  CHECK(buf.page(0)[fx.page - 1] == 0x31);
  CHECK(buf.page(1)[17] == 0x32);
}

TEST_CASE("scatter read starting at end of file ends with ERROR_HANDLE_EOF through packet and result") {
  Fixture fx;
  gather(fx, 0, 1, 1);
  Pages buf(1, 0xEE);
  FILE_SEGMENT_ELEMENT fse[2] = {};
  fse[0].Buffer = buf.get();
  for (uint64_t off : {uint64_t{fx.page}, uint64_t{4} * fx.page}) {  // at and beyond end of file
    OVERLAPPED ov = fx.at(off);
    CHECK_BOOL_FAILS(ReadFileScatter(fx.file, fse, fx.page, nullptr, &ov), ERROR_IO_PENDING);
    DWORD n = 99;
    CHECK(fx.packet_for(ov, &n) == FALSE);
    CHECK(GetLastError() == ERROR_HANDLE_EOF);
    CHECK(n == 0);
    DWORD tx = 99;
    CHECK_BOOL_FAILS(GetOverlappedResult(fx.file, &ov, &tx, TRUE), ERROR_HANDLE_EOF);
    CHECK(tx == 0);
    CHECK(internal_of(ov) == STATUS_END_OF_FILE);
    CHECK(buf.get()[0] == 0xEE);
  }
}

TEST_CASE("scatter read crossing end of file: short count, later segments untouched") {
  Fixture fx;
  const uint32_t sector = sector_of(fx.file);
  gather(fx, 0, 2, 0x40);
  // Make the file end one sector into its second page.
  LARGE_INTEGER end;
  end.QuadPart = fx.page + sector;
  REQUIRE(SetFilePointerEx(fx.file, end, nullptr, FILE_BEGIN));
  REQUIRE(SetEndOfFile(fx.file));
  Pages buf(4, 0x17);
  FILE_SEGMENT_ELEMENT fse[4];  // exactly four elements: no terminator needed
  for (int i = 0; i < 4; ++i) fse[i].Buffer = buf.page(i);
  OVERLAPPED ov = fx.at(0);
  CHECK_BOOL_FAILS(ReadFileScatter(fx.file, fse, 4 * fx.page, nullptr, &ov), ERROR_IO_PENDING);
  DWORD n = 0;
  CHECK(fx.packet_for(ov, &n) == TRUE);
  CHECK(n == fx.page + sector);
  DWORD tx = 0;
  CHECK(GetOverlappedResult(fx.file, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == fx.page + sector);
  CHECK(buf.page(0)[0] == 0x40);
  CHECK(buf.page(1)[sector - 1] == 0x41);
  size_t touched = 0;
  for (size_t i = fx.page + sector; i < 4 * size_t{fx.page}; ++i) touched += buf.get()[i] != 0x17;
  CHECK(touched == 0);
}

TEST_CASE("a byte count that is a sector multiple but not a page multiple is legal") {
  Fixture fx;
  const uint32_t sector = sector_of(fx.file);
  if (sector >= fx.page) return;
  gather(fx, 0, 2, 0x50);
  Pages buf(1, 0);
  FILE_SEGMENT_ELEMENT fse[2] = {};
  fse[0].Buffer = buf.get();
  OVERLAPPED ov = fx.at(sector);  // a sector-aligned, not page-aligned offset is legal too
  CHECK_BOOL_FAILS(ReadFileScatter(fx.file, fse, sector, nullptr, &ov), ERROR_IO_PENDING);
  CHECK(fx.packet_for(ov) == TRUE);
  DWORD tx = 0;
  CHECK(GetOverlappedResult(fx.file, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == sector);
  CHECK(buf.get()[0] == 0x50);
  CHECK(buf.get()[sector] == 0);
}

TEST_CASE("a zero-byte gather completes with 0 bytes and posts") {
  Fixture fx;
  OVERLAPPED ov = fx.at(0);
  BOOL r = WriteFileGather(fx.file, nullptr, 0, nullptr, &ov);
  if (!r) CHECK(GetLastError() == ERROR_IO_PENDING);
  DWORD n = 1;
  CHECK(fx.packet_for(ov, &n) == TRUE);
  CHECK(n == 0);
  DWORD tx = 1;
  CHECK(GetOverlappedResult(fx.file, &ov, &tx, FALSE) == TRUE);
  CHECK(tx == 0);
}

TEST_CASE("many gathers and scatters in flight at once keep their data apart") {
  Fixture fx;
  constexpr int kOps = 32;
  Pages wbuf(kOps * 2);
  Pages rbuf(kOps * 2);
  std::vector<FILE_SEGMENT_ELEMENT> wfse(kOps * 3), rfse(kOps * 3);
  std::unique_ptr<OVERLAPPED[]> wov(new OVERLAPPED[kOps]), rov(new OVERLAPPED[kOps]);
  for (int i = 0; i < kOps; ++i) {
    std::memset(wbuf.page(2 * i), i, fx.page);
    std::memset(wbuf.page(2 * i + 1), 100 + i, fx.page);
    wfse[3 * i] = FILE_SEGMENT_ELEMENT{wbuf.page(2 * i)};
    wfse[3 * i + 1] = FILE_SEGMENT_ELEMENT{wbuf.page(2 * i + 1)};
    wfse[3 * i + 2] = FILE_SEGMENT_ELEMENT{nullptr};
    wov[i] = fx.at(uint64_t{2} * i * fx.page);
    wov[i].hEvent = nullptr;
    BOOL r = WriteFileGather(fx.file, &wfse[3 * i], 2 * fx.page, nullptr, &wov[i]);
    if (!r) REQUIRE(GetLastError() == ERROR_IO_PENDING);
  }
  std::vector<OVERLAPPED_ENTRY> entries(kOps);
  int seen = 0;
  while (seen < kOps) {
    ULONG got = 0;
    REQUIRE(GetQueuedCompletionStatusEx(fx.port, entries.data(), kOps, &got, 10000, FALSE) == TRUE);
    for (ULONG k = 0; k < got; ++k) {
      CHECK(entries[k].Internal == STATUS_SUCCESS);
      CHECK(entries[k].dwNumberOfBytesTransferred == 2 * fx.page);
      CHECK(entries[k].lpCompletionKey == 7);
    }
    seen += static_cast<int>(got);
  }
  CHECK(seen == kOps);
  for (int i = 0; i < kOps; ++i) {
    rfse[3 * i] = FILE_SEGMENT_ELEMENT{rbuf.page(2 * i + 1)};  // swapped on the way back
    rfse[3 * i + 1] = FILE_SEGMENT_ELEMENT{rbuf.page(2 * i)};
    rfse[3 * i + 2] = FILE_SEGMENT_ELEMENT{nullptr};
    rov[i] = fx.at(uint64_t{2} * i * fx.page);
    rov[i].hEvent = nullptr;
    CHECK_BOOL_FAILS(ReadFileScatter(fx.file, &rfse[3 * i], 2 * fx.page, nullptr, &rov[i]), ERROR_IO_PENDING);
  }
  for (int i = 0; i < kOps; ++i) {
    DWORD tx = 0;
    CHECK(GetOverlappedResult(fx.file, &rov[i], &tx, TRUE) == TRUE);  // waits on the request itself
    CHECK(tx == 2 * fx.page);
    CHECK(rbuf.page(2 * i + 1)[5] == i);
    CHECK(rbuf.page(2 * i)[fx.page - 1] == 100 + i);
  }
  seen = 0;
  while (seen < kOps) {
    ULONG got = 0;
    REQUIRE(GetQueuedCompletionStatusEx(fx.port, entries.data(), kOps, &got, 10000, FALSE) == TRUE);
    seen += static_cast<int>(got);
  }
  CHECK(fx.no_packet());
}

TEST_CASE("CancelIoEx with nothing in flight: FALSE + ERROR_NOT_FOUND") {
  Fixture fx;
  OVERLAPPED ov = fx.at(0);
  CHECK_BOOL_FAILS(CancelIoEx(fx.file, &ov), ERROR_NOT_FOUND);
  CHECK_BOOL_FAILS(CancelIoEx(fx.file, nullptr), ERROR_NOT_FOUND);
  CHECK(CancelIo(fx.file) == TRUE);
}

TEST_CASE("CancelIoEx on requests in flight: each ends exactly once, done or ERROR_OPERATION_ABORTED") {
  Fixture fx;
  constexpr int kOps = 32;
  Pages buf(kOps * 16, 0x61);
  std::vector<FILE_SEGMENT_ELEMENT> fse(kOps * 17);
  std::unique_ptr<OVERLAPPED[]> ov(new OVERLAPPED[kOps]);
  for (int i = 0; i < kOps; ++i) {
    for (int p = 0; p < 16; ++p) fse[17 * i + p].Buffer = buf.page(16 * i + p);
    fse[17 * i + 16].Buffer = nullptr;
    ov[i] = fx.at(uint64_t{16} * i * fx.page);
    ov[i].hEvent = nullptr;
    BOOL r = WriteFileGather(fx.file, &fse[17 * i], 16 * fx.page, nullptr, &ov[i]);
    if (!r) REQUIRE(GetLastError() == ERROR_IO_PENDING);
  }
  BOOL cancelled = CancelIoEx(fx.file, nullptr);
  if (!cancelled) CHECK(GetLastError() == ERROR_NOT_FOUND);  // all had finished already
  int aborted = 0;
  for (int i = 0; i < kOps; ++i) {
    DWORD tx = 0;
    BOOL r = GetOverlappedResult(fx.file, &ov[i], &tx, TRUE);
    if (r) {
      CHECK(tx == 16 * fx.page);
    } else {
      CHECK(GetLastError() == ERROR_OPERATION_ABORTED);
      CHECK(internal_of(ov[i]) == STATUS_CANCELLED);
      ++aborted;
    }
  }
  int packets = 0, failed_packets = 0;
  for (;;) {
    DWORD n;
    ULONG_PTR key;
    OVERLAPPED* got = nullptr;
    BOOL r = GetQueuedCompletionStatus(fx.port, &n, &key, &got, 0);
    if (!got) break;
    ++packets;
    if (!r) {
      CHECK(GetLastError() == ERROR_OPERATION_ABORTED);
      ++failed_packets;
    }
  }
  CHECK(packets == kOps);
  CHECK(failed_packets == aborted);
  MESSAGE("cancelled " << aborted << " of " << kOps << " on backend " << backend_env());
}

}  // TEST_SUITE
