// SPDX-License-Identifier: Apache-2.0
// CreateFile share modes: Windows' access/share rule between every pair of openers, in this
// process and across processes (a helper process holds the file; killed with SIGKILL, its share
// mode goes with it), ERROR_SHARING_VIOLATION before any truncation, DeleteFile and
// FILE_FLAG_DELETE_ON_CLOSE against FILE_SHARE_DELETE.
#include <sys/stat.h>

#include <string>

#include "helper_process.hpp"
#include "support.hpp"

using namespace w32_test;

namespace {

constexpr DWORD kDelete = 0x00010000u;  // DELETE
constexpr DWORD kAllShare = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

HANDLE open_with(const std::string& p, DWORD access, DWORD share, DWORD disposition = OPEN_ALWAYS, DWORD flags = 0) {
  return CreateFileA(p.c_str(), access, share, nullptr, disposition, flags | FILE_ATTRIBUTE_NORMAL, nullptr);
}

std::u16string u16(const std::string& ascii) { return std::u16string(ascii.begin(), ascii.end()); }
LPCWSTR w(const std::u16string& s) { return reinterpret_cast<LPCWSTR>(s.c_str()); }

// The kinds of access share modes are about (read, write, delete) of an access mask.
DWORD kinds(DWORD access) {
  DWORD k = 0;
  if (access & GENERIC_READ) k |= FILE_SHARE_READ;
  if (access & GENERIC_WRITE) k |= FILE_SHARE_WRITE;
  if (access & kDelete) k |= FILE_SHARE_DELETE;
  return k;
}

// The rule as Microsoft documents it ("Creating and Opening Files"): the second open succeeds if
// the first opener's share mode allows the second's access and the second's share mode allows the
// first's access; an open asking none of read/write/delete is never refused and refuses nobody.
bool compatible(DWORD a1, DWORD s1, DWORD a2, DWORD s2) {
  const DWORD k1 = kinds(a1), k2 = kinds(a2);
  if (k1 == 0 || k2 == 0) return true;
  return (k2 & ~s1) == 0 && (k1 & ~s2) == 0;
}

}  // namespace

TEST_SUITE("share") {

TEST_CASE("every pair of access and share modes in one process follows Windows' rule") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  const DWORD accesses[] = {0, GENERIC_READ, GENERIC_WRITE, GENERIC_READ | GENERIC_WRITE, kDelete,
                            GENERIC_READ | kDelete};
  const DWORD shares[] = {0, FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SHARE_DELETE,
                          kAllShare};
  size_t refused = 0, allowed = 0;
  for (DWORD a1 : accesses)
    for (DWORD s1 : shares) {
      HANDLE h1 = open_with(p, a1, s1);
      REQUIRE(h1 != INVALID_HANDLE_VALUE);
      for (DWORD a2 : accesses)
        for (DWORD s2 : shares) {
          CAPTURE(a1);
          CAPTURE(s1);
          CAPTURE(a2);
          CAPTURE(s2);
          HANDLE h2 = open_with(p, a2, s2);
          if (compatible(a1, s1, a2, s2)) {
            CHECK(h2 != INVALID_HANDLE_VALUE);
            ++allowed;
          } else {
            CHECK(h2 == INVALID_HANDLE_VALUE);
            CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
            ++refused;
          }
          if (h2 != INVALID_HANDLE_VALUE) CHECK(CloseHandle(h2));
        }
      CHECK(CloseHandle(h1));
    }
  CHECK(refused > 300);  // the table is not trivially one-sided
  CHECK(allowed > 300);
}

TEST_CASE("rows of Microsoft's table, a third opener, and the place freed by CloseHandle") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  HANDLE r1 = open_with(p, GENERIC_READ, FILE_SHARE_READ);
  REQUIRE(r1 != INVALID_HANDLE_VALUE);
  HANDLE r2 = open_with(p, GENERIC_READ, FILE_SHARE_READ);  // readers sharing reading
  CHECK(r2 != INVALID_HANDLE_VALUE);
  CHECK(open_with(p, GENERIC_WRITE, kAllShare) == INVALID_HANDLE_VALUE);  // they do not share writing
  CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
  CHECK(open_with(p, GENERIC_READ, FILE_SHARE_WRITE) == INVALID_HANDLE_VALUE);  // would refuse their reading
  CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
  CHECK(CloseHandle(r1));
  CHECK(open_with(p, GENERIC_WRITE, kAllShare) == INVALID_HANDLE_VALUE);  // r2 still refuses
  CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
  CHECK(CloseHandle(r2));
  HANDLE wr = open_with(p, GENERIC_WRITE, kAllShare);  // the last reader gone: allowed at once
  CHECK(wr != INVALID_HANDLE_VALUE);
  CHECK(CloseHandle(wr));
}

TEST_CASE("a refused CREATE_ALWAYS or TRUNCATE_EXISTING leaves the file's contents alone") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  HANDLE h = open_with(p, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  DWORD n = 0;
  REQUIRE(WriteFile(h, "precious", 8, &n, nullptr));
  CHECK(open_with(p, GENERIC_WRITE, kAllShare, CREATE_ALWAYS) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
  CHECK(open_with(p, GENERIC_WRITE, kAllShare, TRUNCATE_EXISTING) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK(st.st_size == 8);
  // Allowed, it truncates as before.
  HANDLE t = open_with(p, GENERIC_READ, kAllShare, CREATE_ALWAYS);
  REQUIRE(t != INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_ALREADY_EXISTS);
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK(st.st_size == 0);
  CHECK(CloseHandle(t));
  CHECK(CloseHandle(h));
}

TEST_CASE("DeleteFile and FILE_FLAG_DELETE_ON_CLOSE need FILE_SHARE_DELETE from every opener") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  HANDLE h = open_with(p, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK_BOOL_FAILS(DeleteFileW(w(u16(p))), ERROR_SHARING_VIOLATION);
  struct stat st {};
  CHECK(::stat(p.c_str(), &st) == 0);
  // A delete-on-close opener wants DELETE access: refused by h too.
  CHECK(open_with(p, GENERIC_READ, kAllShare, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
  CHECK(CloseHandle(h));

  h = open_with(p, GENERIC_READ, kAllShare);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK(DeleteFileW(w(u16(p))));  // shared for deletion: gone (Linux unlinks at once)
  CHECK(::stat(p.c_str(), &st) != 0);
  CHECK(CloseHandle(h));

  // While a delete-on-close handle is open, only openers sharing deletion get in.
  HANDLE doc = open_with(p, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, CREATE_NEW,
                         FILE_FLAG_DELETE_ON_CLOSE);
  REQUIRE(doc != INVALID_HANDLE_VALUE);
  CHECK(open_with(p, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
  HANDLE other = open_with(p, GENERIC_READ, kAllShare, OPEN_EXISTING);
  CHECK(other != INVALID_HANDLE_VALUE);
  CHECK(CloseHandle(other));
  CHECK(CloseHandle(doc));
  CHECK(::stat(p.c_str(), &st) != 0);
}

TEST_CASE("an unknown share bit is ERROR_INVALID_PARAMETER; a write-only opener takes part too") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  CHECK(open_with(p, GENERIC_READ, 0x8) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  HANDLE wo = open_with(p, GENERIC_WRITE, 0);
  REQUIRE(wo != INVALID_HANDLE_VALUE);
  CHECK(open_with(p, GENERIC_READ, kAllShare) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
  HANDLE none = open_with(p, 0, 0);  // no data access: never refused
  CHECK(none != INVALID_HANDLE_VALUE);
  CHECK(CloseHandle(none));
  CHECK(CloseHandle(wo));
  HANDLE r = open_with(p, GENERIC_READ, kAllShare);
  CHECK(r != INVALID_HANDLE_VALUE);
  CHECK(CloseHandle(r));
}

TEST_CASE("two processes: refused while the other holds the file, allowed after it closes or is killed") {
  ScratchDir dir;
  const std::string p = dir.file("f");
  {
    Helper holder("hold", p, GENERIC_READ | GENERIC_WRITE, 0);
    REQUIRE(holder.line() == "ok");
    CHECK(open_with(p, GENERIC_READ, kAllShare) == INVALID_HANDLE_VALUE);
    CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
    CHECK_BOOL_FAILS(DeleteFileW(w(u16(p))), ERROR_SHARING_VIOLATION);
    CHECK(holder.finish() == 0);  // it closed its handle and exited
  }
  HANDLE h = open_with(p, GENERIC_READ, kAllShare);
  CHECK(h != INVALID_HANDLE_VALUE);
  CHECK(CloseHandle(h));
  {
    Helper holder("hold", p, GENERIC_WRITE, FILE_SHARE_READ);
    REQUIRE(holder.line() == "ok");
    h = open_with(p, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE);  // reading is shared
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK(CloseHandle(h));
    CHECK(open_with(p, GENERIC_WRITE, kAllShare) == INVALID_HANDLE_VALUE);
    CHECK_LAST_ERROR(ERROR_SHARING_VIOLATION);
    holder.kill9();  // a crash: the kernel drops its locks with its descriptors
  }
  h = open_with(p, GENERIC_WRITE, 0);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  {
    // And the other way: this process holds, the other one is refused.
    Helper tryer("try", p, GENERIC_READ, kAllShare);
    CHECK(tryer.line() == "err 32");
    CHECK(tryer.finish() == 0);
  }
  CHECK(CloseHandle(h));
  Helper tryer("try", p, GENERIC_READ, kAllShare);
  CHECK(tryer.line() == "ok");
}

}  // TEST_SUITE
