// SPDX-License-Identifier: Apache-2.0
// The Win32 face's error vocabulary inside the engine: the NTSTATUS values written into
// OVERLAPPED.Internal and completion packets, the Win32 (GetLastError) codes, and the maps
// errno -> NTSTATUS -> Win32 that Windows applies (RtlNtStatusToDosError for the statuses sgio
// produces). The values are Windows' own (ntstatus.h / winerror.h); the public header repeats the
// ones callers see.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace sgio::win32 {

namespace nt {
constexpr uint32_t success = 0x00000000;
constexpr uint32_t pending = 0x00000103;
constexpr uint32_t unsuccessful = 0xC0000001;
constexpr uint32_t access_violation = 0xC0000005;
constexpr uint32_t invalid_handle = 0xC0000008;
constexpr uint32_t invalid_parameter = 0xC000000D;
constexpr uint32_t end_of_file = 0xC0000011;
constexpr uint32_t no_memory = 0xC0000017;
constexpr uint32_t access_denied = 0xC0000022;
constexpr uint32_t disk_full = 0xC000007F;
constexpr uint32_t insufficient_resources = 0xC000009A;
constexpr uint32_t media_write_protected = 0xC00000A2;
constexpr uint32_t not_supported = 0xC00000BB;
constexpr uint32_t invalid_user_buffer = 0xC00000E8;
constexpr uint32_t too_many_opened_files = 0xC000011F;
constexpr uint32_t cancelled = 0xC0000120;
constexpr uint32_t io_device_error = 0xC0000185;
constexpr uint32_t file_too_large = 0xC0000904;
}  // namespace nt

namespace err {
constexpr uint32_t success = 0;
constexpr uint32_t file_not_found = 2;
constexpr uint32_t path_not_found = 3;
constexpr uint32_t too_many_open_files = 4;
constexpr uint32_t access_denied = 5;
constexpr uint32_t invalid_handle = 6;
constexpr uint32_t not_enough_memory = 8;
constexpr uint32_t write_protect = 19;
constexpr uint32_t bad_length = 24;
constexpr uint32_t gen_failure = 31;
constexpr uint32_t sharing_violation = 32;
constexpr uint32_t lock_violation = 33;
constexpr uint32_t handle_eof = 38;
constexpr uint32_t not_supported = 50;
constexpr uint32_t file_exists = 80;
constexpr uint32_t invalid_parameter = 87;
constexpr uint32_t disk_full = 112;
constexpr uint32_t insufficient_buffer = 122;
constexpr uint32_t invalid_name = 123;
constexpr uint32_t negative_seek = 131;
constexpr uint32_t not_locked = 158;
constexpr uint32_t busy = 170;
constexpr uint32_t already_exists = 183;
constexpr uint32_t filename_exced_range = 206;
constexpr uint32_t file_too_large = 223;
constexpr uint32_t wait_timeout = 258;
constexpr uint32_t invalid_lock_range = 307;
constexpr uint32_t mr_mid_not_found = 317;  // what Windows reports for an NTSTATUS it cannot map
constexpr uint32_t invalid_address = 487;
constexpr uint32_t abandoned_wait_0 = 735;
constexpr uint32_t operation_aborted = 995;
constexpr uint32_t io_incomplete = 996;
constexpr uint32_t io_pending = 997;
constexpr uint32_t noaccess = 998;
constexpr uint32_t io_device = 1117;
constexpr uint32_t not_found = 1168;
constexpr uint32_t internal_error = 1359;
constexpr uint32_t no_system_resources = 1450;
constexpr uint32_t invalid_user_buffer = 1784;
constexpr uint32_t resource_lang_not_found = 1815;
}  // namespace err

// An engine failure that already knows its Win32 code (the face reports it unchanged).
class Failure : public Error {
 public:
  Failure(uint32_t win32_code, Errc code, std::string message, int sys_errno = 0)
      : Error(code, std::move(message), sys_errno), win32_(win32_code) {}
  uint32_t win32_code() const noexcept { return win32_; }

 private:
  uint32_t win32_;
};

[[noreturn]] inline void fail_win32(uint32_t win32_code, std::string message) {
  throw Failure(win32_code, Errc::invalid_argument, std::move(message));
}
[[noreturn]] inline void fail_invalid_parameter(std::string message) {
  throw Failure(err::invalid_parameter, Errc::invalid_argument, std::move(message));
}

// The completion status of a transfer: 0 -> STATUS_SUCCESS, an errno -> its NTSTATUS.
uint32_t ntstatus_from_errno(int err) noexcept;
// RtlNtStatusToDosError for the statuses above (STATUS_SUCCESS -> 0).
uint32_t win32_from_ntstatus(uint32_t status) noexcept;
// The Win32 code of an errno value from a system call made for a Win32 function.
uint32_t win32_from_errno(int err) noexcept;
// The Win32 code of any engine error (Failure keeps its own code).
uint32_t win32_from_error(const Error& e) noexcept;

// NT_SUCCESS: the high bit of the 32-bit status is clear.
constexpr bool nt_success(uint32_t status) noexcept { return (status & 0x80000000u) == 0; }

}  // namespace sgio::win32
