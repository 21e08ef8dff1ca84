// SPDX-License-Identifier: Apache-2.0
#include "win32/w32_text.hpp"

#include "win32/nt_status.hpp"

namespace sgio::capi::w32 {

namespace {
// Longer than any path Windows or Linux accepts (32767 WCHARs; PATH_MAX 4096): stops a missing
// terminator from running through memory.
constexpr size_t kMaxUnits = 32768;
}  // namespace

std::string utf8_from_utf16(LPCWSTR text) {
  std::string out;
  if (!text) return out;
  for (size_t i = 0; text[i] != 0; ++i) {
    if (i >= kMaxUnits) win32::fail_win32(win32::err::filename_exced_range, "path longer than 32767 UTF-16 units");
    uint32_t cp = text[i];
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low = text[i + 1];
      if (low < 0xDC00 || low > 0xDFFF)
        win32::fail_win32(win32::err::invalid_name, "invalid UTF-16: high surrogate without a low surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      ++i;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      win32::fail_win32(win32::err::invalid_name, "invalid UTF-16: low surrogate without a high surrogate");
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

}  // namespace sgio::capi::w32
