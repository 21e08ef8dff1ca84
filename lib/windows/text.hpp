// SPDX-License-Identifier: Apache-2.0
// UTF-8 (what the native face takes) to UTF-16 (what the W functions take).
#pragma once

#include <string>

namespace sgio {

// Throws Error(invalid_argument) for bytes that are not UTF-8.
std::wstring utf8_to_wide(const std::string& utf8);

}  // namespace sgio
