// SPDX-License-Identifier: Apache-2.0
#include "core/handle_table.hpp"

#include <string>

#include "core/error.hpp"

namespace sgio {

namespace {
constexpr unsigned kIndexBits = 20;
constexpr uint64_t kIndexMask = (1u << kIndexBits) - 1;
constexpr unsigned kLowBits = 2;
}  // namespace

const char* kind_name(Kind kind) noexcept {
  switch (kind) {
    case Kind::file: return "file";
    case Kind::queue: return "queue";
    case Kind::event: return "event";
    case Kind::port: return "completion port";
  }
  return "object";
}

uint64_t HandleTable::insert(std::shared_ptr<Object> object) {
  std::unique_lock lock(mutex_);
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    if (slots_.size() >= max_handles) fail(Errc::too_many_handles, "too many open sgio handles");
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  // Generations start at 1 and skip 0 on wrap, so no handle value is ever 0.
  slot.generation = slot.generation + 1 == 0 ? 1 : slot.generation + 1;
  slot.object = std::move(object);
  ++live_;
  return ((static_cast<uint64_t>(slot.generation) << kIndexBits) | index) << kLowBits;
}

bool HandleTable::decode(uint64_t handle, uint32_t& index, uint32_t& generation) const noexcept {
  if (handle == 0 || (handle & ((1u << kLowBits) - 1)) != 0) return false;
  uint64_t v = handle >> kLowBits;
  if ((v >> (kIndexBits + 32)) != 0) return false;
  index = static_cast<uint32_t>(v & kIndexMask);
  generation = static_cast<uint32_t>(v >> kIndexBits);
  return generation != 0;
}

std::shared_ptr<Object> HandleTable::find(uint64_t handle) const noexcept {
  uint32_t index, generation;
  if (!decode(handle, index, generation)) return nullptr;
  std::shared_lock lock(mutex_);
  if (index >= slots_.size()) return nullptr;
  const Slot& slot = slots_[index];
  if (slot.generation != generation || !slot.object) return nullptr;
  return slot.object;
}

std::shared_ptr<Object> HandleTable::get(uint64_t handle, Kind kind) const {
  std::shared_ptr<Object> object = find(handle);
  if (!object) fail(Errc::bad_handle, "invalid handle: not open, already closed, or never created");
  if (object->kind() != kind)
    fail(Errc::bad_handle, std::string("invalid handle: a ") + kind_name(object->kind()) + " handle where a " +
                               kind_name(kind) + " handle is required");
  return object;
}

std::shared_ptr<Object> HandleTable::remove(uint64_t handle) {
  uint32_t index, generation;
  if (decode(handle, index, generation)) {
    std::unique_lock lock(mutex_);
    if (index < slots_.size() && slots_[index].generation == generation && slots_[index].object) {
      std::shared_ptr<Object> object = std::move(slots_[index].object);
      slots_[index].object.reset();
      free_.push_back(index);
      --live_;
      return object;
    }
  }
  fail(Errc::bad_handle, "invalid handle: not open, already closed, or never created");
}

std::shared_ptr<Object> HandleTable::remove(uint64_t handle, Kind kind) {
  std::shared_ptr<Object> object = find(handle);
  if (object && object->kind() != kind)
    fail(Errc::bad_handle, std::string("invalid handle: a ") + kind_name(object->kind()) + " handle where a " +
                               kind_name(kind) + " handle is required");
  return remove(handle);
}

size_t HandleTable::size() const {
  std::shared_lock lock(mutex_);
  return live_;
}

HandleTable& handles() {
  // Never destroyed: handles may be closed from static destructors of other libraries.
  static HandleTable* table = new HandleTable;
  return *table;
}

}  // namespace sgio
