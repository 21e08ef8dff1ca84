// SPDX-License-Identifier: Apache-2.0
#include "windows/text.hpp"

#include <windows.h>

#include <climits>

#include "core/error.hpp"

namespace sgio {

std::wstring utf8_to_wide(const std::string& utf8) {
  if (utf8.empty()) return {};
  if (utf8.size() > INT_MAX) fail(Errc::invalid_argument, "path is too long");
  const int in = static_cast<int>(utf8.size());
  int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), in, nullptr, 0);
  if (n <= 0) fail(Errc::invalid_argument, "path is not valid UTF-8");
  std::wstring wide(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), in, wide.data(), n);
  return wide;
}

}  // namespace sgio
