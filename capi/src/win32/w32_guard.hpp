// SPDX-License-Identifier: Apache-2.0
// The Win32 face's guard: every exported body is
//   return w32_guard(FAILURE_VALUE, [&] { ... return result; });
// Nothing thrown inside crosses into the caller. An engine error becomes its Win32 code, stored
// as the thread's last error AND in errno (what .NET's SetLastError=true reads on Unix), and the
// function returns FALSE / NULL / INVALID_HANDLE_VALUE / WAIT_FAILED. A call that succeeds without
// setting the last error leaves errno as the caller had it.
#pragma once

#include <cerrno>
#include <cstdint>
#include <memory>
#include <new>

#include "async/backend.hpp"
#include "common/handles.hpp"
#include "core/error.hpp"
#include "sgio/sgio_win32.h"
#include "win32/event.hpp"
#include "win32/nt_status.hpp"
#include "win32/overlapped.hpp"
#include "win32/win32_file.hpp"

namespace sgio::capi::w32 {

// SetLastError: the thread's code and errno.
void set_last_error(uint32_t code) noexcept;
uint32_t last_error() noexcept;
// Records an engine failure (code + sgio_last_error_message text).
void set_failure(uint32_t code, const char* message) noexcept;

// Tracks whether the current call set the last error, so success paths can restore errno.
class CallScope {
 public:
  CallScope() noexcept;
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;
  void succeeded() noexcept { ok_ = true; }

 private:
  int saved_errno_;
  bool outer_;
  bool ok_ = false;
};

template <class R, class F>
R w32_guard(R failure, F&& body) noexcept {
  CallScope scope;
  try {
    R r = body();
    scope.succeeded();
    return r;
  } catch (const Error& e) {
    set_failure(win32::win32_from_error(e), e.what());
  } catch (const std::bad_alloc&) {
    set_failure(ERROR_NOT_ENOUGH_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    set_failure(win32::err::internal_error, e.what());
  } catch (...) {
    set_failure(win32::err::internal_error, "unknown exception inside sgio");
  }
  return failure;
}

// Returns FALSE after setting `code` (a failure reported without an exception).
inline BOOL fail_with(uint32_t code) noexcept {
  set_last_error(code);
  return FALSE;
}

inline uint64_t hv(HANDLE h) noexcept { return handle_value(h); }
inline HANDLE to_handle(uint64_t v) noexcept { return reinterpret_cast<HANDLE>(static_cast<uintptr_t>(v)); }

// A file opened by CreateFile (ERROR_INVALID_HANDLE for anything else, including native-face files).
std::shared_ptr<win32::Win32File> win32_file(HANDLE h);
// Any file, either face (for calls that need no Win32 state).
std::shared_ptr<File> any_file(HANDLE h);
// ERROR_ACCESS_DENIED unless the handle has the access a transfer of `kind` needs.
void check_access(const File& f, OpKind kind, const char* fn);
// The event named by OVERLAPPED.hEvent (low bit ignored); nullptr for NULL.
std::shared_ptr<win32::Event> overlapped_event(HANDLE h);

static_assert(sizeof(OVERLAPPED) == sizeof(win32::Overlapped) && offsetof(OVERLAPPED, Internal) == 0 &&
                  offsetof(OVERLAPPED, InternalHigh) == offsetof(win32::Overlapped, internal_high) &&
                  offsetof(OVERLAPPED, Offset) == offsetof(win32::Overlapped, offset) &&
                  offsetof(OVERLAPPED, OffsetHigh) == offsetof(win32::Overlapped, offset_high) &&
                  offsetof(OVERLAPPED, hEvent) == offsetof(win32::Overlapped, event),
              "OVERLAPPED and sgio::win32::Overlapped must share one layout");
inline win32::Overlapped* to_engine(LPOVERLAPPED ov) noexcept { return reinterpret_cast<win32::Overlapped*>(ov); }

}  // namespace sgio::capi::w32
