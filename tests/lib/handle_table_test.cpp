// SPDX-License-Identifier: Apache-2.0
// The handle table: values are never 0 and multiples of 4; stale, made-up and wrong-kind handles
// are refused; slots are reused under a new generation.
#include <atomic>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "core/handle_table.hpp"
#include "support.hpp"

using namespace sgio;

namespace {

struct Thing : Object {
  explicit Thing(Kind k, int v = 0) : Object(k), value(v) {}
  int value;
  int closes = 0;
  void on_close() override { ++closes; }
};

template <class F>
Errc error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(std::string(e.what()).size() > 0);
    return e.code();
  }
  return Errc{};
}

}  // namespace

TEST_SUITE("handle_table") {

TEST_CASE("values: never 0, multiples of 4, distinct while open") {
  HandleTable t;
  std::set<uint64_t> seen;
  for (int i = 0; i < 5000; ++i) {
    uint64_t h = t.insert(std::make_shared<Thing>(Kind::file, i));
    CHECK(h != 0);
    CHECK(h % 4 == 0);
    CHECK(h != ~uint64_t{0});
    CHECK(seen.insert(h).second);
  }
  CHECK(t.size() == 5000);
  for (uint64_t h : seen) CHECK(std::static_pointer_cast<Thing>(t.get(h, Kind::file))->value >= 0);
}

TEST_CASE("lookup by kind; wrong kind is a bad handle and leaves the handle open") {
  HandleTable t;
  auto thing = std::make_shared<Thing>(Kind::queue, 7);
  uint64_t h = t.insert(thing);
  CHECK(t.get(h, Kind::queue) == thing);
  CHECK(error_of([&] { t.get(h, Kind::file); }) == Errc::bad_handle);
  CHECK(error_of([&] { t.remove(h, Kind::file); }) == Errc::bad_handle);
  CHECK(t.find(h) == thing);  // still open
  CHECK(t.remove(h, Kind::queue) == thing);
  CHECK(t.size() == 0);
}

TEST_CASE("stale handles stay dead after their slot is reused") {
  HandleTable t;
  uint64_t h1 = t.insert(std::make_shared<Thing>(Kind::file, 1));
  CHECK(t.remove(h1) != nullptr);
  CHECK(t.find(h1) == nullptr);
  CHECK(error_of([&] { t.get(h1, Kind::file); }) == Errc::bad_handle);
  CHECK(error_of([&] { t.remove(h1); }) == Errc::bad_handle);
  // The freed slot is reused with a new generation: a new value, and the old one stays refused.
  uint64_t h2 = t.insert(std::make_shared<Thing>(Kind::file, 2));
  CHECK(h2 != h1);
  CHECK(t.find(h1) == nullptr);
  CHECK(std::static_pointer_cast<Thing>(t.get(h2, Kind::file))->value == 2);
  for (int i = 0; i < 1000; ++i) {  // many generations of one slot
    uint64_t h = t.insert(std::make_shared<Thing>(Kind::file, i));
    CHECK(h != h1);
    CHECK(h != h2);
    CHECK(h % 4 == 0);
    t.remove(h);
  }
  CHECK(t.find(h2) != nullptr);
}

TEST_CASE("made-up values are refused") {
  HandleTable t;
  uint64_t h = t.insert(std::make_shared<Thing>(Kind::file));
  const uint64_t values[] = {0, 1, 2, 3, h + 1, h + 2, h + 3, h + 4, h ^ (uint64_t{1} << 40),
                             ~uint64_t{0}, ~uint64_t{3}, 4, uint64_t{1} << 62};
  for (uint64_t v : values) {
    CAPTURE(v);
    if (v == h) continue;
    CHECK(t.find(v) == nullptr);
    CHECK(error_of([&] { t.get(v, Kind::file); }) == Errc::bad_handle);
    CHECK(error_of([&] { t.remove(v); }) == Errc::bad_handle);
  }
  CHECK(t.size() == 1);
}

TEST_CASE("an object outlives its handle while a caller still holds it") {
  HandleTable t;
  auto thing = std::make_shared<Thing>(Kind::file, 5);
  std::weak_ptr<Thing> weak = thing;
  uint64_t h = t.insert(std::move(thing));
  std::shared_ptr<Object> in_use = t.get(h, Kind::file);
  t.remove(h);
  CHECK(!weak.expired());
  in_use.reset();
  CHECK(weak.expired());
}

TEST_CASE("concurrent insert, lookup and remove") {
  HandleTable t;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int i = 0; i < 20000; ++i) {
        uint64_t h = t.insert(std::make_shared<Thing>(Kind::file, k));
        auto o = std::static_pointer_cast<Thing>(t.get(h, Kind::file));
        if (o->value != k) ++errors;
        t.remove(h);
        if (t.find(h)) ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(errors.load() == 0);
  CHECK(t.size() == 0);
}

TEST_CASE("the process-wide table is one object") { CHECK(&handles() == &handles()); }

}  // TEST_SUITE
