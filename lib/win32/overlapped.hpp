// SPDX-License-Identifier: Apache-2.0
// The engine's view of the caller's OVERLAPPED (the public struct has the same layout; the face
// checks it). Internal and InternalHigh are written by a completion thread while the caller may
// poll them (HasOverlappedIoCompleted), so they are accessed atomically.
#pragma once

#include <atomic>
#include <cstdint>

namespace sgio::win32 {

struct Overlapped {
  uintptr_t internal;       // NTSTATUS
  uintptr_t internal_high;  // bytes transferred
  uint32_t offset;
  uint32_t offset_high;
  void* event;  // HANDLE; low bit set = no completion-port packet

  uint64_t file_offset() const noexcept { return (uint64_t{offset_high} << 32) | offset; }
};

inline uint32_t load_status(Overlapped* ov) noexcept {
  return static_cast<uint32_t>(std::atomic_ref<uintptr_t>(ov->internal).load(std::memory_order_acquire));
}
inline uintptr_t load_bytes(Overlapped* ov) noexcept {
  return std::atomic_ref<uintptr_t>(ov->internal_high).load(std::memory_order_acquire);
}
// Bytes first, then the status with release: whoever sees the final status also sees the count.
inline void store_result(Overlapped* ov, uint32_t status, uintptr_t bytes) noexcept {
  std::atomic_ref<uintptr_t>(ov->internal_high).store(bytes, std::memory_order_relaxed);
  std::atomic_ref<uintptr_t>(ov->internal).store(status, std::memory_order_release);
}

}  // namespace sgio::win32
