// SPDX-License-Identifier: Apache-2.0
#include "win32/w32_guard.hpp"

#include "common/guard.hpp"

namespace sgio::capi::w32 {

namespace {
thread_local uint32_t tl_last_error = 0;
thread_local bool tl_in_call = false;
thread_local bool tl_set_in_call = false;
}  // namespace

void set_last_error(uint32_t code) noexcept {
  tl_last_error = code;
  tl_set_in_call = true;
  errno = static_cast<int>(code);
}

uint32_t last_error() noexcept { return tl_last_error; }

void set_failure(uint32_t code, const char* message) noexcept {
  set_error(SGIO_ESYS, message);  // the text behind sgio_last_error_message()
  set_last_error(code);
}

CallScope::CallScope() noexcept : saved_errno_(errno), outer_(!tl_in_call) {
  if (outer_) {
    tl_in_call = true;
    tl_set_in_call = false;
  }
}

CallScope::~CallScope() {
  if (!outer_) return;
  // System calls made on the way may have changed errno; a call that did not set the last error
  // gives the caller's errno back.
  if (ok_ && !tl_set_in_call) errno = saved_errno_;
  tl_in_call = false;
}

std::shared_ptr<win32::Win32File> win32_file(HANDLE h) {
  std::shared_ptr<File> f = handles().get_as<File>(hv(h));
  auto w = std::dynamic_pointer_cast<win32::Win32File>(f);
  if (!w) win32::fail_win32(ERROR_INVALID_HANDLE, "a native sgio_file handle where a CreateFile handle is required");
  return w;
}

std::shared_ptr<File> any_file(HANDLE h) { return handles().get_as<File>(hv(h)); }

void check_access(const File& f, OpKind kind, const char* fn) {
  if (kind == OpKind::write_gather && !f.writable())
    win32::fail_win32(ERROR_ACCESS_DENIED, std::string(fn) + ": the handle has no GENERIC_WRITE access");
  if (kind == OpKind::read_scatter && !f.readable())
    win32::fail_win32(ERROR_ACCESS_DENIED, std::string(fn) + ": the handle has no GENERIC_READ access");
}

std::shared_ptr<win32::Event> overlapped_event(HANDLE h) {
  uint64_t v = hv(h) & ~uint64_t{1};
  if (v == 0) return nullptr;
  return handles().get_as<win32::Event>(v);
}

}  // namespace sgio::capi::w32
