// SPDX-License-Identifier: Apache-2.0
// The io_uring backend: one ring per backend, shared by every submitting thread. No thread per
// request: the kernel does the I/O and the thread that waits for a result reaps the ring
// (Backend::wait, leader/follower). The backend's own reaper thread sleeps on an eventfd that the
// ring signals only while no waiter leads (io_uring_cq_eventfd_toggle), so completions nobody
// waits for (an event, a port, an eventfd poller) still arrive, and a QD1 caller sleeping in
// GetOverlappedResult or sgio_queue_wait is woken by the kernel itself with its result.
//
// Setup flags, probed at run time: IORING_FEAT_NODROP is required (a lost CQE would lose a
// request). IORING_SETUP_SINGLE_ISSUER and DEFER_TASKRUN do not fit: any application thread may
// submit (sgio_queue_submit is thread-safe, every Win32 caller submits on its own thread), and
// DEFER_TASKRUN would run completions only when the submitting task enters the kernel. Timed
// leading needs IORING_FEAT_EXT_ARG (io_uring_wait_cqe_timeout without a timeout SQE); without it
// only the reaper thread reaps.
//
// Every request runs as a series of chunks (IovCursor: at most IOV_MAX iovecs and 0x7ffff000
// bytes each); a short or chunk-limited completion resubmits the remainder, so callers get the
// write-all / read-until-EOF contract of the sync engine. At most ring_cap_ requests are in the
// ring (a CQE each, plus at most one cancel CQE each: half the CQ); more wait in a backlog, so
// the CQ cannot overflow whatever the owner's depth.
//
// Two routes skip the ring on purpose: a serial caller's lone request (async/serial_path.hpp) and
// buffered writes. Requests bound to a completion port (IoRequest::result_awaited) may wait, while
// 8 or more others are in the kernel, to go in with the next wait's or reap's io_uring_enter:
// QD32 WriteFileGather + GetQueuedCompletionStatus made 1.17 io_uring_enter per request before,
// 0.10 after (perf stat, bench/README.md).
//
// Buffered writes do not go through the ring. ext4 cannot do a buffered write without blocking
// (pwritev2(RWF_NOWAIT) fails with EOPNOTSUPP on this kernel), so io_uring punts every one to an
// io-wq worker, and io-wq serialises writes to one regular file on a single worker. Measured with
// bench/async/sgio_bench_buffered_path (random 16x4 KiB gathers into a page-cached file, 2 cores;
// README.md has the tables): buffered writes up to 1 MiB run on the submitting thread and complete
// before submit returns (no thread hop, no extra io_uring_enter); larger ones go to a small worker
// set so that submit stays short. Direct I/O and all reads stay on the ring (ext4 serves them with
// IOCB_NOWAIT, no worker threads, except allocating direct writes, see kMaxIoWorkers).
#include "async/uring_backend.hpp"

#include <liburing.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>
#include <thread>

#include "async/workers.hpp"
#include "core/error.hpp"
#ifdef SGIO_URING_FAULTS
#include "async/uring_faults.hpp"  // test builds only (sgio_engine_faults)
#endif

namespace sgio {

namespace {

// user_data of SQEs that are not requests. IoRequest addresses are 8-aligned, so odd values
// never clash.
constexpr uint64_t kCancelTag = 1;
constexpr uint64_t kWakeTag = 3;

// io-wq workers per submitting thread for requests the kernel cannot issue without blocking.
constexpr unsigned kMaxIoWorkers = 4;
// Threads that large buffered writes may use.
constexpr unsigned kBufferedWriters = 4;
// Buffered writes up to this size run on the submitting thread: a copy into the page cache that
// takes well under a millisecond. Larger ones go to the worker set so submit stays short.
constexpr uint64_t kInlineWriteMax = 1 << 20;
// An unexpected error from the kernel wait (none is known): back off instead of spinning.
constexpr auto kWaitErrorBackoff = std::chrono::milliseconds(1);
// Deferred submission (IoRequest::result_awaited): only while at least this many requests are
// in the ring, so a completion, whose reap hands the deferred entries to the kernel, comes soon
// whatever the application does; and at most this many entries wait so.
constexpr unsigned kDeferMinInRing = 8;
constexpr unsigned kDeferMax = 32;

// IoState::where
enum : uint8_t { kIdle = 0, kRing = 10, kBacklog = 11, kInline = 12, kCancelledBacklog = 13, kWorker = 14 };

uint64_t total_bytes_upto(const IoRequest& r, uint64_t limit) noexcept {
  uint64_t t = 0;
  for (uint64_t i = 0; i < r.count && t <= limit; ++i) t += r.segs[i].length;
  return t;
}

// CQEs posted and not yet consumed, read with atomic loads. A leader looks without mu_ while the
// reaper thread (woken by an eventfd signal sent before the leader switched it off) may be
// advancing the head under mu_; liburing's io_uring_cq_ready and the peek inside
// io_uring_wait_cqe read the head with a plain load, a data race (TSan, alloc.uring).
unsigned cq_ready_atomic(const io_uring& ring) noexcept {
  const unsigned tail = __atomic_load_n(ring.cq.ktail, __ATOMIC_ACQUIRE);
  return tail - __atomic_load_n(ring.cq.khead, __ATOMIC_ACQUIRE);
}

// Hands the kernel `to_submit` published SQEs and, if `wait`, sleeps until the CQ holds at least
// one CQE or `deadline` passes, without touching the CQ from user space (the CQEs are consumed
// under mu_ by reap_locked). 0, -ETIME or -errno.
int enter_and_wait(io_uring& ring, unsigned to_submit, bool wait, Clock::time_point deadline) noexcept {
  const unsigned min_complete = wait ? 1 : 0;
  const unsigned flags = wait ? IORING_ENTER_GETEVENTS : 0;
  if (!wait || deadline == kForever)
    return std::min(0, io_uring_enter2(ring.ring_fd, to_submit, min_complete, flags, nullptr, _NSIG / 8));
  auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now()).count();
  if (left <= 0) return to_submit ? enter_and_wait(ring, to_submit, false, deadline) : -ETIME;
  __kernel_timespec ts{left / 1000000000, left % 1000000000};
  io_uring_getevents_arg arg{};
  arg.sigmask_sz = _NSIG / 8;
  arg.ts = reinterpret_cast<uint64_t>(&ts);
  return std::min(0, io_uring_enter2(ring.ring_fd, to_submit, min_complete, flags | IORING_ENTER_EXT_ARG,
                                     reinterpret_cast<sigset_t*>(&arg), sizeof arg));
}

// Makes the SQEs prepared so far visible to the kernel (what io_uring_submit does before its
// io_uring_enter; liburing has no call for the publication alone) and returns how many the kernel
// has not consumed yet. Under mu_, like every SQ change.
unsigned publish_sq(io_uring& ring) noexcept {
  io_uring_sq& sq = ring.sq;
  if (sq.sqe_head != sq.sqe_tail) {
    sq.sqe_head = sq.sqe_tail;
    __atomic_store_n(sq.ktail, sq.sqe_tail, __ATOMIC_RELEASE);
  }
  return sq.sqe_tail - __atomic_load_n(sq.khead, __ATOMIC_ACQUIRE);
}

int wait_result(int rc) noexcept {
#ifdef SGIO_URING_FAULTS
  return uring_faults::rewrite_wait(rc);
#else
  return rc;
#endif
}

class UringBackend final : public Backend {
 public:
  UringBackend(unsigned depth, BufferedWritePath buffered_writes);
  ~UringBackend() override;

  BackendKind kind() const noexcept override { return BackendKind::uring; }
  void wake_leader() noexcept override;
  UringLimits limits() {
    std::lock_guard lock(mu_);
    return UringLimits{ring_cap_, cq_entries_, peak_in_ring_};
  }

 private:
  void start_locked(std::unique_lock<std::mutex>& lock, IoRequest* const* reqs, size_t n) override;
  bool cancel_locked(IoRequest* req) noexcept override;
  bool try_lead() noexcept override;
  void lead(Clock::time_point deadline) noexcept override;

  enum class Route { ring, inline_write, worker };
  Route route(const IoRequest& r) const noexcept;
  io_uring_sqe* get_sqe(std::unique_lock<std::mutex>& lock) noexcept;
  void submit_sq_locked(std::unique_lock<std::mutex>& lock) noexcept;
  // `max_bytes`: shortens the chunk (a direct write cut at RLIMIT_FSIZE, see fsize_cut).
  void prep_chunk(IoRequest* r, std::unique_lock<std::mutex>& lock, uint64_t max_bytes = UINT64_MAX) noexcept;
  void start_ring_locked(IoRequest* r, std::unique_lock<std::mutex>& lock) noexcept;
  // Runs every CQE there is; `lock` holds mu_ and the caller leads.
  void reap_locked(std::unique_lock<std::mutex>& lock) noexcept;
  // Handles one CQE of `r`; returns true when the request has ended (bytes/error filled).
  bool on_cqe(IoRequest* r, int res, uint64_t& bytes, int& error, std::unique_lock<std::mutex>& lock) noexcept;
  void release_lead() noexcept;
  // A request ended off the ring (inline or on a worker): a leader sleeping in the kernel would
  // not see it, so wake it to re-check its condition.
  void wake_locked(std::unique_lock<std::mutex>& lock) noexcept;
  void reaper() noexcept;
  static void finish_worker(void* self, IoRequest* req, uint64_t bytes, int error) noexcept;

  const BufferedWritePath buffered_writes_;
  io_uring ring_{};
  int efd_ = -1;
  bool timed_lead_ = false;
  unsigned ring_cap_ = 0;
  unsigned cq_entries_ = 0;
  unsigned in_ring_ = 0;  // requests with an SQE or CQE outstanding
  unsigned peak_in_ring_ = 0;
  WaitingList backlog_;  // requests beyond ring_cap_, started as slots free
  IoRequest* cancelled_ = nullptr;  // backlogged requests cancelled, to complete at the next reap
  bool wake_pending_ = false;       // a wake NOP is in the ring
  std::atomic<unsigned> deferred_{0};  // SQEs prepared and not yet handed to the kernel (written under mu_)
  std::atomic<bool> leading_{false};
  std::atomic<bool> stopping_{false};
  WorkerSet writers_;
  std::thread reaper_;
};

UringBackend::UringBackend(unsigned depth, BufferedWritePath buffered_writes)
    : Backend(std::max(64u, std::min(depth, 65536u))),
      buffered_writes_(buffered_writes),
      writers_(mu_, kBufferedWriters, &UringBackend::finish_worker, this) {
  const unsigned entries = std::clamp(depth, 8u, 4096u);
  io_uring_params p{};
  // CQ: a CQE per request in the ring, a cancel CQE per request, one wake NOP: 4x the SQ covers it.
  p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL;
  p.cq_entries = entries * 4;
  int rc = io_uring_queue_init_params(entries, &ring_, &p);
  if (rc == -EINVAL) {
    // Before 5.18 there is no SUBMIT_ALL; submit_sq_locked() then resubmits what the kernel left.
    p = io_uring_params{};
    p.flags = IORING_SETUP_CQSIZE;
    p.cq_entries = entries * 4;
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
  timed_lead_ = (p.features & IORING_FEAT_EXT_ARG) != 0;
  cq_entries_ = p.cq_entries;
  ring_cap_ = std::min(p.sq_entries, (cq_entries_ - 2) / 2);
  efd_ = eventfd(0, EFD_CLOEXEC);
  if (efd_ < 0) {
    int e = errno;
    io_uring_queue_exit(&ring_);
    if (e == EMFILE || e == ENFILE) throw Error(Errc::too_many_handles, "io_uring backend: eventfd: too many open files", e);
    throw_errno(e, "io_uring backend: eventfd");
  }
  rc = io_uring_register_eventfd(&ring_, efd_);
  if (rc < 0) {
    ::close(efd_);
    io_uring_queue_exit(&ring_);
    throw Error(Errc::not_supported, std::string("io_uring: cannot register an eventfd (") + std::strerror(-rc) + ")", -rc);
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
    reaper_ = std::thread([this] { reaper(); });
  } catch (const std::system_error& e) {
    ::close(efd_);
    io_uring_queue_exit(&ring_);
    throw Error(Errc::system, std::string("io_uring backend: cannot start the reaper thread: ") + e.what());
  }
}

UringBackend::~UringBackend() {
  // Every request ends first (cancelled, and reaped by this thread or the reaper), so nothing the
  // kernel still holds (iovecs, caller buffers) is freed early.
  drain();
  writers_.stop();
  stopping_.store(true);
  uint64_t one = 1;
  while (::write(efd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
  reaper_.join();
  io_uring_unregister_eventfd(&ring_);
  ::close(efd_);
  io_uring_queue_exit(&ring_);
}

void UringBackend::finish_worker(void* self, IoRequest* req, uint64_t bytes, int error) noexcept {
  auto* b = static_cast<UringBackend*>(self);
  if (!b->finish_locked(req, bytes, error)) return;
  std::unique_lock<std::mutex> lock(b->mu_, std::adopt_lock);  // held by the worker
  b->wake_locked(lock);
  lock.release();
}

io_uring_sqe* UringBackend::get_sqe(std::unique_lock<std::mutex>& lock) noexcept {
  for (;;) {
    if (io_uring_sqe* sqe = io_uring_get_sqe(&ring_)) return sqe;
    // The SQ is full of prepared entries: hand them to the kernel to make room.
    submit_sq_locked(lock);
  }
}

void UringBackend::submit_sq_locked(std::unique_lock<std::mutex>& lock) noexcept {
  deferred_.store(0, std::memory_order_relaxed);  // everything in the SQ goes now
  for (;;) {
#ifdef SGIO_URING_FAULTS
    uring_faults::count_enter();
#endif
    int rc = io_uring_submit(&ring_);
    // Without SUBMIT_ALL the kernel stops at an entry that fails to start (it still posts that
    // entry's CQE); entries after it would wait for the next io_uring_enter, so go again now.
    if (rc >= 0 && io_uring_sq_ready(&ring_) == 0) return;
    if (rc >= 0 || rc == -EINTR) continue;
    // EAGAIN: the kernel is short of memory. The entries stay in the SQ; let reapers run.
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::microseconds(50));
    lock.lock();
  }
}

void UringBackend::prep_chunk(IoRequest* r, std::unique_lock<std::mutex>& lock, uint64_t max_bytes) noexcept {
  IoState& s = r->io;
  int n = s.cur.fill(s.iov.data());
  if (max_bytes != UINT64_MAX) n = truncate_iov(s.iov.data(), n, max_bytes);
  uint64_t asked = 0;
  for (int i = 0; i < n; ++i) asked += s.iov[i].iov_len;
  s.asked = asked;
  const int fd = r->file->fd();
  const uint64_t off = r->offset + s.done;
  io_uring_sqe* sqe = get_sqe(lock);
  // One buffer: the plain opcodes skip the kernel's iovec import.
  if (n == 1) {
    if (r->op == OpKind::write_gather)
      io_uring_prep_write(sqe, fd, s.iov[0].iov_base, static_cast<unsigned>(asked), off);
    else
      io_uring_prep_read(sqe, fd, s.iov[0].iov_base, static_cast<unsigned>(asked), off);
  } else {
    if (r->op == OpKind::write_gather)
      io_uring_prep_writev(sqe, fd, s.iov.data(), static_cast<unsigned>(n), off);
    else
      io_uring_prep_readv(sqe, fd, s.iov.data(), static_cast<unsigned>(n), off);
  }
  io_uring_sqe_set_data(sqe, r);
}

void UringBackend::start_ring_locked(IoRequest* r, std::unique_lock<std::mutex>& lock) noexcept {
  r->io.cur = IovCursor{r->segs, r->count};
  r->io.where = kRing;
  ++in_ring_;
  peak_in_ring_ = std::max(peak_in_ring_, in_ring_);
  prep_chunk(r, lock);
}

UringBackend::Route UringBackend::route(const IoRequest& r) const noexcept {
  if (r.op == OpKind::read_scatter || r.file->direct()) return Route::ring;
  switch (buffered_writes_) {
    case BufferedWritePath::ring: return Route::ring;
    case BufferedWritePath::worker: return Route::worker;
    case BufferedWritePath::inline_small: break;
  }
  return total_bytes_upto(r, kInlineWriteMax) <= kInlineWriteMax ? Route::inline_write : Route::worker;
}

void UringBackend::start_locked(std::unique_lock<std::mutex>& lock, IoRequest* const* reqs, size_t n) {
  if (stopping_.load(std::memory_order_relaxed)) fail(Errc::invalid_argument, "io_uring backend: submit during shutdown");
  // 1. Everything that can throw, before the first request starts: iovec room (kept by the
  //    record, so only a cold record allocates).
  for (size_t i = 0; i < n; ++i) {
    IoRequest* r = reqs[i];
    Route where = route(*r);
    r->io.where = where == Route::ring ? kRing : where == Route::worker ? kWorker : kInline;
    if (where == Route::ring) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(std::max<uint64_t>(r->count, 1), kIovMax));
      if (r->io.iov.size() < want) r->io.iov.resize(want);
    }
  }
  // 2. Large buffered writes to the workers; if no worker can start, they run here instead.
  for (size_t i = 0; i < n; ++i) {
    if (reqs[i]->io.where != kWorker) continue;
    try {
      writers_.push_locked(&reqs[i], 1);
    } catch (const Error&) {
      reqs[i]->io.where = kInline;
    }
  }
  // 3. A serial caller's lone request runs here, as a plain pwritev/preadv (async/serial_path.hpp);
  //    every other submission breaks that pattern.
  //    Alone means nothing else in the table: every request in the ring or the backlog is in it.
  IoRequest* lone = nullptr;
  if (n == 1 && in_flight_count_locked() == 1) {
    if (reqs[0]->io.where == kRing) {
      if (serial_.start_alone_locked(reqs[0]->key))
        reqs[0]->io.where = kInline;
      else
        lone = reqs[0];
    }
  } else {
    serial_.started_crowded_locked();
  }
  // 4. The ring part, in one io_uring_enter. The inline requests are chained (io.qnext) while the
  //    lock is held: once it is released, this batch's ring requests may complete and be reused.
  //    Requests whose result a thread will come for (a completion port) may wait for that
  //    thread's io_uring_enter, or the next reap's, while enough others are in the ring: a
  //    WriteFileGather per GetQueuedCompletionStatus then costs no io_uring_enter of its own.
  const unsigned deferred = deferred_.load(std::memory_order_relaxed);
  bool must_enter = in_ring_ < deferred + kDeferMinInRing;  // fewer than kDeferMinInRing in the kernel
  unsigned started = 0;
  IoRequest* inline_head = nullptr;
  IoRequest** inline_tail = &inline_head;
  for (size_t i = 0; i < n; ++i) {
    IoRequest* r = reqs[i];
    if (r->io.where == kInline) {
      r->io.qnext = nullptr;
      *inline_tail = r;
      inline_tail = &r->io.qnext;
    } else if (r->io.where == kRing) {
      if (in_ring_ < ring_cap_) {
        start_ring_locked(r, lock);
        ++started;
        must_enter |= !r->result_awaited;
      } else {
        r->io.where = kBacklog;
        backlog_.push_back(r);
      }
    }
  }
  if (started > 0) {
    const unsigned waiting = deferred + started;
    if (must_enter || waiting > kDeferMax)
      submit_sq_locked(lock);
    else
      deferred_.store(waiting, std::memory_order_relaxed);
  }
  // After the submission: the promptness of the wait is measured from when the caller got back.
  if (lone) serial_.started_on_ring_locked(lone);
  if (!inline_head) return;
  // 5. Inline requests on this thread, without the lock (the copy may block on dirty-page
  //    throttling); they are in the table meanwhile, so a cancel finds them (and lets them finish).
  //    Nothing else touches a request marked kInline.
  lock.unlock();
  for (IoRequest* r = inline_head; r; r = r->io.qnext) {
    Transfer t = run_transfer(*r);
    r->io.done = t.bytes;
    r->io.inline_error = t.error;
  }
  lock.lock();
  bool wake = false;
  for (IoRequest* r = inline_head; r;) {
    IoRequest* next = r->io.qnext;
    r->io.qnext = nullptr;
    r->io.where = kIdle;
    wake |= finish_locked(r, r->io.done, r->io.inline_error);
    r = next;
  }
  if (wake) wake_locked(lock);
}

bool UringBackend::cancel_locked(IoRequest* r) noexcept {
  switch (r->io.where) {
    case kRing: {
      // The flag also stops a multi-chunk request between chunks if the kernel cancel misses.
      if (r->io.cancel_requested) return true;
      r->io.cancel_requested = true;
      std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
      io_uring_sqe* sqe = get_sqe(lock);
      io_uring_prep_cancel64(sqe, reinterpret_cast<uint64_t>(r), 0);
      io_uring_sqe_set_data64(sqe, kCancelTag);
      submit_sq_locked(lock);
      lock.release();
      return true;
    }
    case kBacklog: {
      // Never started: completes with ECANCELED at the next reap, which a wake NOP brings soon.
      backlog_.unlink(r);
      r->io.where = kCancelledBacklog;
      r->io.qnext = cancelled_;
      cancelled_ = r;
      if (!wake_pending_) {
        wake_pending_ = true;
        std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
        io_uring_sqe* sqe = get_sqe(lock);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, kWakeTag);
        submit_sq_locked(lock);
        lock.release();
      }
      return true;
    }
    case kInline:
    case kCancelledBacklog:
      return true;  // already running to its end on the submitting thread / already cancelled
    default:
      return writers_.cancel_locked(r);  // a large buffered write on the worker set, or not ours
  }
}

void UringBackend::wake_leader() noexcept {
  if (!leading_.load(std::memory_order_acquire)) return;
  std::unique_lock lock(mu_);
  wake_locked(lock);
}

void UringBackend::wake_locked(std::unique_lock<std::mutex>& lock) noexcept {
  // A NOP's CQE ends the leader's kernel wait; one in the ring at a time is enough.
  if (!leading_.load(std::memory_order_acquire) || wake_pending_) return;
  wake_pending_ = true;
  io_uring_sqe* sqe = get_sqe(lock);
  io_uring_prep_nop(sqe);
  io_uring_sqe_set_data64(sqe, kWakeTag);
  submit_sq_locked(lock);
}

bool UringBackend::try_lead() noexcept {
  if (!timed_lead_) return false;
  bool expected = false;
  return leading_.compare_exchange_strong(expected, true, std::memory_order_acq_rel);
}

void UringBackend::release_lead() noexcept {
  // Re-arm the eventfd before giving up the lead, then look once more: a CQE posted while it was
  // off signalled nobody, so hand it to the reaper thread.
  io_uring_cq_eventfd_toggle(&ring_, true);
  leading_.store(false, std::memory_order_release);
  if (cq_ready_atomic(ring_) > 0) {
    uint64_t one = 1;
    while (::write(efd_, &one, sizeof one) < 0 && errno == EINTR) {
    }
  }
}

void UringBackend::lead(Clock::time_point deadline) noexcept {
  // This thread reaps now: the reaper thread need not be woken for what it will see.
  io_uring_cq_eventfd_toggle(&ring_, false);
  serial_.lead_began();
  // Deferred SQEs go to the kernel with this thread's wait, in the same io_uring_enter.
  unsigned to_submit = 0;
  if (deferred_.load(std::memory_order_relaxed) != 0) {
    std::lock_guard lock(mu_);
    deferred_.store(0, std::memory_order_relaxed);
    to_submit = publish_sq(ring_);
  }
  const bool wait = cq_ready_atomic(ring_) == 0;
  if (wait || to_submit) {
#ifdef SGIO_URING_FAULTS
    if (to_submit) uring_faults::count_enter();
#endif
    int rc = wait_result(enter_and_wait(ring_, to_submit, wait, deadline));
    if (rc < 0 && to_submit) {
      // The entries stay published in the SQ; the reap below (or the next submit) resubmits them.
      std::lock_guard lock(mu_);
      deferred_.fetch_add(to_submit, std::memory_order_relaxed);
    }
    if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
      // Not expected from a valid ring; give the CPU back rather than spin, and let the caller
      // re-check its condition.
      release_lead();
      std::this_thread::sleep_for(kWaitErrorBackoff);
      return;
    }
  }
  {
    std::unique_lock lock(mu_);
    reap_locked(lock);
  }
  release_lead();
}

void UringBackend::reaper() noexcept {
  for (;;) {
    uint64_t v;
    ssize_t got = ::read(efd_, &v, sizeof v);
    if (got < 0 && errno != EINTR) {
      std::this_thread::sleep_for(kWaitErrorBackoff);  // not expected; never spin
      continue;
    }
    if (stopping_.load(std::memory_order_acquire)) return;
    bool expected = false;
    if (!leading_.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) continue;  // a waiter reaps
    {
      std::unique_lock lock(mu_);
      reap_locked(lock);
    }
    leading_.store(false, std::memory_order_release);
    // The eventfd stayed armed, so a CQE posted meanwhile has signalled it again.
  }
}

bool UringBackend::on_cqe(IoRequest* r, int res, uint64_t& bytes, int& error, std::unique_lock<std::mutex>& lock) noexcept {
  IoState& s = r->io;
#ifdef SGIO_URING_FAULTS
  res = uring_faults::rewrite(r->op, res);
#endif
  const bool write = r->op == OpKind::write_gather;
  const uint32_t eof_align = r->file->alignment().offset;
  error = 0;
  if (res < 0) {
    if (s.cancel_requested && (res == -EINTR || res == -ECANCELED)) {
      error = ECANCELED;
    } else if ((res == -EINTR || res == -EAGAIN) && !s.cancel_requested) {
      prep_chunk(r, lock);  // the same chunk again
      return false;
    } else if (int64_t cut = res == -EINVAL && write ? fsize_cut(r->offset + s.done, s.asked, eof_align) : -1;
               cut >= 0) {
      if (cut > 0 && !s.cancel_requested) {
        prep_chunk(r, lock, static_cast<uint64_t>(cut));  // the aligned prefix below RLIMIT_FSIZE
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
    s.done += got;
    s.cur.advance(got);
    bool eof = !write && got < s.asked && eof_align > 1 && (r->offset + s.done) % eof_align != 0;
    if (!s.cur.done() && !eof) {
      if (!s.cancel_requested) {
        prep_chunk(r, lock);  // the remainder: short transfer or next IOV_MAX / 2 GiB chunk
        return false;
      }
      error = ECANCELED;
    }
  }
  bytes = s.done;
  return true;
}

void UringBackend::reap_locked(std::unique_lock<std::mutex>& lock) noexcept {
  constexpr unsigned kBatch = 64;
  io_uring_cqe* cqes[kBatch];
  for (;;) {
    bool resubmit = false;
    while (IoRequest* r = cancelled_) {
      cancelled_ = r->io.qnext;
      r->io.qnext = nullptr;
      r->io.where = kIdle;
      finish_locked(r, 0, ECANCELED);
    }
    unsigned got = io_uring_peek_batch_cqe(&ring_, cqes, kBatch);
    if (got == 0) break;
    for (unsigned i = 0; i < got; ++i) {
      const uint64_t ud = io_uring_cqe_get_data64(cqes[i]);
      const int res = cqes[i]->res;
      if (ud == kCancelTag) continue;
      if (ud == kWakeTag) {
        wake_pending_ = false;
        continue;
      }
      IoRequest* r = reinterpret_cast<IoRequest*>(static_cast<uintptr_t>(ud));
      uint64_t bytes = 0;
      int error = 0;
      if (!on_cqe(r, res, bytes, error, lock)) {
        resubmit = true;
        continue;
      }
      r->io.where = kIdle;
      --in_ring_;
      serial_.ended_on_ring_locked(r);
      finish_locked(r, bytes, error);  // the record may be reused from here on
      // A slot is free: the oldest backlogged request takes it.
      if (IoRequest* next = backlog_.pop_front()) {
        start_ring_locked(next, lock);
        resubmit = true;
      }
    }
    // Resubmitting needs SQ room only; the CQEs are released first all the same.
    io_uring_cq_advance(&ring_, got);
    if (resubmit) submit_sq_locked(lock);
  }
  // Deferred entries go now at the latest: a reap is the last point they wait for.
  if (deferred_.load(std::memory_order_relaxed) != 0) submit_sq_locked(lock);
}

}  // namespace

std::unique_ptr<Backend> make_uring_backend(unsigned depth, BufferedWritePath buffered_writes) {
  return std::make_unique<UringBackend>(depth, buffered_writes);
}

UringLimits uring_limits(Backend& b) { return static_cast<UringBackend&>(b).limits(); }

}  // namespace sgio
