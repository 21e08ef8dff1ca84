// SPDX-License-Identifier: Apache-2.0
#include "win32/nt_status.hpp"

#include <cerrno>

namespace sgio::win32 {

uint32_t ntstatus_from_errno(int e) noexcept {
  switch (e) {
    case 0: return nt::success;
    case ECANCELED: return nt::cancelled;
    case ENOSPC:
    case EDQUOT: return nt::disk_full;
    case EINVAL: return nt::invalid_parameter;
    case EBADF: return nt::invalid_handle;
    case EACCES:
    case EPERM: return nt::access_denied;
    case EROFS: return nt::media_write_protected;
    case EIO: return nt::io_device_error;
    // Windows probes the caller's buffers and arrays and fails with STATUS_ACCESS_VIOLATION,
    // which GetLastError shows as ERROR_NOACCESS (998).
    case EFAULT: return nt::access_violation;
    // A transient kernel shortage: Windows says STATUS_INSUFFICIENT_RESOURCES
    // (ERROR_NO_SYSTEM_RESOURCES, 1450) when the I/O manager cannot get memory or a request slot,
    // which is what EAGAIN from io_uring and the pool means; ERROR_NOT_ENOUGH_QUOTA would claim a
    // per-process quota that Linux does not have here.
    case EAGAIN: return nt::insufficient_resources;
    case EMFILE:
    case ENFILE: return nt::too_many_opened_files;
    case ENOMEM: return nt::no_memory;
    case EFBIG: return nt::file_too_large;
    case EOPNOTSUPP:
    case ENOSYS: return nt::not_supported;
    default: return nt::unsuccessful;
  }
}

uint32_t win32_from_ntstatus(uint32_t s) noexcept {
  switch (s) {
    case nt::success: return err::success;
    case nt::pending: return err::io_pending;
    case nt::unsuccessful: return err::gen_failure;
    case nt::invalid_handle: return err::invalid_handle;
    case nt::invalid_parameter: return err::invalid_parameter;
    case nt::end_of_file: return err::handle_eof;
    case nt::no_memory: return err::not_enough_memory;
    case nt::access_denied: return err::access_denied;
    case nt::disk_full: return err::disk_full;
    case nt::media_write_protected: return err::write_protect;
    case nt::not_supported: return err::not_supported;
    case nt::invalid_user_buffer: return err::invalid_user_buffer;
    case nt::access_violation: return err::noaccess;
    case nt::insufficient_resources: return err::no_system_resources;
    case nt::too_many_opened_files: return err::too_many_open_files;
    case nt::cancelled: return err::operation_aborted;
    case nt::io_device_error: return err::io_device;
    case nt::file_too_large: return err::file_too_large;
    default: return err::mr_mid_not_found;
  }
}

// The errno -> Win32 table: the codes only CreateFile/DeleteFile produce here, every other errno
// through its NTSTATUS (the one table above), as Windows itself derives GetLastError.
uint32_t win32_from_errno(int e) noexcept {
  switch (e) {
    case 0: return err::success;
    case ENOENT: return err::file_not_found;
    case ENOTDIR: return err::path_not_found;
    case EEXIST: return err::file_exists;
    case EISDIR: return err::access_denied;
    case ENAMETOOLONG: return err::filename_exced_range;
    case ETXTBSY:
    case EBUSY: return err::sharing_violation;
    default: return win32_from_ntstatus(ntstatus_from_errno(e));
  }
}

uint32_t win32_from_error(const Error& e) noexcept {
  if (auto* f = dynamic_cast<const Failure*>(&e)) return f->win32_code();
  if (e.sys_errno() != 0) return win32_from_errno(e.sys_errno());
  switch (e.code()) {
    case Errc::invalid_argument: return err::invalid_parameter;
    case Errc::bad_handle: return err::invalid_handle;
    case Errc::alignment: return err::invalid_parameter;
    case Errc::not_found: return err::file_not_found;
    case Errc::exists: return err::file_exists;
    case Errc::access_denied: return err::access_denied;
    case Errc::is_directory: return err::access_denied;
    case Errc::no_space: return err::disk_full;
    case Errc::io: return err::io_device;
    case Errc::no_memory: return err::not_enough_memory;
    case Errc::overflow: return err::invalid_parameter;
    case Errc::not_supported: return err::not_supported;
    case Errc::canceled: return err::operation_aborted;
    case Errc::timed_out: return err::wait_timeout;
    case Errc::busy: return err::busy;
    case Errc::too_many_handles: return err::too_many_open_files;
    case Errc::system: return err::gen_failure;
    case Errc::internal: return err::internal_error;
    case Errc::fault: return err::noaccess;
    case Errc::again: return err::no_system_resources;
  }
  return err::internal_error;
}

}  // namespace sgio::win32
