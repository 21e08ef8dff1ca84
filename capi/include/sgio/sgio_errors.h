// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_errors.h - status codes of the native face.
 *
 * Every fallible sgio_* function returns int32_t: 0 on success or one negative SGIO_E* code.
 * The values are part of the ABI and pinned forever: a code is only ever appended to the table.
 * The last failing call on a thread also leaves a human-readable message in
 * sgio_last_error_message().
 */
#ifndef SGIO_ERRORS_H
#define SGIO_ERRORS_H

#include "sgio/sgio_common.h"

/*
 * The one table: XX(NAME, value, description). It generates the enum below and, inside the library,
 * sgio_strerror() and sgio_error_name(). Values are pinned; append only.
 *
 * Appended last (pinned like the rest):
 *  - SGIO_EFAULT (-19): an array the call had to read (segments, requests) or a buffer the kernel
 *    had to read or fill is not mapped readable/writable. Checked without signals: the kernel
 *    probes the arrays before sgio reads them, and checks the buffers itself (EFAULT).
 *  - SGIO_EAGAIN (-20): the kernel reported a transient shortage (EAGAIN); the same call may
 *    succeed later. EAGAIN used to be reported as SGIO_EBUSY, which now means only "the queue
 *    is full" (sgio_queue_submit) or "resource busy" (EBUSY).
 */
#define SGIO_ERRNO_MAP(XX)                                                              \
  XX(EINVAL,     -1,  "invalid argument")                                               \
  XX(EBADHANDLE, -2,  "handle is not open, was closed, or is of the wrong type")        \
  XX(EALIGN,     -3,  "buffer, length or offset not aligned as direct I/O requires")    \
  XX(ENOENT,     -4,  "no such file or directory")                                      \
  XX(EEXIST,     -5,  "file already exists")                                            \
  XX(EACCES,     -6,  "permission denied, or handle not opened for this access")        \
  XX(EISDIR,     -7,  "is a directory")                                                 \
  XX(ENOSPC,     -8,  "no space left on device")                                        \
  XX(EIO,        -9,  "input/output error")                                             \
  XX(ENOMEM,     -10, "out of memory")                                                  \
  XX(EOVERFLOW,  -11, "byte count or offset out of range")                              \
  XX(ENOTSUP,    -12, "operation not supported by this file or file system")            \
  XX(ECANCELED,  -13, "operation canceled")                                             \
  XX(ETIMEDOUT,  -14, "timed out")                                                      \
  XX(EBUSY,      -15, "resource busy: queue full or handle in use")                     \
  XX(EMFILE,     -16, "too many open files or handles")                                 \
  XX(ESYS,       -17, "operating system error (see sgio_last_error_message)")           \
  XX(EINTERNAL,  -18, "internal error in sgio")                                        \
  XX(EFAULT,     -19, "bad address: a segment array, request array or buffer is not accessible") \
  XX(EAGAIN,     -20, "resource temporarily unavailable, try again")

#define SGIO_ERRNO_ENUM_ITEM_(name, value, text) SGIO_##name = value,

/** Status codes. SGIO_OK is 0; every error is negative. */
typedef enum sgio_status {
  SGIO_OK = 0,
  SGIO_ERRNO_MAP(SGIO_ERRNO_ENUM_ITEM_)
} sgio_status;

#undef SGIO_ERRNO_ENUM_ITEM_

SGIO_BEGIN_DECL

/**
 * @brief The fixed description of a status code.
 * @param status  0 or a SGIO_E* code; any other value is accepted.
 * @return "success" for 0, the table's description for a SGIO_E* code, "unknown error" for values
 *         outside the table. Static storage, never NULL.
 * @since 1.0
 */
SGIO_API const char* SGIO_CALL sgio_strerror(int32_t status) SGIO_NOEXCEPT;

/**
 * @brief The name of a status code, for logs.
 * @param status  0 or a SGIO_E* code; any other value is accepted.
 * @return e.g. "SGIO_EINVAL"; "SGIO_OK" for 0; "SGIO_UNKNOWN" outside the table. Static storage,
 *         never NULL.
 * @since 1.0
 */
SGIO_API const char* SGIO_CALL sgio_error_name(int32_t status) SGIO_NOEXCEPT;

/**
 * @brief The message of the last failing sgio_* call on this thread, with the specifics
 *        (which argument, which segment, which path, the errno text).
 *
 * Successful calls do not clear it, so read it right after a call returned a negative status.
 * @return the message, thread-local: never NULL, "" before any failure on this thread. The pointer
 *         is valid until the next sgio_* call on the same thread.
 * @since 1.0
 */
SGIO_API const char* SGIO_CALL sgio_last_error_message(void) SGIO_NOEXCEPT;

SGIO_END_DECL

#endif /* SGIO_ERRORS_H */
