// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_queue.h - asynchronous gather write / scatter read (the native face).
 *
 * A queue accepts batches of requests and hands back completions tagged with the caller's
 * user_data. On the io_uring backend, the reads and direct writes of one sgio_queue_submit call go
 * to the kernel with one io_uring_enter per 64 requests; buffered writes (measured faster that
 * way, bench/async/README.md) are written by the calling thread inside the call and need none;
 * a thread blocked in sgio_queue_wait reaps the ring itself. A caller that keeps one request in
 * flight and waits for each at once (eight in a row, the wait beginning within 20 us of the
 * submit) has its next request run inside sgio_queue_submit as a plain pwritev/preadv (faster
 * than the ring for O_DIRECT writes on ext4, bench/README.md); a second request in flight, or a
 * later wait, puts it back on the ring. Completions arrive in any order. A queue is thread-safe:
 * any thread may submit, wait or cancel.
 *
 * Memory contract (as for Win32 OVERLAPPED I/O): the segment array and every buffer must stay valid
 * until the request's completion has been returned by sgio_queue_wait(). The sgio_request array
 * itself may be reused as soon as sgio_queue_submit() returns.
 */
#ifndef SGIO_QUEUE_H
#define SGIO_QUEUE_H

#include "sgio/sgio_common.h"
#include "sgio/sgio_file.h"

/** Opaque queue handle (a handle-table entry like sgio_file). */
typedef struct sgio_queue sgio_queue;

/* Backends. AUTO picks io_uring when the kernel allows it, else POOL. The environment variable
 * SGIO_BACKEND=uring|pool|sync overrides AUTO (tests use it to run every case per backend). */
#define SGIO_BACKEND_AUTO  0u
#define SGIO_BACKEND_URING 1u /**< io_uring: the kernel completes requests; no thread per request */
#define SGIO_BACKEND_POOL  2u /**< worker threads running the synchronous engine */
#define SGIO_BACKEND_SYNC  3u /**< runs each request inside sgio_queue_submit (debugging, tests) */
/* On Windows (sgio.dll) the queue runs on an I/O completion port: the kernel completes requests
 * and no thread of sgio's is involved, as with io_uring, so AUTO and URING select it and
 * sgio_queue_backend() reports SGIO_BACKEND_URING; POOL and SYNC get SGIO_ENOTSUP there. */

/* sgio_request.op */
#define SGIO_OP_WRITE_GATHER 1u
#define SGIO_OP_READ_SCATTER 2u

#define SGIO_QUEUE_OPTIONS_VERSION 1u

/** Options for sgio_queue_create(). Fields are only ever appended; set version first. */
typedef struct sgio_queue_options {
  uint32_t version; /**< SGIO_QUEUE_OPTIONS_VERSION */
  uint32_t depth;   /**< requests in flight at most; 0 means 256. Submissions past it get SGIO_EBUSY. */
  uint32_t backend; /**< SGIO_BACKEND_* */
  uint32_t reserved;/**< must be 0 */
} sgio_queue_options;

/** One request. 48 bytes on every 64-bit OS. */
typedef struct sgio_request {
  sgio_file* file;              /**< open file handle */
  uint64_t segments;            /**< address of the sgio_segment array (kept valid until completion) */
  uint32_t count;               /**< segments in the array, >= 1 */
  uint32_t op;                  /**< SGIO_OP_* */
  uint64_t offset;              /**< file offset of the first byte */
  uint64_t user_data;           /**< returned unchanged in the completion */
  uint64_t reserved;            /**< must be 0 */
} sgio_request;

/** One completion. 24 bytes on every OS. */
typedef struct sgio_completion {
  uint64_t user_data; /**< from the request */
  uint64_t bytes;     /**< bytes transferred; on failure the prefix known to be transferred */
  int32_t status;     /**< 0 or a negative SGIO_E* (SGIO_ECANCELED after sgio_queue_cancel) */
  uint32_t reserved;
} sgio_completion;

SGIO_BEGIN_DECL

/**
 * @brief Fill @p opts with defaults (depth 256, AUTO backend) for the given struct version.
 * @param[out] opts  the options to initialise.
 * @param version    SGIO_QUEUE_OPTIONS_VERSION of the headers you compile with.
 * @return 0, or SGIO_EINVAL for NULL or an unknown version.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_queue_options_init(sgio_queue_options* opts, uint32_t version) SGIO_NOEXCEPT;

/**
 * @brief Create a queue.
 *
 * A queue keeps its backend (an io_uring ring and its completion thread, or worker threads) until
 * sgio_queue_free(): create one for many requests, not one per request.
 * @param[out] out  receives the queue handle (NULL on failure). Must not be NULL.
 * @param opts      NULL means defaults (see sgio_queue_options_init()).
 * @return 0; SGIO_EINVAL; SGIO_ENOTSUP when a forced backend is unavailable (io_uring refused by
 *         the kernel, seccomp or io_uring_disabled); SGIO_EMFILE when the process is out of
 *         descriptors (the queue's eventfd, or the io_uring ring: never reported as SGIO_ENOTSUP
 *         and never a silent fall-back to the pool); SGIO_ENOMEM.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_queue_create(sgio_queue** out, const sgio_queue_options* opts) SGIO_NOEXCEPT;

/**
 * @brief Cancel what is in flight, wait until the kernel has let go of every buffer, and free the
 *        queue. Completions not yet waited for are dropped. A thread blocked in sgio_queue_wait()
 *        on this queue (even with no timeout) returns SGIO_EBADHANDLE: the way to stop a thread
 *        that waits forever (the .NET and Java bindings stop their completion threads so).
 * @param q  the queue, or NULL (no-op, returns 0).
 * @return 0, or SGIO_EBADHANDLE (not an open queue handle).
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_queue_free(sgio_queue* q) SGIO_NOEXCEPT;

/**
 * @brief The backend actually in use: AUTO resolves to SGIO_BACKEND_URING or SGIO_BACKEND_POOL.
 * @param[out] out_backend  receives SGIO_BACKEND_URING, SGIO_BACKEND_POOL or SGIO_BACKEND_SYNC.
 * @return 0; SGIO_EBADHANDLE, SGIO_EINVAL (out_backend NULL).
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_queue_backend(sgio_queue* q, uint32_t* out_backend) SGIO_NOEXCEPT;

/**
 * @brief Submit @p count requests at once.
 *
 * Each request is validated first (handle, segments, alignment on direct files, access mode);
 * submission stops at the first invalid one. On the io_uring backend, accepted reads and direct
 * writes go to the kernel in one system call per 64 requests; buffered writes up to 1 MiB are
 * written by the calling thread before the call returns (their completions are ready at once).
 * @param[out] out_submitted  requests accepted (a prefix of @p reqs); may be NULL.
 * The request array and each request's segment array are probed by the kernel before sgio reads
 * them, so unreadable memory there is SGIO_EFAULT for that request, never a crash. A buffer the kernel cannot read or fill completes with SGIO_EFAULT. A direct write that
 * crosses RLIMIT_FSIZE at an unaligned size writes the aligned prefix and completes with
 * SGIO_EOVERFLOW and that byte count.
 * @return 0 when all were accepted; otherwise the error of request[*out_submitted] (requests
 *         before it are in flight and will complete): SGIO_EBUSY when the queue is full,
 *         SGIO_EFAULT for an unreadable request or segment array, SGIO_EINVAL, SGIO_EALIGN,
 *         SGIO_EBADHANDLE, SGIO_EACCES, SGIO_EOVERFLOW as for sgio_file_write_gather().
 *         Completion statuses: as for sgio_file_write_gather()/read_scatter(), plus SGIO_ECANCELED;
 *         SGIO_EAGAIN when the kernel reports a transient shortage.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_queue_submit(sgio_queue* q, const sgio_request* reqs, uint32_t count,
                                             uint32_t* out_submitted) SGIO_NOEXCEPT;

/**
 * @brief Submit like sgio_queue_submit(), then return, without waiting, the completions that are
 *        ready: first those of this call's own requests that ended inside the call, then ones
 *        already waiting in the queue.
 *
 * Which requests end inside the call: on the io_uring backend, buffered writes up to 1 MiB (the
 * calling thread writes them) and any request another thread happened to reap meanwhile; on
 * SGIO_BACKEND_SYNC, every request; on Windows, none (only what the completion port already
 * holds is returned). A completion returned here is never returned by sgio_queue_wait(), and an
 * own request returned here does not wake a thread blocked in sgio_queue_wait(): this is the call
 * for a binding or event loop that completes its requests on the submitting thread when it can
 * and keeps a waiting thread for the rest (it saves that thread a wake-up per buffered write).
 * Own completions that do not fit in @p max_count go to the queue as with sgio_queue_submit().
 * @param q                the queue.
 * @param reqs             as for sgio_queue_submit().
 * @param count            as for sgio_queue_submit().
 * @param[out] out_submitted  requests accepted (a prefix of @p reqs); may be NULL.
 * @param[out] out         receives up to @p max_count completions; may be NULL only when
 *                         @p max_count is 0.
 * @param max_count        room in @p out.
 * @param[out] out_count   completions written to @p out, set whatever the status (requests before
 *                         a refused one may have completed). Must not be NULL.
 * @return as for sgio_queue_submit(); SGIO_EINVAL also for a NULL @p out_count, or a NULL @p out
 *         with @p max_count > 0 (then nothing is submitted).
 * @since 1.2
 */
SGIO_API int32_t SGIO_CALL sgio_queue_submit_and_peek(sgio_queue* q, const sgio_request* reqs, uint32_t count,
                                                      uint32_t* out_submitted, sgio_completion* out,
                                                      uint32_t max_count, uint32_t* out_count) SGIO_NOEXCEPT;

/**
 * @brief Wait until at least @p min_count completions are available (or the timeout passes), then
 *        return up to @p max_count of them.
 * @param timeout_ms  0 polls; UINT32_MAX waits forever.
 * @param[out] out_count  completions written to @p out.
 * @return 0 (even if fewer than @p min_count arrived before the timeout: check *out_count),
 *         SGIO_EINVAL (min_count > max_count, NULL pointers), SGIO_EBADHANDLE.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_queue_wait(sgio_queue* q, sgio_completion* out, uint32_t max_count,
                                           uint32_t min_count, uint32_t timeout_ms,
                                           uint32_t* out_count) SGIO_NOEXCEPT;

/**
 * @brief An eventfd that becomes readable when completions are available, for epoll/poll loops.
 *        Owned by the queue. Call sgio_queue_wait() with timeout 0 when it fires; the library
 *        resets it. Windows has no eventfd: there this returns SGIO_ENOTSUP (and leaves *out_fd
 *        unset); wait with sgio_queue_wait(), whose timeout bounds the wait on the completion port.
 * @param q  the queue.
 * @param[out] out_fd  receives the descriptor; do not close it. Must not be NULL.
 * @return 0; SGIO_EBADHANDLE, SGIO_EINVAL (out_fd NULL), SGIO_ENOTSUP (Windows).
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_queue_event_fd(sgio_queue* q, int64_t* out_fd) SGIO_NOEXCEPT;

/**
 * @brief Ask to cancel every in-flight request with this user_data. Does not wait: the requests
 *        still complete, with SGIO_ECANCELED or (if they won the race) their normal result.
 * @param[out] out_found  number of requests the cancellation was sent to (may be NULL).
 * @return 0, or SGIO_EBADHANDLE.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_queue_cancel(sgio_queue* q, uint64_t user_data, uint32_t* out_found) SGIO_NOEXCEPT;

SGIO_END_DECL

#endif /* SGIO_QUEUE_H */
