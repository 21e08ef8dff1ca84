// SPDX-License-Identifier: Apache-2.0
// Status codes and the thread-local error message of the native face.
#include <cstdio>
#include <cstring>

#include "common/guard.hpp"
#include "sgio/sgio_errors.h"

namespace sgio::capi {

namespace {
// A fixed buffer: recording an error must never allocate, and so never fail.
thread_local char last_message[1024];
}  // namespace

int32_t set_error(int32_t status, const char* message) noexcept {
  std::snprintf(last_message, sizeof last_message, "%s", message ? message : "");
  return status;
}

const char* last_message_ptr() noexcept { return last_message; }

int32_t to_status(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_argument: return SGIO_EINVAL;
    case Errc::bad_handle: return SGIO_EBADHANDLE;
    case Errc::alignment: return SGIO_EALIGN;
    case Errc::not_found: return SGIO_ENOENT;
    case Errc::exists: return SGIO_EEXIST;
    case Errc::access_denied: return SGIO_EACCES;
    case Errc::is_directory: return SGIO_EISDIR;
    case Errc::no_space: return SGIO_ENOSPC;
    case Errc::io: return SGIO_EIO;
    case Errc::no_memory: return SGIO_ENOMEM;
    case Errc::overflow: return SGIO_EOVERFLOW;
    case Errc::not_supported: return SGIO_ENOTSUP;
    case Errc::canceled: return SGIO_ECANCELED;
    case Errc::timed_out: return SGIO_ETIMEDOUT;
    case Errc::busy: return SGIO_EBUSY;
    case Errc::too_many_handles: return SGIO_EMFILE;
    case Errc::system: return SGIO_ESYS;
    case Errc::internal: return SGIO_EINTERNAL;
    case Errc::fault: return SGIO_EFAULT;
    case Errc::again: return SGIO_EAGAIN;
  }
  return SGIO_EINTERNAL;
}

}  // namespace sgio::capi

extern "C" {

SGIO_API const char* SGIO_CALL sgio_strerror(int32_t status) noexcept {
  switch (status) {
    case SGIO_OK: return "success";
#define SGIO_STRERROR_CASE_(name, value, text) \
  case value: return text;
    SGIO_ERRNO_MAP(SGIO_STRERROR_CASE_)
#undef SGIO_STRERROR_CASE_
    default: return "unknown error";
  }
}

SGIO_API const char* SGIO_CALL sgio_error_name(int32_t status) noexcept {
  switch (status) {
    case SGIO_OK: return "SGIO_OK";
#define SGIO_NAME_CASE_(name, value, text) \
  case value: return "SGIO_" #name;
    SGIO_ERRNO_MAP(SGIO_NAME_CASE_)
#undef SGIO_NAME_CASE_
    default: return "SGIO_UNKNOWN";
  }
}

SGIO_API const char* SGIO_CALL sgio_last_error_message(void) noexcept { return sgio::capi::last_message_ptr(); }

}  // extern "C"
