// SPDX-License-Identifier: Apache-2.0
// GetLastError() values in the engine's vocabulary: the one Win32 error -> Errc table.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace sgio {

// Classify a Win32 error code (a DWORD from GetLastError or an overlapped completion).
Errc errc_from_win32(uint32_t err) noexcept;

// Throw the Error for a failed Windows call: "<what>: <system message> (Win32 error N)".
// Error::sys_errno() carries the Win32 code.
[[noreturn]] void throw_win32(uint32_t err, const std::string& what);

}  // namespace sgio
