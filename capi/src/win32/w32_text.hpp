// SPDX-License-Identifier: Apache-2.0
// UTF-16 (the W functions' WCHAR strings, as .NET marshals CharSet.Unicode) to UTF-8 paths, and
// UTF-8 texts back to UTF-16.
#pragma once

#include <string>

#include "sgio/sgio_win32.h"

namespace sgio::capi::w32 {

// The NUL-terminated UTF-16 string as UTF-8. Surrogate pairs become one code point; a lone
// surrogate throws Failure(ERROR_INVALID_NAME). nullptr gives "".
std::string utf8_from_utf16(LPCWSTR text);
// UTF-8 to UTF-16 (what a W function returns); an invalid byte becomes U+FFFD.
std::u16string utf16_from_utf8(const std::string& text);

}  // namespace sgio::capi::w32
