// SPDX-License-Identifier: Apache-2.0
#include "async/run_inline.hpp"

namespace sgio {

Transfer run_transfer(const IoRequest& req) noexcept {
  const File& f = *req.file;
  if (req.op == OpKind::write_gather) return write_all(f.fd(), req.segs, req.count, req.offset, f.alignment().offset);
  return read_full(f.fd(), req.segs, req.count, req.offset, f.alignment().offset);
}

void run_inline(IoRequest* req) noexcept {
  Transfer t = run_transfer(*req);
  req->complete(t.bytes, t.error);
}

}  // namespace sgio
