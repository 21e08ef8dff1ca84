// SPDX-License-Identifier: Apache-2.0
// The one process-wide asynchronous backend behind every overlapped Win32 request, created on
// first use with make_backend(automatic): SGIO_BACKEND=uring|pool|sync, else io_uring if the
// kernel allows it, else the thread pool. Its mutex also guards the Win32 face's request records
// and every file's list of requests in flight.
#pragma once

#include <memory>

#include "async/backend.hpp"

namespace sgio::win32 {

// Throws Error when the backend cannot be created (a forced io_uring that is unavailable).
Backend& io_backend();
// The backend if one was created, else nullptr (then nothing is in flight).
Backend* current_io_backend() noexcept;

// Tests only: replaces the backend (nullptr = create lazily again) and returns the previous one.
// The caller guarantees that no overlapped request is in flight.
std::unique_ptr<Backend> exchange_io_backend(std::unique_ptr<Backend> next);

}  // namespace sgio::win32
