// Runs one request with the synchronous engine on the calling thread. Shared by the sync backend,
// the pool workers, and the io_uring backend's buffered-write path.
#pragma once

#include "async/backend.hpp"

namespace sgio {

// The EOF alignment read_full() needs for this file: the direct-I/O offset alignment, else 1.
inline uint32_t eof_alignment(const File& f) noexcept { return f.direct() ? f.alignment().offset : 1; }

// The whole transfer (write-all or read-until-full-or-EOF); does not call complete().
Transfer run_transfer(const IoRequest& req) noexcept;

// run_transfer(), then req->complete(). `req` may be freed by complete(): the caller must not
// touch it afterwards.
void run_inline(IoRequest* req) noexcept;

}  // namespace sgio
