// SPDX-License-Identifier: Apache-2.0
// The one table of Win32 error messages: every code the Win32 face can set, with its winerror.h
// name and the text FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM) gives for it on Windows (en-US),
// trailing "\r\n" included. FormatMessageW/A and .NET's Win32Error.Message read it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace sgio::win32 {

struct MessageRow {
  uint32_t code;
  const char* name;  // winerror.h, e.g. "ERROR_INVALID_PARAMETER"
  const char* text;  // Windows' text, e.g. "The parameter is incorrect.\r\n"
};

// The row for `code`, or nullptr for a code sgio never sets (FormatMessage: ERROR_MR_MID_NOT_FOUND).
const MessageRow* find_message(uint32_t code) noexcept;
// The whole table, ascending by code.
const MessageRow* message_rows(size_t& count) noexcept;

// FormatMessage's dwFlags bits (winbase.h).
namespace fm {
constexpr uint32_t allocate_buffer = 0x00000100;
constexpr uint32_t ignore_inserts = 0x00000200;
constexpr uint32_t from_string = 0x00000400;
constexpr uint32_t from_hmodule = 0x00000800;
constexpr uint32_t from_system = 0x00001000;
constexpr uint32_t argument_array = 0x00002000;
constexpr uint32_t max_width_mask = 0x000000FF;
}  // namespace fm

// Insert %n (1-based) of a FORMAT_MESSAGE_ARGUMENT_ARRAY, as UTF-8.
using InsertSource = std::function<std::string(unsigned n)>;

// FORMAT_MESSAGE_FROM_SYSTEM for `code` in `language` (0, or an English LANGID), as UTF-8 (every
// text is ASCII, so this is also the ANSI text). `flags`: the line width (low byte: 0 keeps the
// text's line breaks, FORMAT_MESSAGE_MAX_WIDTH_MASK turns them into spaces, another n wraps at n
// columns) and FORMAT_MESSAGE_IGNORE_INSERTS (%1.. stay as they are); otherwise `inserts` gives
// them (nullptr: the caller passed no argument array). Throws Failure: ERROR_MR_MID_NOT_FOUND
// (a code sgio never sets), ERROR_RESOURCE_LANG_NOT_FOUND (another language),
// ERROR_INVALID_PARAMETER (a text with inserts, no IGNORE_INSERTS and no argument array).
std::string format_system_message(uint32_t flags, uint32_t code, uint32_t language, const InsertSource* inserts);

}  // namespace sgio::win32
