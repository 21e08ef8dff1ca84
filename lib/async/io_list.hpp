// SPDX-License-Identifier: Apache-2.0
// An intrusive doubly-linked FIFO of requests through a pair of IoState's link fields: adding and
// removing never allocate. The one list behind the in-flight table, the pool's queue and the
// ring's backlog.
#pragma once

#include <cstddef>

#include "async/request.hpp"

namespace sgio {

template <IoRequest* IoState::*Prev, IoRequest* IoState::*Next>
class IoList {
 public:
  IoRequest* front() const noexcept { return head_; }
  size_t size() const noexcept { return size_; }

  void push_back(IoRequest* r) noexcept {
    r->io.*Next = nullptr;
    r->io.*Prev = tail_;
    if (tail_)
      tail_->io.*Next = r;
    else
      head_ = r;
    tail_ = r;
    ++size_;
  }

  void unlink(IoRequest* r) noexcept {
    IoState& s = r->io;
    if (s.*Prev)
      (s.*Prev)->io.*Next = s.*Next;
    else
      head_ = s.*Next;
    if (s.*Next)
      (s.*Next)->io.*Prev = s.*Prev;
    else
      tail_ = s.*Prev;
    s.*Prev = s.*Next = nullptr;
    --size_;
  }

  IoRequest* pop_front() noexcept {
    IoRequest* r = head_;
    if (r) unlink(r);
    return r;
  }

 private:
  IoRequest* head_ = nullptr;
  IoRequest* tail_ = nullptr;
  size_t size_ = 0;
};

using InFlightList = IoList<&IoState::prev, &IoState::next>;
using WaitingList = IoList<&IoState::qprev, &IoState::qnext>;

}  // namespace sgio
