// SPDX-License-Identifier: Apache-2.0
// FormatMessageW/A, the bare FormatMessage (UTF-8) and LocalFree for their allocated buffers.
// The texts are lib/win32's one message table; this file only moves them into the caller's
// buffer in the caller's character type.
#include <cstdarg>
#include <cstring>
#include <string>

#include "win32/local_heap.hpp"
#include "win32/messages.hpp"
#include "win32/w32_guard.hpp"
#include "win32/w32_text.hpp"

using namespace sgio;
using namespace sgio::capi::w32;

namespace {

// The bytes of a char or WCHAR string, as UTF-8.
std::string insert_text(const char* s) { return s ? s : "(null)"; }
std::string insert_text(const WCHAR* s) { return s ? utf8_from_utf16(s) : "(null)"; }

// The result in the caller's character type.
std::string encode(const std::string& utf8, char) { return utf8; }
std::u16string encode(const std::string& utf8, WCHAR) { return utf16_from_utf8(utf8); }

template <class Char>
DWORD format_message(DWORD flags, LPCVOID source, DWORD id, DWORD language, Char* buffer, DWORD size,
                     va_list* args) {
  using win32::fm::allocate_buffer;
  if (!(flags & win32::fm::from_system) || (flags & win32::fm::from_string))
    win32::fail_invalid_parameter("FormatMessage: sgio has only the system message table (FORMAT_MESSAGE_FROM_SYSTEM)");
  if ((flags & win32::fm::from_hmodule) && source)
    win32::fail_invalid_parameter("FormatMessage: sgio has no message modules (lpSource must be NULL)");
  if (!buffer) win32::fail_invalid_parameter("FormatMessage: lpBuffer is NULL");

  // Insert n: the n-th string pointer of an argument array, or the n-th va_arg of the caller's list.
  win32::InsertSource inserts = [&](unsigned n) -> std::string {
    if (n == 0) win32::fail_invalid_parameter("FormatMessage: insert %0");
    if (flags & win32::fm::argument_array) return insert_text(reinterpret_cast<const Char* const*>(args)[n - 1]);
    va_list copy;
    va_copy(copy, *args);
    const Char* s = nullptr;
    for (unsigned i = 0; i < n; ++i) s = va_arg(copy, const Char*);
    va_end(copy);
    return insert_text(s);
  };
  const auto text = encode(win32::format_system_message(flags, id, language, args ? &inserts : nullptr), Char{});
  const size_t units = text.size() + 1;  // with the NUL
  Char* out = buffer;
  if (flags & allocate_buffer) {
    const size_t n = units > size ? units : size;
    out = static_cast<Char*>(win32::local_alloc(n * sizeof(Char)));
    *reinterpret_cast<Char**>(buffer) = out;
  } else if (size < units) {
    win32::fail_win32(ERROR_INSUFFICIENT_BUFFER, "FormatMessage: the message needs " + std::to_string(units) +
                                                     " characters, nSize is " + std::to_string(size));
  }
  std::memcpy(out, text.data(), text.size() * sizeof(Char));
  out[text.size()] = Char{0};
  return static_cast<DWORD>(text.size());
}

}  // namespace

extern "C" {

SGIO_API DWORD SGIO_CALL FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                        LPWSTR lpBuffer, DWORD nSize, va_list* Arguments) noexcept {
  return w32_guard(DWORD{0}, [&] {
    return format_message<WCHAR>(dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer, nSize, Arguments);
  });
}

SGIO_API DWORD SGIO_CALL FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                        LPSTR lpBuffer, DWORD nSize, va_list* Arguments) noexcept {
  return w32_guard(DWORD{0}, [&] {
    return format_message<char>(dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer, nSize, Arguments);
  });
}

SGIO_API DWORD SGIO_CALL FormatMessage(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                       LPSTR lpBuffer, DWORD nSize, va_list* Arguments) noexcept {
  return FormatMessageA(dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer, nSize, Arguments);
}

SGIO_API HLOCAL SGIO_CALL LocalFree(HLOCAL hMem) noexcept {
  return w32_guard(hMem, [&] {
    win32::local_free(hMem);
    return HLOCAL{nullptr};
  });
}

}  // extern "C"
