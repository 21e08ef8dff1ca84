// SPDX-License-Identifier: Apache-2.0
// Status codes, thread-local messages, version and aligned memory of the native face.
#include <cinttypes>
#include <set>
#include <string>
#include <thread>

#ifdef _WIN32
#include <windows.h>
#endif

#include "support.hpp"

using namespace sgio_test;

TEST_SUITE("errors") {

TEST_CASE("every status code has its pinned value, name and description") {
  struct Row {
    int32_t value;
    const char* name;
    const char* text;
  };
  // The table, regenerated here from the public X-macro so new codes are covered automatically.
#define SGIO_TEST_ROW_(n, v, t) Row{SGIO_##n, "SGIO_" #n, t},
  const Row rows[] = {SGIO_ERRNO_MAP(SGIO_TEST_ROW_)};
#undef SGIO_TEST_ROW_
  std::set<int32_t> values;
  std::set<std::string> texts;
  int32_t expected = -1;
  for (const Row& r : rows) {
    INFO(r.name);
    CHECK(r.value == expected);  // dense, negative, appended in order
    --expected;
    CHECK(std::string(sgio_error_name(r.value)) == r.name);
    CHECK(std::string(sgio_strerror(r.value)) == r.text);
    CHECK(std::string(sgio_strerror(r.value)) != "unknown error");
    values.insert(r.value);
    texts.insert(r.text);
  }
  CHECK(values.size() == sizeof rows / sizeof rows[0]);
  CHECK(texts.size() == sizeof rows / sizeof rows[0]);
  // The pinned values users compile against.
  CHECK(SGIO_EINVAL == -1);
  CHECK(SGIO_EBADHANDLE == -2);
  CHECK(SGIO_EALIGN == -3);
  CHECK(SGIO_EOVERFLOW == -11);
  CHECK(SGIO_EINTERNAL == -18);

  CHECK(std::string(sgio_error_name(SGIO_OK)) == "SGIO_OK");
  CHECK(std::string(sgio_strerror(SGIO_OK)) == "success");
  for (int32_t bad : {1, 42, expected, -1000, INT32_MIN, INT32_MAX}) {
    INFO(bad);
    REQUIRE(sgio_strerror(bad) != nullptr);
    REQUIRE(sgio_error_name(bad) != nullptr);
    CHECK(std::string(sgio_strerror(bad)) == "unknown error");
    CHECK(std::string(sgio_error_name(bad)) == "SGIO_UNKNOWN");
  }
}

TEST_CASE("last error message is never NULL, is per thread, and survives successful calls") {
  std::string seen_fresh = "unset";
  bool fresh_null = true;
  std::thread([&] {
    const char* m = sgio_last_error_message();
    fresh_null = m == nullptr;
    if (m) seen_fresh = m;
  }).join();
  CHECK_FALSE(fresh_null);
  CHECK(seen_fresh.empty());

  // A failure on this thread is not visible on another one.
  CHECK(sgio_open_options_init(nullptr, SGIO_OPEN_OPTIONS_VERSION) == SGIO_EINVAL);
  std::string here = sgio_last_error_message();
  CHECK(here.find("opts") != std::string::npos);
  std::string other = "unset";
  std::thread([&] {
    other = sgio_last_error_message();
    sgio_open_options o;
    CHECK(sgio_open_options_init(&o, 77) == SGIO_EINVAL);
  }).join();
  CHECK(other.empty());
  CHECK(std::string(sgio_last_error_message()) == here);

  // Success does not clear it.
  sgio_open_options o;
  CHECK(sgio_open_options_init(&o, SGIO_OPEN_OPTIONS_VERSION) == SGIO_OK);
  CHECK(std::string(sgio_last_error_message()) == here);
}

TEST_CASE("sgio_version matches the header the caller compiled with") {
  uint32_t major = 99, minor = 99, patch = 99;
  CHECK(sgio_version(&major, &minor, &patch) == SGIO_VERSION_NUMBER);
  CHECK(major == SGIO_VERSION_MAJOR);
  CHECK(minor == SGIO_VERSION_MINOR);
  CHECK(patch == SGIO_VERSION_PATCH);
  CHECK(sgio_version(nullptr, nullptr, nullptr) == SGIO_VERSION_NUMBER);
  CHECK(SGIO_VERSION_NUMBER == SGIO_VERSION_MAJOR * 10000 + SGIO_VERSION_MINOR * 100 + SGIO_VERSION_PATCH);
  std::string expected = std::to_string(SGIO_VERSION_MAJOR) + "." + std::to_string(SGIO_VERSION_MINOR) + "." +
                         std::to_string(SGIO_VERSION_PATCH);
  REQUIRE(sgio_version_string() != nullptr);
  CHECK(std::string(sgio_version_string()) == expected);
}

TEST_CASE("page size") {
  uint32_t ps = sgio_page_size();
#ifdef _WIN32
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  CHECK(ps == si.dwPageSize);
#else
  CHECK(ps == static_cast<uint32_t>(sysconf(_SC_PAGESIZE)));
#endif
  CHECK((ps & (ps - 1)) == 0);
}

TEST_CASE("aligned alloc: alignment, zero fill, every size class") {
  const uint64_t sizes[] = {1, 7, 4096, 4097, 65536, (2u << 20) - 1, 2u << 20, (5u << 20) + 123};
  const uint64_t aligns[] = {0, 1, 2, 8, 64, 512, 4096, 65536, 2u << 20, 4u << 20};
  for (uint64_t size : sizes) {
    for (uint64_t align : aligns) {
      INFO("size ", size, " alignment ", align);
      void* p = nullptr;
      REQUIRE(sgio_aligned_alloc(&p, size, align) == SGIO_OK);
      REQUIRE(p != nullptr);
      uint64_t want = align ? align : sgio_page_size();
      CHECK(reinterpret_cast<uintptr_t>(p) % want == 0);
      if (size >= (2u << 20)) CHECK(reinterpret_cast<uintptr_t>(p) % (2u << 20) == 0);
      auto* b = static_cast<uint8_t*>(p);
      bool zero = true;
      for (uint64_t i = 0; i < size; ++i) zero = zero && b[i] == 0;
      CHECK(zero);
      std::memset(b, 0xA5, size);  // the whole block is writable
      sgio_aligned_free(p);
    }
  }
  sgio_aligned_free(nullptr);  // no-op
}

TEST_CASE("aligned alloc: bad arguments") {
  void* p = reinterpret_cast<void*>(uintptr_t{0x1000});
  SGIO_CHECK_FAILS(sgio_aligned_alloc(&p, 0, 4096), SGIO_EINVAL, "size is 0");
  CHECK(p == nullptr);
  p = reinterpret_cast<void*>(uintptr_t{0x1000});
  SGIO_CHECK_FAILS(sgio_aligned_alloc(&p, 4096, 3), SGIO_EINVAL, "power of two");
  CHECK(p == nullptr);
  SGIO_CHECK_FAILS(sgio_aligned_alloc(&p, 4096, 4096 + 512), SGIO_EINVAL, "power of two");
  SGIO_CHECK_FAILS(sgio_aligned_alloc(nullptr, 4096, 4096), SGIO_EINVAL, "out is NULL");
  p = reinterpret_cast<void*>(uintptr_t{0x1000});
  SGIO_CHECK_FAILS(sgio_aligned_alloc(&p, UINT64_MAX, 4096), SGIO_ENOMEM, "too large");
  CHECK(p == nullptr);
}

}  // TEST_SUITE
