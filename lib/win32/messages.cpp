// SPDX-License-Identifier: Apache-2.0
#include "win32/messages.hpp"

#include <algorithm>
#include <iterator>

#include "win32/nt_status.hpp"

namespace sgio::win32 {

namespace {

// Windows 10/11 en-US message table texts (System Error Codes, learn.microsoft.com), ascending by
// code. A code the face can set and this table lacks would make FormatMessage fail with 317:
// tests/win32 checks every err:: constant against it.
constexpr MessageRow kRows[] = {
    {0, "ERROR_SUCCESS", "The operation completed successfully.\r\n"},
    {1, "ERROR_INVALID_FUNCTION", "Incorrect function.\r\n"},
    {2, "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified.\r\n"},
    {3, "ERROR_PATH_NOT_FOUND", "The system cannot find the path specified.\r\n"},
    {4, "ERROR_TOO_MANY_OPEN_FILES", "The system cannot open the file.\r\n"},
    {5, "ERROR_ACCESS_DENIED", "Access is denied.\r\n"},
    {6, "ERROR_INVALID_HANDLE", "The handle is invalid.\r\n"},
    {8, "ERROR_NOT_ENOUGH_MEMORY", "Not enough memory resources are available to process this command.\r\n"},
    {14, "ERROR_OUTOFMEMORY", "Not enough memory resources are available to complete this operation.\r\n"},
    {19, "ERROR_WRITE_PROTECT", "The media is write protected.\r\n"},
    {24, "ERROR_BAD_LENGTH", "The program issued a command but the command length is incorrect.\r\n"},
    {31, "ERROR_GEN_FAILURE", "A device attached to the system is not functioning.\r\n"},
    {32, "ERROR_SHARING_VIOLATION",
     "The process cannot access the file because it is being used by another process.\r\n"},
    {33, "ERROR_LOCK_VIOLATION",
     "The process cannot access the file because another process has locked a portion of the file.\r\n"},
    {38, "ERROR_HANDLE_EOF", "Reached the end of the file.\r\n"},
    {50, "ERROR_NOT_SUPPORTED", "The request is not supported.\r\n"},
    {80, "ERROR_FILE_EXISTS", "The file exists.\r\n"},
    {87, "ERROR_INVALID_PARAMETER", "The parameter is incorrect.\r\n"},
    {112, "ERROR_DISK_FULL", "There is not enough space on the disk.\r\n"},
    {122, "ERROR_INSUFFICIENT_BUFFER", "The data area passed to a system call is too small.\r\n"},
    {123, "ERROR_INVALID_NAME", "The filename, directory name, or volume label syntax is incorrect.\r\n"},
    {131, "ERROR_NEGATIVE_SEEK", "An attempt was made to move the file pointer before the beginning of the file.\r\n"},
    {145, "ERROR_DIR_NOT_EMPTY", "The directory is not empty.\r\n"},
    {158, "ERROR_NOT_LOCKED", "The segment is already unlocked.\r\n"},
    {170, "ERROR_BUSY", "The requested resource is in use.\r\n"},
    {183, "ERROR_ALREADY_EXISTS", "Cannot create a file when that file already exists.\r\n"},
    {206, "ERROR_FILENAME_EXCED_RANGE", "The filename or extension is too long.\r\n"},
    {223, "ERROR_FILE_TOO_LARGE", "The file size exceeds the limit allowed and cannot be saved.\r\n"},
    {258, "WAIT_TIMEOUT", "The wait operation timed out.\r\n"},
    {307, "ERROR_INVALID_LOCK_RANGE",
     "A requested file lock operation cannot be processed due to an invalid byte range.\r\n"},
    {317, "ERROR_MR_MID_NOT_FOUND",
     "The system cannot find message text for message number 0x%1 in the message file for %2.\r\n"},
    {487, "ERROR_INVALID_ADDRESS", "Attempt to access invalid address.\r\n"},
    {735, "ERROR_ABANDONED_WAIT_0", "ERROR_ABANDONED_WAIT_0\r\n"},
    {995, "ERROR_OPERATION_ABORTED",
     "The I/O operation has been aborted because of either a thread exit or an application request.\r\n"},
    {996, "ERROR_IO_INCOMPLETE", "Overlapped I/O event is not in a signaled state.\r\n"},
    {997, "ERROR_IO_PENDING", "Overlapped I/O operation is in progress.\r\n"},
    {998, "ERROR_NOACCESS", "Invalid access to memory location.\r\n"},
    {1117, "ERROR_IO_DEVICE", "The request could not be performed because of an I/O device error.\r\n"},
    {1168, "ERROR_NOT_FOUND", "Element not found.\r\n"},
    {1359, "ERROR_INTERNAL_ERROR", "An internal error occurred.\r\n"},
    {1450, "ERROR_NO_SYSTEM_RESOURCES", "Insufficient system resources exist to complete the requested service.\r\n"},
    {1784, "ERROR_INVALID_USER_BUFFER", "The supplied user buffer is not valid for the requested operation.\r\n"},
    {1815, "ERROR_RESOURCE_LANG_NOT_FOUND", "The specified resource language ID cannot be found in the image file.\r\n"},
};

constexpr bool ascending() {
  for (size_t i = 1; i < std::size(kRows); ++i)
    if (kRows[i - 1].code >= kRows[i].code) return false;
  return true;
}
static_assert(ascending(), "kRows must be sorted by code (find_message searches it)");

// LANGIDs that select English: neutral (0), LANG_USER_DEFAULT/SYSTEM_DEFAULT (0x400, 0x800),
// and any English sublanguage (primary language 0x09).
bool english(uint32_t language) noexcept {
  if (language == 0 || language == 0x400 || language == 0x800) return true;
  return language <= 0xFFFF && (language & 0x3FF) == 0x09;
}

// "%1".."%99" inserts (FormatMessage's default !s! form).
std::string substitute(const std::string& text, const InsertSource& insert) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 1 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9') {
      unsigned n = static_cast<unsigned>(text[++i] - '0');
      if (i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') n = n * 10 + static_cast<unsigned>(text[++i] - '0');
      out += insert(n);
    } else {
      out += text[i];
    }
  }
  return out;
}

// The line-width rule: width 0 keeps the text's line breaks; otherwise they become spaces, and a
// width below FORMAT_MESSAGE_MAX_WIDTH_MASK breaks lines ("\r\n") at a space before that column.
std::string apply_width(std::string text, uint32_t width) {
  if (width == 0) return text;
  std::string flat;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      flat += ' ';
      ++i;
    } else {
      flat += text[i];
    }
  }
  if (width == fm::max_width_mask) return flat;
  std::string out;
  size_t line_start = 0, last_space = std::string::npos;
  for (size_t i = 0; i < flat.size(); ++i) {
    if (flat[i] == ' ') last_space = out.size();
    out += flat[i];
    if (out.size() - line_start > width && last_space != std::string::npos && last_space > line_start) {
      out.replace(last_space, 1, "\r\n");
      line_start = last_space + 2;
      last_space = std::string::npos;
    }
  }
  return out;
}

}  // namespace

const MessageRow* find_message(uint32_t code) noexcept {
  auto it = std::lower_bound(std::begin(kRows), std::end(kRows), code,
                             [](const MessageRow& r, uint32_t c) { return r.code < c; });
  return it != std::end(kRows) && it->code == code ? &*it : nullptr;
}

const MessageRow* message_rows(size_t& count) noexcept {
  count = std::size(kRows);
  return kRows;
}

std::string format_system_message(uint32_t flags, uint32_t code, uint32_t language, const InsertSource* inserts) {
  if (!english(language))
    fail_win32(err::resource_lang_not_found,
               "FormatMessage: sgio has its messages in English only (language " + std::to_string(language) + ")");
  const MessageRow* row = find_message(code);
  if (!row) fail_win32(err::mr_mid_not_found, "FormatMessage: no message for code " + std::to_string(code));
  std::string text = row->text;
  if (!(flags & fm::ignore_inserts) && text.find('%') != std::string::npos) {
    if (!inserts)
      fail_invalid_parameter("FormatMessage: the message has inserts and neither FORMAT_MESSAGE_IGNORE_INSERTS "
                             "nor FORMAT_MESSAGE_ARGUMENT_ARRAY was given");
    text = substitute(text, *inserts);
  }
  return apply_width(std::move(text), flags & fm::max_width_mask);
}

}  // namespace sgio::win32
