// SPDX-License-Identifier: Apache-2.0
// CreateFileW/A, DeleteFileW, CloseHandle and the synchronous file calls, with Windows' last errors.
#include <sys/stat.h>

#include "support.hpp"

using namespace w32_test;

namespace {

std::u16string u16(const std::string& ascii) { return std::u16string(ascii.begin(), ascii.end()); }
LPCWSTR w(const std::u16string& s) { return reinterpret_cast<LPCWSTR>(s.c_str()); }
bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}
off_t size_of(const std::string& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_size;
}
HANDLE open_a(const std::string& p, DWORD disposition, DWORD access = GENERIC_READ | GENERIC_WRITE, DWORD flags = 0) {
  return CreateFileA(p.c_str(), access, FILE_SHARE_READ, nullptr, disposition, flags, nullptr);
}
void put(HANDLE h, const char* text) {
  DWORD n = 0;
  REQUIRE(WriteFile(h, text, static_cast<DWORD>(std::strlen(text)), &n, nullptr));
  REQUIRE(n == std::strlen(text));
}

}  // namespace

TEST_SUITE("files") {

TEST_CASE("CreateFile dispositions and their last errors") {
  ScratchDir dir;
  const std::string p = dir.file("f.txt");
  HANDLE h = open_a(p, OPEN_EXISTING);
  CHECK(h == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_FILE_NOT_FOUND);
  h = open_a(p, TRUNCATE_EXISTING);
  CHECK(h == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_FILE_NOT_FOUND);

  SetLastError(999);
  h = open_a(p, CREATE_NEW);
  CHECK_LAST_ERROR(ERROR_SUCCESS);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  put(h, "hello");
  CHECK(CloseHandle(h));
  CHECK(open_a(p, CREATE_NEW) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_FILE_EXISTS);

  h = open_a(p, OPEN_ALWAYS);  // existing: kept, ERROR_ALREADY_EXISTS with success
  CHECK_LAST_ERROR(ERROR_ALREADY_EXISTS);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK(size_of(p) == 5);
  CHECK(CloseHandle(h));

  h = open_a(p, CREATE_ALWAYS);  // existing: truncated, ERROR_ALREADY_EXISTS with success
  CHECK_LAST_ERROR(ERROR_ALREADY_EXISTS);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK(size_of(p) == 0);
  put(h, "again");
  CHECK(CloseHandle(h));

  h = open_a(p, TRUNCATE_EXISTING);
  CHECK_LAST_ERROR(ERROR_SUCCESS);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK(size_of(p) == 0);
  CHECK(CloseHandle(h));
  CHECK(open_a(p, TRUNCATE_EXISTING, GENERIC_READ) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);

  const std::string q = dir.file("new.txt");
  h = open_a(q, OPEN_ALWAYS);
  CHECK_LAST_ERROR(ERROR_SUCCESS);
  CHECK(CloseHandle(h));
  const std::string r = dir.file("new2.txt");
  h = open_a(r, CREATE_ALWAYS);
  CHECK_LAST_ERROR(ERROR_SUCCESS);
  CHECK(CloseHandle(h));

  for (DWORD bad : {DWORD{0}, DWORD{6}, DWORD{0xFFFF}}) {
    CHECK(open_a(p, bad) == INVALID_HANDLE_VALUE);
    CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  }
}

TEST_CASE("CreateFile: missing directories, directories, empty and NULL names") {
  ScratchDir dir;
  CHECK(open_a(dir.file("no/such/dir/f"), OPEN_EXISTING) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_PATH_NOT_FOUND);
  CHECK(open_a(dir.file("no/f"), CREATE_ALWAYS) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_PATH_NOT_FOUND);
  HANDLE h = open_a(dir.file("plain"), CREATE_NEW);
  CHECK(CloseHandle(h));
  CHECK(open_a(dir.file("plain/below"), OPEN_EXISTING) == INVALID_HANDLE_VALUE);  // a file used as a directory
  CHECK_LAST_ERROR(ERROR_PATH_NOT_FOUND);
  CHECK(open_a(dir.path(), OPEN_EXISTING, GENERIC_READ) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_ACCESS_DENIED);
  CHECK(open_a(dir.path(), OPEN_EXISTING) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_ACCESS_DENIED);
  // Unbuffered too (ext4 answers O_DIRECT opens of a directory with EINVAL, not EISDIR).
  CHECK(open_a(dir.path(), OPEN_EXISTING, GENERIC_READ, FILE_FLAG_NO_BUFFERING) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_ACCESS_DENIED);
  CHECK(CreateFileA("", GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_PATH_NOT_FOUND);
  CHECK(CreateFileA(nullptr, GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_PATH_NOT_FOUND);
  CHECK(CreateFileW(nullptr, GENERIC_READ, 0, nullptr, OPEN_EXISTING, 0, nullptr) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(ERROR_PATH_NOT_FOUND);
}

TEST_CASE("CreateFileW/DeleteFileW take UTF-16: BMP characters and surrogate pairs") {
  ScratchDir dir;
  // "é€😀.txt": U+00E9, U+20AC, U+1F600 (a surrogate pair).
  std::u16string name = u16(dir.path() + "/") + u"\u00e9\u20ac\U0001F600.txt";
  const std::string utf8 = dir.path() + "/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80.txt";
  HANDLE h = CreateFileW(w(name), GENERIC_WRITE, 0, nullptr, CREATE_NEW, 0, nullptr);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK(CloseHandle(h));
  CHECK(exists(utf8));
  CHECK(DeleteFileW(w(name)) == TRUE);
  CHECK_FALSE(exists(utf8));

  std::u16string lone_high = u16(dir.path() + "/x");
  lone_high.push_back(char16_t{0xD83D});
  lone_high += u"y";
  CHECK(CreateFileW(w(lone_high), GENERIC_READ, 0, nullptr, CREATE_ALWAYS, 0, nullptr) == INVALID_HANDLE_VALUE);
  CHECK_LAST_ERROR(123);  // ERROR_INVALID_NAME
  std::u16string lone_low = u16(dir.path() + "/x");
  lone_low.push_back(char16_t{0xDE00});
  CHECK_BOOL_FAILS(DeleteFileW(w(lone_low)), 123);
}

TEST_CASE("DeleteFileW and CloseHandle last errors") {
  ScratchDir dir;
  const std::string p = dir.file("d");
  HANDLE h = open_a(p, CREATE_NEW);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK(CloseHandle(h));
  CHECK_BOOL_FAILS(CloseHandle(h), ERROR_INVALID_HANDLE);
  CHECK_BOOL_FAILS(CloseHandle(nullptr), ERROR_INVALID_HANDLE);
  CHECK_BOOL_FAILS(CloseHandle(INVALID_HANDLE_VALUE), ERROR_INVALID_HANDLE);
  CHECK(DeleteFileW(w(u16(p))) == TRUE);
  CHECK_BOOL_FAILS(DeleteFileW(w(u16(p))), ERROR_FILE_NOT_FOUND);
  CHECK_BOOL_FAILS(DeleteFileW(w(u16(dir.file("none/d")))), ERROR_PATH_NOT_FOUND);
  CHECK_BOOL_FAILS(DeleteFileW(w(u16(dir.path()))), ERROR_ACCESS_DENIED);
  CHECK_BOOL_FAILS(DeleteFileW(w(u"")), ERROR_PATH_NOT_FOUND);
}

TEST_CASE("FILE_FLAG_DELETE_ON_CLOSE removes the file at CloseHandle") {
  ScratchDir dir;
  const std::string p = dir.file("tmp");
  HANDLE h = open_a(p, CREATE_NEW, GENERIC_READ | GENERIC_WRITE, FILE_FLAG_DELETE_ON_CLOSE);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  CHECK(exists(p));
  CHECK(CloseHandle(h));
  CHECK_FALSE(exists(p));
}

TEST_CASE("synchronous ReadFile/WriteFile move the file pointer; SetFilePointerEx, SetEndOfFile, GetFileSizeEx") {
  ScratchDir dir;
  const std::string p = dir.file("s");
  HANDLE h = open_a(p, CREATE_ALWAYS);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  put(h, "0123456789");
  LARGE_INTEGER size, pos, to;
  CHECK(GetFileSizeEx(h, &size) == TRUE);
  CHECK(size.QuadPart == 10);
  to.QuadPart = 0;
  CHECK(SetFilePointerEx(h, to, &pos, FILE_CURRENT) == TRUE);
  CHECK(pos.QuadPart == 10);
  to.QuadPart = -4;
  CHECK(SetFilePointerEx(h, to, &pos, FILE_END) == TRUE);
  CHECK(pos.QuadPart == 6);
  char buf[16] = {};
  DWORD n = 0;
  CHECK(ReadFile(h, buf, sizeof buf, &n, nullptr) == TRUE);
  CHECK(n == 4);
  CHECK(std::string(buf, n) == "6789");
  CHECK(ReadFile(h, buf, sizeof buf, &n, nullptr) == TRUE);  // at end of file: TRUE, 0 bytes
  CHECK(n == 0);
  to.QuadPart = 2;
  CHECK(SetFilePointerEx(h, to, nullptr, FILE_BEGIN) == TRUE);
  put(h, "ab");
  CHECK(SetEndOfFile(h) == TRUE);  // cut at 4
  CHECK(GetFileSizeEx(h, &size) == TRUE);
  CHECK(size.QuadPart == 4);
  to.QuadPart = 100;
  CHECK(SetFilePointerEx(h, to, nullptr, FILE_BEGIN) == TRUE);
  CHECK(SetEndOfFile(h) == TRUE);  // extend
  CHECK(size_of(p) == 100);
  to.QuadPart = -1;
  CHECK_BOOL_FAILS(SetFilePointerEx(h, to, nullptr, FILE_BEGIN), ERROR_NEGATIVE_SEEK);
  CHECK_BOOL_FAILS(SetFilePointerEx(h, to, nullptr, 7), ERROR_INVALID_PARAMETER);
  CHECK(FlushFileBuffers(h) == TRUE);
  CHECK_BOOL_FAILS(GetFileSizeEx(h, nullptr), ERROR_INVALID_PARAMETER);

  // A synchronous read with an OVERLAPPED uses its offset; at end of file it fails ERROR_HANDLE_EOF.
  OVERLAPPED ov{};
  ov.Offset = 2;
  CHECK(ReadFile(h, buf, 2, &n, &ov) == TRUE);
  CHECK(std::string(buf, 2) == "ab");
  CHECK(ov.Internal == STATUS_SUCCESS);
  CHECK(ov.InternalHigh == 2);
  ov.Offset = 100;
  CHECK_BOOL_FAILS(ReadFile(h, buf, 2, &n, &ov), ERROR_HANDLE_EOF);
  CHECK(n == 0);
  CHECK(CloseHandle(h));

  HANDLE ro = open_a(p, OPEN_EXISTING, GENERIC_READ);
  CHECK_BOOL_FAILS(WriteFile(ro, "x", 1, &n, nullptr), ERROR_ACCESS_DENIED);
  CHECK_BOOL_FAILS(SetEndOfFile(ro), ERROR_ACCESS_DENIED);
  CHECK_BOOL_FAILS(FlushFileBuffers(ro), ERROR_ACCESS_DENIED);
  CHECK_BOOL_FAILS(ReadFile(ro, buf, 1, nullptr, nullptr), ERROR_INVALID_PARAMETER);
  CHECK(CloseHandle(ro));
  HANDLE ev = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  CHECK_BOOL_FAILS(GetFileSizeEx(ev, &size), ERROR_INVALID_HANDLE);
  CHECK_BOOL_FAILS(SetFilePointerEx(ev, to, nullptr, FILE_BEGIN), ERROR_INVALID_HANDLE);
  CHECK(CloseHandle(ev));
}

TEST_CASE("overlapped WriteFile/ReadFile on a buffered handle") {
  ScratchDir dir;
  const std::string p = dir.file("o");
  HANDLE h = open_a(p, CREATE_ALWAYS, GENERIC_READ | GENERIC_WRITE, FILE_FLAG_OVERLAPPED);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  HANDLE ev = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  OVERLAPPED ov{};
  ov.hEvent = ev;
  ov.Offset = 3;
  DWORD n = 0;
  BOOL r = WriteFile(h, "xyz", 3, &n, &ov);
  if (!r) CHECK(GetLastError() == ERROR_IO_PENDING);
  else CHECK(n == 3);
  DWORD tx = 0;
  CHECK(GetOverlappedResult(h, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == 3);
  CHECK(size_of(p) == 6);
  char buf[8] = {};
  std::memset(&ov, 0, sizeof ov);
  ov.hEvent = ev;
  ov.Offset = 4;
  r = ReadFile(h, buf, sizeof buf, nullptr, &ov);
  if (!r) CHECK(GetLastError() == ERROR_IO_PENDING);
  CHECK(GetOverlappedResult(h, &ov, &tx, TRUE) == TRUE);
  CHECK(tx == 2);
  CHECK(std::string(buf, 2) == "yz");
  CHECK_BOOL_FAILS(WriteFile(h, "a", 1, &n, nullptr), ERROR_INVALID_PARAMETER);  // overlapped handle needs OVERLAPPED
  std::memset(&ov, 0, sizeof ov);
  ov.Offset = 50;
  r = ReadFile(h, buf, sizeof buf, nullptr, &ov);  // at end of file
  if (!r) CHECK(GetLastError() == ERROR_IO_PENDING);
  CHECK_BOOL_FAILS(GetOverlappedResult(h, &ov, &tx, TRUE), ERROR_HANDLE_EOF);
  CHECK(CloseHandle(h));
  CHECK(CloseHandle(ev));
}

TEST_CASE("a direct handle refuses unaligned synchronous transfers with ERROR_INVALID_PARAMETER") {
  ScratchDir dir;
  HANDLE h = open_a(dir.file("dx"), CREATE_ALWAYS, GENERIC_READ | GENERIC_WRITE, FILE_FLAG_NO_BUFFERING);
  REQUIRE(h != INVALID_HANDLE_VALUE);
  Pages buf(1, 1);
  DWORD n = 0;
  CHECK_BOOL_FAILS(WriteFile(h, buf.get() + 1, page_size(), &n, nullptr), ERROR_INVALID_PARAMETER);
  CHECK_BOOL_FAILS(WriteFile(h, buf.get(), 100, &n, nullptr), ERROR_INVALID_PARAMETER);
  CHECK(WriteFile(h, buf.get(), page_size(), &n, nullptr) == TRUE);
  CHECK(n == page_size());
  CHECK(CloseHandle(h));
}

}  // TEST_SUITE
