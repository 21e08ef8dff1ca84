// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_file.h - files and synchronous gather write / scatter read (the native face).
 *
 * A sgio_file* is an opaque handle from the library's handle table, not a pointer to memory:
 * passing a closed or made-up handle returns SGIO_EBADHANDLE, never crashes. All functions are
 * thread-safe; one file may be used by many threads at once (positional I/O has no shared cursor).
 */
#ifndef SGIO_FILE_H
#define SGIO_FILE_H

#include "sgio/sgio_common.h"

/** Opaque file handle. */
typedef struct sgio_file sgio_file;

/**
 * One buffer of a gather or scatter: its address and length, as 64-bit integers so the struct
 * has the same 16-byte layout on every OS and in every binding.
 */
typedef struct sgio_segment {
  uint64_t buffer; /**< address of the first byte */
  uint64_t length; /**< bytes, > 0 */
} sgio_segment;

/* sgio_open_options.flags. Combine with |. One of READ/WRITE is required. */
#define SGIO_OPEN_READ      0x0001u /**< open for reading */
#define SGIO_OPEN_WRITE     0x0002u /**< open for writing */
#define SGIO_OPEN_CREATE    0x0004u /**< create the file if it does not exist */
#define SGIO_OPEN_EXCLUSIVE 0x0008u /**< with CREATE: fail with SGIO_EEXIST if it exists */
#define SGIO_OPEN_TRUNCATE  0x0010u /**< truncate to 0 bytes (needs WRITE) */
#define SGIO_OPEN_DIRECT    0x0100u /**< unbuffered (O_DIRECT; Windows: FILE_FLAG_NO_BUFFERING): see sgio_file_alignment() */
#define SGIO_OPEN_DSYNC     0x0200u /**< write-through (O_DSYNC; Windows: FILE_FLAG_WRITE_THROUGH): data is durable when a write returns */

#define SGIO_OPEN_OPTIONS_VERSION 1u

/** Options for sgio_file_open(). Fields are only ever appended; set version first. */
typedef struct sgio_open_options {
  uint32_t version; /**< SGIO_OPEN_OPTIONS_VERSION */
  uint32_t flags;   /**< SGIO_OPEN_* */
  uint32_t mode;    /**< permission bits for a created file; 0 means 0644 (Windows: no write bit = read-only attribute) */
  uint32_t reserved;/**< must be 0 */
} sgio_open_options;

SGIO_BEGIN_DECL

/**
 * @brief Fill @p opts with defaults (READ|WRITE, mode 0644) for the given struct version.
 * @param[out] opts  the options to initialise; then set flags before sgio_file_open().
 * @param version    SGIO_OPEN_OPTIONS_VERSION of the headers you compile with.
 * @return 0, or SGIO_EINVAL for NULL or an unknown version.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_open_options_init(sgio_open_options* opts, uint32_t version) SGIO_NOEXCEPT;

/**
 * @brief Open or create a file.
 * @param[out] out   receives the handle (NULL on failure). Must not be NULL.
 * @param utf8_path  path in UTF-8.
 * @param opts       options; NULL means defaults (read+write of an existing file).
 * @return 0; SGIO_EINVAL (bad flags or version), SGIO_ENOENT, SGIO_EEXIST, SGIO_EACCES,
 *         SGIO_EISDIR (directories are never opened), SGIO_ENOTSUP (DIRECT on a file system
 *         without O_DIRECT, or a path naming a FIFO or character device: only regular files and
 *         block devices are opened), SGIO_EMFILE, SGIO_ESYS.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_open(sgio_file** out, const char* utf8_path,
                                          const sgio_open_options* opts) SGIO_NOEXCEPT;

/**
 * @brief Adopt an open descriptor: the handle takes ownership and closes it in sgio_file_close().
 *        Access mode and O_DIRECT are read from the descriptor (fcntl); @p flags must be 0.
 *        Only regular files and block devices are accepted (descriptors with file offsets): a
 *        pipe, socket, eventfd or character device gets SGIO_ENOTSUP, so no read can wait forever
 *        on one. On any failure the descriptor is left open and still belongs to the caller.
 *        On Windows @p fd is a file HANDLE's value (what _get_osfhandle or .NET's SafeFileHandle
 *        gives); sgio may do what the handle was granted (read and/or write), buffered.
 * @return 0; SGIO_EINVAL (fd < 0, flags != 0), SGIO_EBADHANDLE (fd not open), SGIO_EISDIR,
 *         SGIO_ENOTSUP (not a regular file or block device), SGIO_EMFILE (handle table full).
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_adopt_fd(sgio_file** out, int64_t fd, uint32_t flags) SGIO_NOEXCEPT;

/**
 * @brief The descriptor behind a handle (Windows: its HANDLE value). It stays owned by the
 *        handle: do not close it.
 * @param f  an open file handle.
 * @param[out] out_fd  receives the descriptor. Must not be NULL.
 * @return 0; SGIO_EBADHANDLE (not an open file handle), SGIO_EINVAL (out_fd NULL).
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_fd(sgio_file* f, int64_t* out_fd) SGIO_NOEXCEPT;

/**
 * @brief Close a handle. NULL is a no-op returning 0. Later calls with the handle get
 *        SGIO_EBADHANDLE at once; calls already running on other threads finish normally, and the
 *        descriptor is closed when the last of them returns (so it is never reused under them).
 *        With no call running and no queued request in flight on the file (its completion already
 *        returned by sgio_queue_wait), the descriptor is closed when this returns.
 *        Call sgio_file_flush() first if you need to know that written data is durable.
 * @return 0, or SGIO_EBADHANDLE (not open: already closed, never opened, or not a file handle).
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_close(sgio_file* f) SGIO_NOEXCEPT;

/**
 * @brief Direct-I/O alignment of an open file, from the file system: statx(STATX_DIOALIGN)
 *        where the kernel reports it, the device's logical block size otherwise.
 * @param[out] out_memory  required alignment of buffer addresses (may be NULL).
 * @param[out] out_offset  required alignment of file offsets and segment lengths (may be NULL).
 *
 * For a buffered file both are 1.
 * @return 0, or SGIO_EBADHANDLE (not an open file handle).
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_alignment(sgio_file* f, uint32_t* out_memory,
                                               uint32_t* out_offset) SGIO_NOEXCEPT;

/**
 * @brief Write @p count segments, in order, to consecutive bytes starting at @p offset.
 *
 * Writes everything or fails: short writes are continued from exactly where they stopped, EINTR
 * is retried, and the request is split at IOV_MAX segments and at the kernel's per-call byte cap.
 * A write past the end of the file extends it.
 *
 * @param segs   @p count segments (1 to UINT32_MAX), each with buffer != 0 and length > 0. On a
 *               DIRECT file every buffer address is a multiple of the memory alignment, every
 *               length and @p offset a multiple of the offset alignment (see sgio_file_alignment);
 *               violations return SGIO_EALIGN before anything is written.
 * @param[out] out_written  bytes written (may be NULL). On failure: the bytes that reached the
 *               file before the failure (a prefix of the request), so nothing is ever claimed
 *               that was not written.
 * The segment array is probed by the kernel before sgio reads it (one system call per page it
 * touches): an unreadable array is SGIO_EFAULT before anything is written, never a crash. Up to
 * 64 segments are then copied, and the copy is what gets validated and written, even if another
 * thread changes the array meanwhile. A buffer the
 * kernel cannot read is SGIO_EFAULT with the prefix written before it.
 * A DIRECT write that crosses RLIMIT_FSIZE at a size that is not a multiple of the offset
 * alignment writes the aligned prefix below the limit and returns SGIO_EOVERFLOW with that count.
 * @return 0; SGIO_EBADHANDLE, SGIO_EINVAL, SGIO_EALIGN, SGIO_EOVERFLOW (total or end offset
 *         beyond INT64_MAX, or RLIMIT_FSIZE reached), SGIO_EACCES (not opened for writing),
 *         SGIO_EFAULT, SGIO_ENOSPC, SGIO_EIO, SGIO_EAGAIN (transient shortage), SGIO_ESYS.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_write_gather(sgio_file* f, const sgio_segment* segs, uint32_t count,
                                                  uint64_t offset, uint64_t* out_written) SGIO_NOEXCEPT;

/**
 * @brief Read consecutive bytes starting at @p offset into @p count segments, in order.
 *
 * Fills every segment or stops at end of file; *out_read says how much was read (0 when @p offset
 * is at or past the end). Bytes of segments beyond what was read are left untouched, except on a
 * DIRECT file, where the device transfers whole blocks: the rest of the block that holds the end
 * of file may be filled with zeros (as on Windows); segments after that block stay untouched.
 * Arguments and alignment rules as for sgio_file_write_gather().
 * @param segs  @p count segments (1 to UINT32_MAX), each with buffer != 0 and length > 0, aligned as
 *              sgio_file_write_gather() requires on a DIRECT file.
 * @param[out] out_read  bytes read (may be NULL); on failure, the bytes read before it.
 * @return 0 (also at end of file: check *out_read); SGIO_EBADHANDLE, SGIO_EINVAL, SGIO_EALIGN,
 *         SGIO_EOVERFLOW, SGIO_EACCES (not opened for reading), SGIO_EFAULT (the segment array is
 *         not readable memory, or a buffer the kernel cannot fill), SGIO_EAGAIN, SGIO_EIO, SGIO_ESYS.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_read_scatter(sgio_file* f, const sgio_segment* segs, uint32_t count,
                                                  uint64_t offset, uint64_t* out_read) SGIO_NOEXCEPT;

/**
 * @brief Make written data durable (fdatasync; Windows: FlushFileBuffers): when it returns 0,
 *        data written before the call survives a crash or power loss. On a file opened read-only
 *        it returns 0 (Windows: without a call; FlushFileBuffers needs write access).
 * @return 0; SGIO_EBADHANDLE, SGIO_EIO (the device reported a write error), SGIO_ENOSPC, SGIO_ESYS.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_flush(sgio_file* f) SGIO_NOEXCEPT;

/**
 * @brief Current size of the file in bytes.
 * @param[out] out_size  receives the size. Must not be NULL.
 * @return 0; SGIO_EBADHANDLE, SGIO_EINVAL (out_size NULL), SGIO_ESYS.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_size(sgio_file* f, uint64_t* out_size) SGIO_NOEXCEPT;

/**
 * @brief Set the file's size: extend it with zeros or cut it. The file must be open for writing.
 * @param size  the new size in bytes, at most INT64_MAX.
 * @return 0; SGIO_EBADHANDLE, SGIO_EACCES (not opened for writing), SGIO_EOVERFLOW (size beyond
 *         INT64_MAX), SGIO_ENOSPC, SGIO_EIO, SGIO_ESYS.
 * @since 1.0
 */
SGIO_API int32_t SGIO_CALL sgio_file_truncate(sgio_file* f, uint64_t size) SGIO_NOEXCEPT;

SGIO_END_DECL

#endif /* SGIO_FILE_H */
