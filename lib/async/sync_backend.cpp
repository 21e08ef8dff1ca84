// SPDX-License-Identifier: Apache-2.0
#include "async/sync_backend.hpp"

#include "async/run_inline.hpp"

namespace sgio {

void SyncBackend::submit(IoRequest* const* reqs, size_t n) {
  for (size_t i = 0; i < n; ++i) run_inline(reqs[i]);
}

bool SyncBackend::cancel(IoRequest*) noexcept { return false; }

}  // namespace sgio
