// SPDX-License-Identifier: Apache-2.0
// The io_uring backend: one ring per backend, shared by every submitting thread, and one
// completion thread that reaps CQEs and calls complete(). No thread per request: the kernel does
// the I/O; the only threads are the completion thread and, for large buffered writes, a small
// worker set.
//
// Every request is an Op that owns its iovec storage. A request runs as a series of chunks
// (IovCursor: at most IOV_MAX iovecs and 0x7ffff000 bytes each); a short or chunk-limited
// completion resubmits the remainder from the completion thread, so callers get the write-all /
// read-until-EOF contract of the sync engine.
//
// Buffered writes do not go through the ring. ext4 cannot do a buffered write without blocking
// (pwritev2(RWF_NOWAIT) fails with EOPNOTSUPP on this kernel), so io_uring punts every one to an
// io-wq worker, and io-wq serialises writes to one regular file on a single worker. Measured with
// bench/async/sgio_bench_buffered_path (random 16x4 KiB gathers into a page-cached file, 2 cores;
// README.md has the tables), QD32: ring 1457-1610 MB/s, 4-thread worker set 1642-2647, pwritev
// inside submit() with the result posted through the ring as a NOP 2438-3156; at QD1 the last two
// are even (1102-1543) and the ring trails (911-1065). So: buffered writes up to 1 MiB run inline in
// submit() and complete through a NOP CQE (complete() still runs on the completion thread, and no
// thread is added); larger ones go to a small worker set so that submit() stays short. Direct I/O
// and all reads stay on the ring (ext4 serves them with IOCB_NOWAIT, no worker threads, except
// allocating direct writes, see kMaxIoWorkers).
#include "async/uring_backend.hpp"

#include <liburing.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "async/pool_backend.hpp"
#include "async/run_inline.hpp"
#include "core/error.hpp"
#ifdef SGIO_URING_FAULTS
#include "async/uring_faults.hpp"  // test builds only (sgio_engine_faults)
#endif

namespace sgio {

namespace {

// user_data of SQEs that are not requests. Op addresses are 8-aligned, so odd values never clash.
constexpr uint64_t kCancelTag = 1;
constexpr uint64_t kExitTag = 3;

// io-wq workers per submitting thread for requests the kernel cannot issue without blocking.
constexpr unsigned kMaxIoWorkers = 4;
// Threads that large buffered writes may use (see the header comment for why they exist).
constexpr unsigned kBufferedWriters = 4;
// Buffered writes up to this size run inline in submit(): a copy into the page cache that takes
// well under a millisecond. Larger ones go to the worker set so submit() stays short.
constexpr uint64_t kInlineWriteMax = 1 << 20;

uint64_t total_bytes(const IoRequest& r) noexcept {
  uint64_t t = 0;
  for (uint64_t i = 0; i < r.count && t <= kInlineWriteMax; ++i) t += r.segs[i].length;
  return t;
}

struct Op {
  IoRequest* req = nullptr;
  IovCursor cur{nullptr, 0};
  uint64_t done = 0;         // bytes completed so far
  uint64_t asked = 0;        // bytes of the chunk in flight
  uint32_t eof_align = 1;
  bool cancel_requested = false;
  bool inline_write = false;  // a buffered write already done in submit(); its NOP carries the result
  int inline_error = 0;
  std::vector<iovec> iov;    // the chunk in flight; stays valid until its CQE is reaped
  Op* prev = nullptr;        // in-flight list (intrusive: adding never allocates)
  Op* next = nullptr;
};

class UringBackend final : public Backend {
 public:
  UringBackend(unsigned depth, BufferedWritePath buffered_writes);
  ~UringBackend() override;

  BackendKind kind() const noexcept override { return BackendKind::uring; }
  void submit(IoRequest* const* reqs, size_t n) override;
  bool cancel(IoRequest* req) noexcept override;

 private:
  struct Finished {
    IoRequest* req;
    uint64_t bytes;
    int error;
  };

  enum class Route { ring, inline_write, worker };
  Route route(const IoRequest& r) const noexcept;
  // May drop and retake `lock` while the SQ is full and the kernel refuses more.
  io_uring_sqe* get_sqe(std::unique_lock<std::mutex>& lock) noexcept;
  // `max_bytes`: shortens the chunk (a direct write cut at RLIMIT_FSIZE, see fsize_cut).
  void prep_chunk(Op* op, std::unique_lock<std::mutex>& lock, uint64_t max_bytes = UINT64_MAX) noexcept;
  void submit_locked(std::unique_lock<std::mutex>& lock) noexcept;
  void link_locked(Op* op) noexcept;
  void unlink_locked(Op* op) noexcept;
  Op* take_op_locked();
  void reap() noexcept;
  // Handles one CQE of `op`; returns true when the request has ended (then `out` is filled).
  bool on_cqe(Op* op, int res, Finished& out, std::unique_lock<std::mutex>& lock) noexcept;

  const BufferedWritePath buffered_writes_;
  io_uring ring_{};
  std::mutex mu_;  // the SQ, the in-flight list, the free ops
  Op* inflight_ = nullptr;
  size_t ops_in_ring_ = 0;
  std::vector<Op*> free_ops_;
  std::vector<std::unique_ptr<Op>> all_ops_;
  bool stopping_ = false;
  std::unique_ptr<PoolBackend> writers_;
  std::thread reaper_;
};

UringBackend::UringBackend(unsigned depth, BufferedWritePath buffered_writes) : buffered_writes_(buffered_writes) {
  unsigned entries = std::clamp(depth, 8u, 4096u);
  io_uring_params p{};
  // Room for every request's CQE plus resubmissions and cancels; the kernel keeps overflowing
  // CQEs (IORING_FEAT_NODROP) anyway, so this only avoids the slow path.
  p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL;
  p.cq_entries = entries * 2;
  int rc = io_uring_queue_init_params(entries, &ring_, &p);
  if (rc == -EINVAL) {
    // Before 5.18 there is no SUBMIT_ALL; submit_locked() then resubmits what the kernel left.
    p = io_uring_params{};
    p.flags = IORING_SETUP_CQSIZE;
    p.cq_entries = entries * 2;
    rc = io_uring_queue_init_params(entries, &ring_, &p);
  }
  // Out of descriptors is the caller's condition, not a missing feature: SGIO_EMFILE /
  // ERROR_TOO_MANY_OPEN_FILES, and no silent fall-back to the pool. Every other refusal (ENOSYS
  // and EPERM from seccomp or io_uring_disabled, ENOMEM from RLIMIT_MEMLOCK before 5.12) means
  // "no io_uring here".
  if (rc == -EMFILE || rc == -ENFILE)
    throw Error(Errc::too_many_handles,
                std::string("io_uring backend: io_uring_queue_init: ") + std::strerror(-rc), -rc);
  if (rc < 0)
    throw Error(Errc::not_supported,
                std::string("io_uring is not available here (io_uring_queue_init: ") + std::strerror(-rc) +
                    "); use SGIO_BACKEND=pool",
                -rc);
  if (!(p.features & IORING_FEAT_NODROP)) {
    io_uring_queue_exit(&ring_);
    throw Error(Errc::not_supported, "io_uring: kernel too old (no IORING_FEAT_NODROP); use SGIO_BACKEND=pool");
  }
  // Direct writes that allocate blocks or extend the file cannot be issued without blocking on
  // ext4, so the kernel hands them to io-wq workers, by default up to min(SQ size, 4 x CPUs) per
  // submitting thread: nearly a thread per request on a big machine. ext4 serialises those writes
  // on the inode lock anyway: appending QD32 64 KiB direct writes ran at 495-502 MB/s with the
  // default 8 workers here, 504-537 with 4, 475-529 with 2, 397-441 with 1. Best effort: the limit
  // applies to the submitting threads' io-wq, which io_uring shares per thread across rings.
  unsigned limits[2] = {kMaxIoWorkers, 0};  // bounded (regular files), unbounded unchanged
  (void)io_uring_register_iowq_max_workers(&ring_, limits);
  try {
    reaper_ = std::thread([this] { reap(); });
  } catch (const std::system_error& e) {
    io_uring_queue_exit(&ring_);
    throw Error(Errc::system, std::string("io_uring backend: cannot start the completion thread: ") + e.what());
  }
}

UringBackend::~UringBackend() {
  // Buffered writes first: the pool cancels what has not started and waits for the rest.
  writers_.reset();
  std::unique_lock lock(mu_);
  stopping_ = true;
  for (Op* op = inflight_; op; op = op->next) {
    op->cancel_requested = true;
    io_uring_sqe* sqe = get_sqe(lock);
    io_uring_prep_cancel64(sqe, reinterpret_cast<uint64_t>(op), 0);
    io_uring_sqe_set_data64(sqe, kCancelTag);
  }
  // The completion thread leaves once it has seen this NOP and every Op has ended, so nothing
  // the kernel still holds (iovecs, caller buffers) is freed early.
  io_uring_sqe* sqe = get_sqe(lock);
  io_uring_prep_nop(sqe);
  io_uring_sqe_set_data64(sqe, kExitTag);
  submit_locked(lock);
  lock.unlock();
  reaper_.join();
  io_uring_queue_exit(&ring_);
}

io_uring_sqe* UringBackend::get_sqe(std::unique_lock<std::mutex>& lock) noexcept {
  for (;;) {
    if (io_uring_sqe* sqe = io_uring_get_sqe(&ring_)) return sqe;
    // The SQ is full of prepared entries: hand them to the kernel to make room.
    submit_locked(lock);
  }
}

void UringBackend::submit_locked(std::unique_lock<std::mutex>& lock) noexcept {
  for (;;) {
    int rc = io_uring_submit(&ring_);
    // Without SUBMIT_ALL the kernel stops at an entry that fails to start (it still posts that
    // entry's CQE); entries after it would wait for the next io_uring_enter, so go again now.
    if (rc >= 0 && io_uring_sq_ready(&ring_) == 0) return;
    if (rc >= 0 || rc == -EINTR) continue;
    // EAGAIN/EBUSY: the kernel is short of memory or the CQ overflowed. Let the completion thread
    // drain (it needs the lock for that) and try again; the entries stay in the SQ meanwhile.
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::microseconds(50));
    lock.lock();
  }
}

void UringBackend::prep_chunk(Op* op, std::unique_lock<std::mutex>& lock, uint64_t max_bytes) noexcept {
  int n = op->cur.fill(op->iov.data());
  if (max_bytes != UINT64_MAX) n = truncate_iov(op->iov.data(), n, max_bytes);
  uint64_t asked = 0;
  for (int i = 0; i < n; ++i) asked += op->iov[i].iov_len;
  op->asked = asked;
  const IoRequest& r = *op->req;
  int fd = r.file->fd();
  uint64_t off = r.offset + op->done;
  io_uring_sqe* sqe = get_sqe(lock);
  // One buffer: the plain opcodes skip the kernel's iovec import.
  if (n == 1) {
    if (r.op == OpKind::write_gather)
      io_uring_prep_write(sqe, fd, op->iov[0].iov_base, static_cast<unsigned>(asked), off);
    else
      io_uring_prep_read(sqe, fd, op->iov[0].iov_base, static_cast<unsigned>(asked), off);
  } else {
    if (r.op == OpKind::write_gather)
      io_uring_prep_writev(sqe, fd, op->iov.data(), static_cast<unsigned>(n), off);
    else
      io_uring_prep_readv(sqe, fd, op->iov.data(), static_cast<unsigned>(n), off);
  }
  io_uring_sqe_set_data(sqe, op);
}

void UringBackend::link_locked(Op* op) noexcept {
  op->prev = nullptr;
  op->next = inflight_;
  if (inflight_) inflight_->prev = op;
  inflight_ = op;
  ++ops_in_ring_;
}

void UringBackend::unlink_locked(Op* op) noexcept {
  if (op->prev)
    op->prev->next = op->next;
  else
    inflight_ = op->next;
  if (op->next) op->next->prev = op->prev;
  op->prev = op->next = nullptr;
  --ops_in_ring_;
}

Op* UringBackend::take_op_locked() {
  if (free_ops_.empty()) {
    all_ops_.push_back(std::make_unique<Op>());
    free_ops_.reserve(all_ops_.size());
    free_ops_.push_back(all_ops_.back().get());
  }
  Op* op = free_ops_.back();
  free_ops_.pop_back();
  return op;
}

UringBackend::Route UringBackend::route(const IoRequest& r) const noexcept {
  if (r.op == OpKind::read_scatter || r.file->direct()) return Route::ring;
  switch (buffered_writes_) {
    case BufferedWritePath::ring: return Route::ring;
    case BufferedWritePath::worker: return Route::worker;
    case BufferedWritePath::inline_small: break;
  }
  return total_bytes(r) <= kInlineWriteMax ? Route::inline_write : Route::worker;
}

void UringBackend::submit(IoRequest* const* reqs, size_t n) {
  if (n == 0) return;
  std::vector<IoRequest*> to_workers;
  std::vector<Op*> ring_ops, inline_ops;
  ring_ops.reserve(n);
  {
    std::unique_lock lock(mu_);
    if (stopping_) fail(Errc::invalid_argument, "io_uring backend: submit during shutdown");
    // Everything that can throw happens before the first request is started.
    try {
      for (size_t i = 0; i < n; ++i) {
        Route where = route(*reqs[i]);
        if (where == Route::worker) {
          to_workers.push_back(reqs[i]);
          continue;
        }
        Op* op = take_op_locked();
        op->req = reqs[i];
        (where == Route::ring ? ring_ops : inline_ops).push_back(op);
        if (where == Route::ring) op->iov.resize(static_cast<size_t>(std::min<uint64_t>(reqs[i]->count, kIovMax)));
      }
      if (!to_workers.empty() && !writers_) writers_ = std::make_unique<PoolBackend>(kBufferedWriters);
    } catch (...) {
      for (Op* op : ring_ops) free_ops_.push_back(op);
      for (Op* op : inline_ops) free_ops_.push_back(op);
      throw;
    }
    for (Op* op : ring_ops) {
      const IoRequest& r = *op->req;
      op->cur = IovCursor{r.segs, r.count};
      op->done = 0;
      op->eof_align = r.file->alignment().offset;
      op->cancel_requested = false;
      op->inline_write = false;
      prep_chunk(op, lock);
      link_locked(op);
    }
    for (Op* op : inline_ops) {  // in flight (cancel finds them) but no SQE until they are done
      op->done = 0;
      op->cancel_requested = false;
      op->inline_write = true;
      link_locked(op);
    }
    // The whole ring batch in one io_uring_enter.
    if (!ring_ops.empty()) submit_locked(lock);
  }
  if (!inline_ops.empty()) {
    // Outside the lock: the copy may block on dirty-page throttling.
    for (Op* op : inline_ops) {
      Transfer t = run_transfer(*op->req);
      op->done = t.bytes;
      op->inline_error = t.error;
    }
    // The results travel through the ring, so complete() still runs on the completion thread.
    std::unique_lock lock(mu_);
    for (Op* op : inline_ops) {
      io_uring_sqe* sqe = get_sqe(lock);
      io_uring_prep_nop(sqe);
      io_uring_sqe_set_data(sqe, op);
    }
    submit_locked(lock);
  }
  if (!to_workers.empty()) {
    try {
      writers_->submit(to_workers.data(), to_workers.size());
    } catch (const Error&) {
      // No worker thread could start: other requests are already running, so these may not
      // fail the call; run them here instead.
      for (IoRequest* r : to_workers) run_inline(r);
    }
  }
}

bool UringBackend::cancel(IoRequest* req) noexcept {
  {
    std::unique_lock lock(mu_);
    if (stopping_) return false;
    for (Op* op = inflight_; op; op = op->next) {
      if (op->req != req) continue;
      if (op->inline_write) return true;  // already written; its result is on the way
      // The flag also stops a multi-chunk request between chunks if the kernel cancel misses.
      op->cancel_requested = true;
      io_uring_sqe* sqe = get_sqe(lock);
      io_uring_prep_cancel64(sqe, reinterpret_cast<uint64_t>(op), 0);
      io_uring_sqe_set_data64(sqe, kCancelTag);
      submit_locked(lock);
      return true;
    }
  }
  PoolBackend* writers;
  {
    std::lock_guard lock(mu_);
    writers = writers_.get();
  }
  return writers ? writers->cancel(req) : false;
}

bool UringBackend::on_cqe(Op* op, int res, Finished& out, std::unique_lock<std::mutex>& lock) noexcept {
  if (op->inline_write) {
    out = Finished{op->req, op->done, op->inline_error};
    return true;
  }
  const IoRequest& r = *op->req;
#ifdef SGIO_URING_FAULTS
  res = uring_faults::rewrite(r.op, res);
#endif
  bool write = r.op == OpKind::write_gather;
  int error = 0;
  if (res < 0) {
    if (op->cancel_requested && (res == -EINTR || res == -ECANCELED)) {
      error = ECANCELED;
    } else if ((res == -EINTR || res == -EAGAIN) && !op->cancel_requested) {
      prep_chunk(op, lock);  // the same chunk again
      return false;
    } else if (int64_t cut = res == -EINVAL && write ? fsize_cut(r.offset + op->done, op->asked, op->eof_align) : -1;
               cut >= 0) {
      if (cut > 0 && !op->cancel_requested) {
        prep_chunk(op, lock, static_cast<uint64_t>(cut));  // the aligned prefix below RLIMIT_FSIZE
        return false;
      }
      error = cut > 0 ? ECANCELED : EFBIG;
    } else {
      error = -res;
    }
  } else if (res == 0) {
    if (write) error = ENOSPC;  // no progress and no error: the device cannot take more
    // a read of 0 bytes is the end of the file
  } else {
    uint64_t got = static_cast<uint64_t>(res);
    op->done += got;
    op->cur.advance(got);
    bool eof = !write && got < op->asked && op->eof_align > 1 && (r.offset + op->done) % op->eof_align != 0;
    if (!op->cur.done() && !eof) {
      if (!op->cancel_requested) {
        prep_chunk(op, lock);  // the remainder: short transfer or next IOV_MAX / 2 GiB chunk
        return false;
      }
      error = ECANCELED;
    }
  }
  out = Finished{op->req, op->done, error};
  return true;
}

void UringBackend::reap() noexcept {
  bool exit_seen = false;
  std::vector<Finished> finished;
  std::vector<Op*> ended;
  constexpr unsigned kBatch = 64;
  io_uring_cqe* cqes[kBatch];
  struct {
    uint64_t user_data;
    int res;
  } batch[kBatch];
  finished.reserve(kBatch);
  ended.reserve(kBatch);
  for (;;) {
    io_uring_cqe* first = nullptr;
    int rc = io_uring_wait_cqe(&ring_, &first);
    if (rc < 0) {
      if (rc != -EINTR && rc != -EAGAIN) sched_yield();
      continue;
    }
    unsigned got = io_uring_peek_batch_cqe(&ring_, cqes, kBatch);
    // Copy and release the CQEs first: resubmitting may wait for ring space, which needs CQ room.
    for (unsigned i = 0; i < got; ++i) batch[i] = {io_uring_cqe_get_data64(cqes[i]), cqes[i]->res};
    io_uring_cq_advance(&ring_, got);
    std::unique_lock lock(mu_);
    bool resubmit = false;
    for (unsigned i = 0; i < got; ++i) {
      uint64_t ud = batch[i].user_data;
      int res = batch[i].res;
      if (ud == kCancelTag) continue;
      if (ud == kExitTag) {
        exit_seen = true;
        continue;
      }
      Op* op = reinterpret_cast<Op*>(static_cast<uintptr_t>(ud));
      Finished f{};
      if (on_cqe(op, res, f, lock)) {
        unlink_locked(op);
        finished.push_back(f);
        ended.push_back(op);
      } else {
        resubmit = true;
      }
    }
    if (resubmit) submit_locked(lock);
    bool quit = exit_seen && ops_in_ring_ == 0;
    lock.unlock();
    // Outside the lock: complete() may submit or cancel (the Win32 face chains work that way).
    // The request has left the in-flight list, so a new request at the same address is safe.
    for (const Finished& f : finished) f.req->complete(f.bytes, f.error);
    finished.clear();
    if (!ended.empty()) {
      lock.lock();
      for (Op* op : ended) {
        op->req = nullptr;
        free_ops_.push_back(op);
      }
      lock.unlock();
      ended.clear();
    }
    if (quit) return;
  }
}

}  // namespace

std::unique_ptr<Backend> make_uring_backend(unsigned depth, BufferedWritePath buffered_writes) {
  return std::make_unique<UringBackend>(depth, buffered_writes);
}

}  // namespace sgio
