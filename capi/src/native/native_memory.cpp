// SPDX-License-Identifier: Apache-2.0
// sgio_version, sgio_page_size and aligned memory.
#include "core/memory.hpp"
#include "common/guard.hpp"
#include "common/handles.hpp"
#include "sgio/sgio_memory.h"
#include "sgio/sgio_version.h"

using namespace sgio;
using namespace sgio::capi;

#define SGIO_STR2_(x) #x
#define SGIO_STR_(x) SGIO_STR2_(x)

extern "C" {

SGIO_API uint32_t SGIO_CALL sgio_version(uint32_t* major, uint32_t* minor, uint32_t* patch) noexcept {
  if (major) *major = SGIO_VERSION_MAJOR;
  if (minor) *minor = SGIO_VERSION_MINOR;
  if (patch) *patch = SGIO_VERSION_PATCH;
  return SGIO_VERSION_NUMBER;
}

SGIO_API const char* SGIO_CALL sgio_version_string(void) noexcept {
  return SGIO_STR_(SGIO_VERSION_MAJOR) "." SGIO_STR_(SGIO_VERSION_MINOR) "." SGIO_STR_(SGIO_VERSION_PATCH);
}

SGIO_API uint32_t SGIO_CALL sgio_page_size(void) noexcept { return page_size(); }

SGIO_API int32_t SGIO_CALL sgio_aligned_alloc(void** out, uint64_t size, uint64_t alignment) noexcept {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    *out = alloc_aligned(size, alignment);
  });
}

SGIO_API void SGIO_CALL sgio_aligned_free(void* block) noexcept { free_aligned(block); }

}  // extern "C"
