// SPDX-License-Identifier: Apache-2.0
// The sync backend: each request runs to its end inside submit(), on the submitting thread.
// Nothing is ever in flight between calls, so cancel() never finds anything. Meant for debugging
// and for running every queue test against the plain engine.
#pragma once

#include "async/backend.hpp"

namespace sgio {

class SyncBackend final : public Backend {
 public:
  BackendKind kind() const noexcept override { return BackendKind::sync; }
  void submit(IoRequest* const* reqs, size_t n) override;
  bool cancel(IoRequest* req) noexcept override;
};

}  // namespace sgio
