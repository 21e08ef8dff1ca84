// SPDX-License-Identifier: Apache-2.0
// Everything a handle can name derives from Object; the handle table checks the kind on lookup.
#pragma once

#include <cstdint>

namespace sgio {

enum class Kind : uint8_t { file = 1, queue, event, port };

const char* kind_name(Kind kind) noexcept;

class Object {
 public:
  explicit Object(Kind kind) noexcept : kind_(kind) {}
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
  virtual ~Object() = default;
  Kind kind() const noexcept { return kind_; }

  // Called once when the handle is closed (removed from the table), before the last reference
  // goes away. Objects with I/O in flight cancel and wait for it here.
  virtual void on_close() {}

 private:
  Kind kind_;
};

}  // namespace sgio
