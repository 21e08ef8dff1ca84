// SPDX-License-Identifier: Apache-2.0
// The process-wide table of open handles. A handle is an opaque 64-bit value that encodes a slot
// and the slot's generation, so a stale (closed) or made-up handle is detected instead of
// dereferenced. Lookups return shared_ptr: an object stays alive while any call is using it, even
// if another thread closes the handle meanwhile.
//
// Handle values are multiples of 4 (the Win32 convention, which leaves the low bits to callers
// such as the "event handle | 1" completion-port trick), never 0 and never all-ones.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "core/object.hpp"

namespace sgio {

class HandleTable {
 public:
  static constexpr uint32_t max_handles = 1u << 20;

  // Adds the object; throws Error(too_many_handles) when full.
  uint64_t insert(std::shared_ptr<Object> object);

  // The object behind a handle if it is open and of the given kind, else throws Error(bad_handle).
  std::shared_ptr<Object> get(uint64_t handle, Kind kind) const;
  template <class T>
  std::shared_ptr<T> get_as(uint64_t handle) const {
    return std::static_pointer_cast<T>(get(handle, T::kind_tag));
  }
  // Like get() but any kind; nullptr when the handle is not open.
  std::shared_ptr<Object> find(uint64_t handle) const noexcept;

  // Removes the handle and returns its object, or throws Error(bad_handle). The caller runs
  // on_close(); the object dies when the last user lets go.
  std::shared_ptr<Object> remove(uint64_t handle);
  std::shared_ptr<Object> remove(uint64_t handle, Kind kind);

  size_t size() const;

 private:
  struct Slot {
    std::shared_ptr<Object> object;
    uint32_t generation = 0;
  };
  bool decode(uint64_t handle, uint32_t& index, uint32_t& generation) const noexcept;

  mutable std::shared_mutex mutex_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  size_t live_ = 0;
};

// The one table shared by the native and the Win32 face.
HandleTable& handles();

}  // namespace sgio
