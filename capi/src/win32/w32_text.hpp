// SPDX-License-Identifier: Apache-2.0
// UTF-16 (the W functions' WCHAR strings, as .NET marshals CharSet.Unicode) to UTF-8 paths.
#pragma once

#include <string>

#include "sgio/sgio_win32.h"

namespace sgio::capi::w32 {

// The NUL-terminated UTF-16 string as UTF-8. Surrogate pairs become one code point; a lone
// surrogate throws Failure(ERROR_INVALID_NAME). nullptr gives "".
std::string utf8_from_utf16(LPCWSTR text);

}  // namespace sgio::capi::w32
