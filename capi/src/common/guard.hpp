// SPDX-License-Identifier: Apache-2.0
// The one guard at the C boundary: every extern "C" body of the native face is
//   return guard([&] { ... });
// Nothing thrown inside can cross into C, C#, or Java: engine errors become their SGIO_E* code
// and a thread-local message; anything else becomes SGIO_ENOMEM or SGIO_EINTERNAL.
#pragma once

#include <cstdint>
#include <exception>
#include <new>

#include "core/error.hpp"
#include "sgio/sgio_errors.h"

namespace sgio::capi {

// SGIO_E* for an engine error code.
int32_t to_status(Errc code) noexcept;

// Records `message` as this thread's last error message and returns `status`.
int32_t set_error(int32_t status, const char* message) noexcept;

// This thread's last error message; never NULL.
const char* last_message_ptr() noexcept;

template <class F>
int32_t guard(F&& body) noexcept {
  try {
    body();
    return SGIO_OK;
  } catch (const Error& e) {
    return set_error(to_status(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return set_error(SGIO_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return set_error(SGIO_EINTERNAL, e.what());
  } catch (...) {
    return set_error(SGIO_EINTERNAL, "unknown exception inside sgio");
  }
}

}  // namespace sgio::capi
