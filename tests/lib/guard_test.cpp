// SPDX-License-Identifier: Apache-2.0
// THE GUARD TEST: a SysIo that throws (std::runtime_error, std::bad_alloc, an int) under the
// extern "C" gather/scatter calls. Nothing may escape: the calls return SGIO_EINTERNAL / SGIO_ENOMEM
// with a message, claim no bytes, and the process carries on.
#include <sgio/sgio.h>

#include <string>

#include "fake_sys_io.hpp"
#include "support.hpp"

using namespace sgio_test;

TEST_SUITE("guard") {

TEST_CASE("exceptions from the I/O layer become status codes at the C boundary") {
  TempFile file;
  sgio_open_options o;
  REQUIRE(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  sgio_file* f = nullptr;
  REQUIRE(sgio_file_open(&f, file.path().c_str(), &o) == SGIO_OK);
  std::vector<uint8_t> a = random_bytes(8192, 1);
  sgio_segment segs[2] = {{reinterpret_cast<uintptr_t>(a.data()), 4096},
                          {reinterpret_cast<uintptr_t>(a.data() + 4096), 4096}};
  struct Case {
    Act::Kind kind;
    int32_t status;
    const char* needle;
  };
  for (Case c : {Case{Act::throw_runtime, SGIO_EINTERNAL, "fake backend exploded"},
                 Case{Act::throw_bad_alloc, SGIO_ENOMEM, "out of memory"},
                 Case{Act::throw_int, SGIO_EINTERNAL, "unknown exception"}}) {
    for (bool write : {true, false}) {
      CAPTURE(c.needle);
      CAPTURE(write);
      FakeSysIo io;
      io.script = [&](size_t, uint64_t) { return Act::raise(c.kind); };
      uint64_t n = 777;
      int32_t rc;
      {
        Installed use(&io);
        rc = write ? sgio_file_write_gather(f, segs, 2, 0, &n) : sgio_file_read_scatter(f, segs, 2, 0, &n);
      }
      CHECK(rc == c.status);
      CHECK(n == 0);
      CHECK(std::string(sgio_last_error_message()).find(c.needle) != std::string::npos);
      CHECK(io.calls.size() == 1);
    }
  }
  // Still alive, and the handle still works with the real system calls.
  uint64_t n = 0;
  CHECK(sgio_file_write_gather(f, segs, 2, 0, &n) == SGIO_OK);
  CHECK(n == 8192);
  CHECK(file.contents() == a);
  CHECK(sgio_file_close(f) == SGIO_OK);
}

}  // TEST_SUITE
