// SPDX-License-Identifier: Apache-2.0
// The sync backend: each request runs to its end inside submit(), on the submitting thread.
// Nothing can be cancelled (cancel finds nothing it can stop). Meant for debugging and for
// running every queue test against the plain engine.
#pragma once

#include "async/backend.hpp"

namespace sgio {

class SyncBackend final : public Backend {
 public:
  SyncBackend() : Backend(64) {}
  ~SyncBackend() override { drain(); }
  BackendKind kind() const noexcept override { return BackendKind::sync; }

 private:
  void start_locked(std::unique_lock<std::mutex>& lock, IoRequest* const* reqs, size_t n) override;
  bool cancel_locked(IoRequest*) noexcept override { return false; }
};

}  // namespace sgio
