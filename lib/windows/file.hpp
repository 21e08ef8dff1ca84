// SPDX-License-Identifier: Apache-2.0
// An open file on Windows and the synchronous gather/scatter engine over it: the same interface
// capi/src/native uses from lib/posix/file.hpp, over a HANDLE opened with FILE_FLAG_OVERLAPPED.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/file_rules.hpp"

namespace sgio {

class File final : public FileRules {
 public:
  // CreateFileW of the UTF-8 `path`, always overlapped (so every piece of a request can be in
  // flight at once); direct = FILE_FLAG_NO_BUFFERING, dsync = FILE_FLAG_WRITE_THROUGH; shared for
  // read, write and delete like a POSIX descriptor. Throws Error: not_found, exists,
  // access_denied, is_directory, not_supported (not a disk file), invalid_argument (not UTF-8).
  static std::shared_ptr<File> open(const std::string& path, const OpenFlags& flags);
  // Takes ownership of a Windows file HANDLE (its value as an integer: sgio_file_adopt_fd on
  // Windows takes a HANDLE, as .NET's SafeFileHandle and _get_osfhandle give it). Access is what
  // the handle allows; I/O goes through an overlapped handle ReOpenFile makes of it. Throws
  // without closing it: on failure the caller still owns the handle.
  static std::shared_ptr<File> adopt(int fd);

  ~File() override;

  // The HANDLE value sgio_file_fd reports: the adopted handle, or the one sgio opened. Kernel
  // handles fit in 32 bits on 64-bit Windows (kept so for 32-bit interop), hence the int.
  int fd() const noexcept { return static_cast<int>(reinterpret_cast<intptr_t>(owned_)); }
  // Gives an adopted handle back: the destructor will not close it (see posix/file.hpp).
  void disown() noexcept { owned_ = nullptr; }
  // The overlapped handle every transfer uses.
  void* handle() const noexcept { return handle_; }
  // Another overlapped handle to the same file with the same access and flags (ReOpenFile), for
  // a completion port: a handle can be bound to one port for its lifetime. The caller closes it.
  void* reopen() const;

  // Gather write / scatter read of a caller's request (validated here). `done` receives the bytes
  // moved, also when an Error is thrown (then it is the prefix that reached the file).
  void write_gather(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const;
  void read_scatter(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const;

  void flush() const;
  uint64_t size() const override;
  void truncate(uint64_t size) const;

 private:
  File(void* handle, void* owned, bool readable, bool writable, bool direct, uint32_t reopen_flags,
       Alignment direct_alignment);
  void transfer(Access access, const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const;

  void* handle_;  // overlapped; closed by the destructor
  void* owned_;   // the handle sgio_file_fd reports (== handle_ unless adopted); nullptr once disowned
  uint32_t reopen_flags_;  // FILE_FLAG_* the handle was opened with, for reopen()
};

}  // namespace sgio
