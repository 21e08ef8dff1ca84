// SPDX-License-Identifier: Apache-2.0
// The engine's error vocabulary. Each face (capi native, capi Win32) translates Errc to its own
// codes at the boundary; the engine never sees SGIO_E* or ERROR_* values.
#pragma once

#include <cstdint>
#include <exception>
#include <string>

namespace sgio {

enum class Errc : int32_t {
  invalid_argument = 1,
  bad_handle,
  alignment,
  not_found,
  exists,
  access_denied,
  is_directory,
  no_space,
  io,
  no_memory,
  overflow,
  not_supported,
  canceled,
  timed_out,
  busy,
  too_many_handles,
  system,
  internal,
  fault,  // EFAULT: an address the caller passed is not readable or writable
  again,  // EAGAIN: a transient shortage; the same call may succeed later
};

// Thrown by the engine; caught by the one guard at the C boundary.
class Error : public std::exception {
 public:
  Error(Errc code, std::string message, int sys_errno = 0)
      : code_(code), sys_errno_(sys_errno), message_(std::move(message)) {}
  Errc code() const noexcept { return code_; }
  // The errno behind the error, 0 if it did not come from a system call.
  int sys_errno() const noexcept { return sys_errno_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  Errc code_;
  int sys_errno_;
  std::string message_;
};

// Classify an errno value.
Errc errc_from_errno(int err) noexcept;

// Throw the Error for a failed system call: "<what>: <strerror(err)>".
[[noreturn]] void throw_errno(int err, const std::string& what);

[[noreturn]] inline void fail(Errc code, std::string message) { throw Error(code, std::move(message)); }

}  // namespace sgio
