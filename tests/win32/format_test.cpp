// SPDX-License-Identifier: Apache-2.0
// FormatMessageW/A/FormatMessage: Windows' texts for every code sgio sets, the buffer rules
// (caller's buffer, ERROR_INSUFFICIENT_BUFFER, FORMAT_MESSAGE_ALLOCATE_BUFFER + LocalFree), inserts
// and line widths.
#include <string>

#include "support.hpp"

using namespace w32_test;

namespace {

constexpr DWORD kSys = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;

std::string message_a(DWORD code, DWORD flags = kSys) {
  char buf[512];
  DWORD n = FormatMessageA(flags, nullptr, code, 0, buf, sizeof buf, nullptr);
  return n ? std::string(buf, n) : std::string();
}

std::u16string message_w(DWORD code, DWORD flags = kSys) {
  WCHAR buf[512];
  DWORD n = FormatMessageW(flags, nullptr, code, 0, buf, 512, nullptr);
  return n ? std::u16string(reinterpret_cast<const char16_t*>(buf), n) : std::u16string();
}

// Every Win32 code the face can set (sgio_win32.h's ERROR_* and WAIT_TIMEOUT).
constexpr DWORD kCodes[] = {
    ERROR_SUCCESS, ERROR_INVALID_FUNCTION, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_TOO_MANY_OPEN_FILES,
    ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY, ERROR_OUTOFMEMORY, ERROR_WRITE_PROTECT,
    ERROR_BAD_LENGTH, ERROR_GEN_FAILURE, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_HANDLE_EOF,
    ERROR_NOT_SUPPORTED, ERROR_FILE_EXISTS, ERROR_INVALID_PARAMETER, ERROR_DISK_FULL, ERROR_INSUFFICIENT_BUFFER,
    ERROR_INVALID_NAME, ERROR_NEGATIVE_SEEK, ERROR_DIR_NOT_EMPTY, ERROR_NOT_LOCKED, ERROR_BUSY, ERROR_ALREADY_EXISTS,
    ERROR_FILENAME_EXCED_RANGE, ERROR_FILE_TOO_LARGE, WAIT_TIMEOUT, ERROR_MR_MID_NOT_FOUND, ERROR_INVALID_ADDRESS,
    ERROR_ABANDONED_WAIT_0, ERROR_OPERATION_ABORTED, ERROR_IO_INCOMPLETE, ERROR_IO_PENDING, ERROR_NOACCESS,
    ERROR_IO_DEVICE, ERROR_NOT_FOUND, ERROR_INTERNAL_ERROR, ERROR_NO_SYSTEM_RESOURCES, ERROR_INVALID_USER_BUFFER,
    ERROR_RESOURCE_LANG_NOT_FOUND, ERROR_INVALID_LOCK_RANGE,
};

}  // namespace

TEST_SUITE("format") {

TEST_CASE("Windows' exact texts, with the trailing CRLF, in W, A and bare FormatMessage") {
  CHECK(message_a(ERROR_INVALID_PARAMETER) == "The parameter is incorrect.\r\n");
  CHECK(message_a(ERROR_SHARING_VIOLATION) ==
        "The process cannot access the file because it is being used by another process.\r\n");
  CHECK(message_a(ERROR_LOCK_VIOLATION) ==
        "The process cannot access the file because another process has locked a portion of the file.\r\n");
  CHECK(message_a(ERROR_HANDLE_EOF) == "Reached the end of the file.\r\n");
  CHECK(message_a(ERROR_FILE_NOT_FOUND) == "The system cannot find the file specified.\r\n");
  CHECK(message_a(ERROR_NOT_LOCKED) == "The segment is already unlocked.\r\n");
  CHECK(message_a(ERROR_OPERATION_ABORTED) ==
        "The I/O operation has been aborted because of either a thread exit or an application request.\r\n");
  CHECK(message_w(ERROR_IO_PENDING) == u"Overlapped I/O operation is in progress.\r\n");
  char bare[128];
  CHECK(FormatMessage(kSys, nullptr, ERROR_DISK_FULL, 0, bare, sizeof bare, nullptr) == 40);
  CHECK(std::string(bare) == "There is not enough space on the disk.\r\n");
}

TEST_CASE("every code sgio sets has a text, the same in W and A, and sets no error") {
  for (DWORD code : kCodes) {
    CAPTURE(code);
    SetLastError(12345);
    std::string a = message_a(code);
    CHECK(GetLastError() == 12345u);  // success leaves the last error alone
    REQUIRE(a.size() > 2);
    CHECK(a.substr(a.size() - 2) == "\r\n");
    CHECK(message_w(code) == std::u16string(a.begin(), a.end()));
  }
}

TEST_CASE("a code sgio does not know: 0 and ERROR_MR_MID_NOT_FOUND; another language: ERROR_RESOURCE_LANG_NOT_FOUND") {
  char buf[256] = "untouched";
  CHECK(FormatMessageA(kSys, nullptr, 12345, 0, buf, sizeof buf, nullptr) == 0);
  CHECK_LAST_ERROR(ERROR_MR_MID_NOT_FOUND);
  CHECK(std::string(buf) == "untouched");
  CHECK(FormatMessageA(kSys, nullptr, ERROR_ACCESS_DENIED, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), buf,
                       sizeof buf, nullptr) == 19);
  CHECK(FormatMessageA(kSys, nullptr, ERROR_ACCESS_DENIED, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), buf, sizeof buf,
                       nullptr) == 19);
  CHECK(FormatMessageA(kSys, nullptr, ERROR_ACCESS_DENIED, MAKELANGID(0x07, 0x01), buf, sizeof buf, nullptr) == 0);
  CHECK_LAST_ERROR(ERROR_RESOURCE_LANG_NOT_FOUND);
}

TEST_CASE("the caller's buffer: exactly big enough works, one short is ERROR_INSUFFICIENT_BUFFER") {
  const std::string want = "Access is denied.\r\n";
  std::vector<char> buf(want.size() + 1, 'x');
  CHECK(FormatMessageA(kSys, nullptr, ERROR_ACCESS_DENIED, 0, buf.data(), static_cast<DWORD>(buf.size()), nullptr) ==
        want.size());
  CHECK(std::string(buf.data()) == want);
  std::vector<WCHAR> wbuf(want.size(), 0x7777);
  CHECK(FormatMessageW(kSys, nullptr, ERROR_ACCESS_DENIED, 0, wbuf.data(), static_cast<DWORD>(wbuf.size()), nullptr) == 0);
  CHECK_LAST_ERROR(ERROR_INSUFFICIENT_BUFFER);
  CHECK(FormatMessageA(kSys, nullptr, ERROR_ACCESS_DENIED, 0, nullptr, 100, nullptr) == 0);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  CHECK(FormatMessageA(FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, ERROR_ACCESS_DENIED, 0, buf.data(),
                       static_cast<DWORD>(buf.size()), nullptr) == 0);  // no source
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
}

TEST_CASE("FORMAT_MESSAGE_ALLOCATE_BUFFER hands out a buffer that LocalFree releases") {
  LPWSTR w = nullptr;
  DWORD n = FormatMessageW(kSys | FORMAT_MESSAGE_ALLOCATE_BUFFER, nullptr, ERROR_HANDLE_EOF, 0,
                           reinterpret_cast<LPWSTR>(&w), 0, nullptr);
  REQUIRE(n == 30);
  REQUIRE(w != nullptr);
  CHECK(std::u16string(reinterpret_cast<const char16_t*>(w)) == u"Reached the end of the file.\r\n");
  CHECK(LocalFree(w) == nullptr);
  // Freed twice, or never ours: the pointer comes back with ERROR_INVALID_HANDLE.
  CHECK(LocalFree(w) == w);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
  int local = 0;
  CHECK(LocalFree(&local) == &local);
  CHECK_LAST_ERROR(ERROR_INVALID_HANDLE);
  CHECK(LocalFree(nullptr) == nullptr);

  LPSTR a = nullptr;
  n = FormatMessageA(kSys | FORMAT_MESSAGE_ALLOCATE_BUFFER, nullptr, ERROR_SUCCESS, 0, reinterpret_cast<LPSTR>(&a), 200,
                     nullptr);
  REQUIRE(n == 39);
  CHECK(std::string(a) == "The operation completed successfully.\r\n");
  CHECK(LocalFree(a) == nullptr);
}

TEST_CASE("inserts: kept with IGNORE_INSERTS, filled from an argument array, refused without one") {
  CHECK(message_a(ERROR_MR_MID_NOT_FOUND) ==
        "The system cannot find message text for message number 0x%1 in the message file for %2.\r\n");
  char buf[256];
  CHECK(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, ERROR_MR_MID_NOT_FOUND, 0, buf, sizeof buf, nullptr) == 0);
  CHECK_LAST_ERROR(ERROR_INVALID_PARAMETER);
  const char* args[] = {"3039", "System"};
  DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ARGUMENT_ARRAY, nullptr, ERROR_MR_MID_NOT_FOUND,
                           0, buf, sizeof buf, reinterpret_cast<va_list*>(args));
  CHECK(std::string(buf, n) == "The system cannot find message text for message number 0x3039 in the message file for System.\r\n");
  const char16_t* wargs[] = {u"1", u"\u00e9"};
  WCHAR wbuf[256];
  n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ARGUMENT_ARRAY, nullptr, ERROR_MR_MID_NOT_FOUND, 0,
                     wbuf, 256, reinterpret_cast<va_list*>(wargs));
  CHECK(std::u16string(reinterpret_cast<const char16_t*>(wbuf), n) ==
        u"The system cannot find message text for message number 0x1 in the message file for \u00e9.\r\n");
}

TEST_CASE("line width: MAX_WIDTH_MASK turns the line break into a space, n wraps at n columns") {
  CHECK(message_a(ERROR_INVALID_PARAMETER, kSys | FORMAT_MESSAGE_MAX_WIDTH_MASK) == "The parameter is incorrect. ");
  const std::string wrapped = message_a(ERROR_SHARING_VIOLATION, kSys | 30);
  CHECK(wrapped == "The process cannot access the\r\nfile because it is being used\r\nby another process. ");
}

}  // TEST_SUITE
