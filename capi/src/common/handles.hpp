// SPDX-License-Identifier: Apache-2.0
// Public opaque handle types <-> handle-table values, and argument checks shared by the
// native-face functions.
#pragma once

#include <cstdint>
#include <memory>

#include "core/error.hpp"
#include "core/handle_table.hpp"
#ifdef _WIN32
#include "windows/file.hpp"
#else
#include "posix/file.hpp"
#endif
#include "sgio/sgio_file.h"

namespace sgio::capi {

inline uint64_t handle_value(const void* h) noexcept { return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(h)); }

template <class T>
T* to_public(uint64_t value) noexcept {
  return reinterpret_cast<T*>(static_cast<uintptr_t>(value));
}

inline std::shared_ptr<File> file_of(const sgio_file* f) {
  return handles().get_as<File>(handle_value(f));
}

// Out-parameters must not be NULL unless documented as optional.
template <class T>
void require(T* p, const char* name) {
  if (!p) fail(Errc::invalid_argument, std::string(name) + " is NULL");
}

static_assert(sizeof(sgio_segment) == sizeof(Segment) && alignof(sgio_segment) == alignof(Segment),
              "sgio_segment and sgio::Segment must share one layout");

inline const Segment* to_segments(const sgio_segment* segs) noexcept {
  return reinterpret_cast<const Segment*>(segs);
}

}  // namespace sgio::capi
