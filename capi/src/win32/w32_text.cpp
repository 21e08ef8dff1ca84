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

std::u16string utf16_from_utf8(const std::string& text) {
  std::u16string out;
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    uint32_t cp = b[i];
    size_t len = cp < 0x80 ? 1 : (cp >> 5) == 0x6 ? 2 : (cp >> 4) == 0xE ? 3 : (cp >> 3) == 0x1E ? 4 : 0;
    bool ok = len != 0 && i + len <= n;
    if (ok && len > 1) {
      cp &= 0xFFu >> (len + 1);
      for (size_t k = 1; k < len; ++k) {
        if ((b[i + k] & 0xC0) != 0x80) ok = false;
        cp = (cp << 6) | (b[i + k] & 0x3F);
      }
      // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
      static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < kMin[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) ok = false;
    }
    if (!ok) {
      out += char16_t{0xFFFD};
      ++i;
      continue;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

}  // namespace sgio::capi::w32
