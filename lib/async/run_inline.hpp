// SPDX-License-Identifier: Apache-2.0
// Runs one request with the synchronous engine on the calling thread. Shared by the sync backend,
// the pool workers, and the io_uring backend's buffered-write path.
#pragma once

#include "async/backend.hpp"

namespace sgio {

// The whole transfer (write-all or read-until-full-or-EOF); does not call complete().
Transfer run_transfer(const IoRequest& req) noexcept;

// run_transfer(), then req->complete(). `req` may be freed by complete(): the caller must not
// touch it afterwards.
void run_inline(IoRequest* req) noexcept;

}  // namespace sgio
