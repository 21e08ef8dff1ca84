// SPDX-License-Identifier: Apache-2.0
#include "core/error.hpp"

#include <cerrno>
#include <cstring>

namespace sgio {

// The one errno -> Errc table of the engine (the native face maps Errc -> SGIO_E* in to_status;
// the Win32 face maps errno -> NTSTATUS -> Win32 in win32/nt_status.cpp).
Errc errc_from_errno(int err) noexcept {
  switch (err) {
    case EINVAL: return Errc::invalid_argument;
    case EBADF: return Errc::bad_handle;
    case ENOENT:
    case ENOTDIR: return Errc::not_found;
    case EEXIST: return Errc::exists;
    case EACCES:
    case EPERM:
    case EROFS: return Errc::access_denied;
    case EISDIR: return Errc::is_directory;
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
      return Errc::no_space;
    case EIO: return Errc::io;
    case ENOMEM: return Errc::no_memory;
    case EFBIG:
    case EOVERFLOW: return Errc::overflow;
    case EOPNOTSUPP:
    case ENOSYS:
    case ENODEV:
    case ENXIO: return Errc::not_supported;
    case ECANCELED: return Errc::canceled;
    case ETIMEDOUT: return Errc::timed_out;
    case EBUSY: return Errc::busy;
    case EAGAIN: return Errc::again;
    case EFAULT: return Errc::fault;
    case EMFILE:
    case ENFILE: return Errc::too_many_handles;
    default: return Errc::system;
  }
}

void throw_errno(int err, const std::string& what) {
  char buf[128];
#ifdef _WIN32
  strerror_s(buf, sizeof buf, err);
  const char* text = buf;
#else
  // GNU strerror_r returns the message pointer (which may not be buf).
  const char* text = strerror_r(err, buf, sizeof buf);
#endif
  throw Error(errc_from_errno(err), what + ": " + text, err);
}

}  // namespace sgio
