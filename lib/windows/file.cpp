// SPDX-License-Identifier: Apache-2.0
#include "windows/file.hpp"

#include <windows.h>
#include <winternl.h>

#include <vector>

#include "core/error.hpp"
#include "windows/alignment.hpp"
#include "windows/overlapped_io.hpp"
#include "windows/text.hpp"
#include "windows/win_error.hpp"

namespace sgio {

namespace {

constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

DWORD access_mask(bool read, bool write) { return (read ? GENERIC_READ : 0) | (write ? GENERIC_WRITE : 0); }

DWORD disposition(const OpenFlags& f) {
  if (f.create && f.exclusive) return CREATE_NEW;
  if (f.create && f.truncate) return CREATE_ALWAYS;
  if (f.create) return OPEN_ALWAYS;
  if (f.truncate) return TRUNCATE_EXISTING;
  return OPEN_EXISTING;
}

bool is_directory(const std::wstring& path) {
  DWORD attrs = GetFileAttributesW(path.c_str());
  return attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY);
}

// What sgio reads and writes: disk files (offsets mean something there). Pipes, consoles and
// character devices are not_supported, as on Linux.
void check_disk_file(HANDLE h, const std::string& what) {
  if (GetFileType(h) != FILE_TYPE_DISK)
    fail(Errc::not_supported, what + ": not a disk file (pipes, sockets and character devices have no file offsets)");
}

}  // namespace

File::File(void* handle, void* owned, bool readable, bool writable, bool direct, uint32_t reopen_flags,
           Alignment direct_alignment)
    : FileRules(readable, writable, direct, direct_alignment), handle_(handle), owned_(owned),
      reopen_flags_(reopen_flags) {}

File::~File() {
  if (owned_ && owned_ != handle_) CloseHandle(owned_);
  CloseHandle(handle_);
}

std::shared_ptr<File> File::open(const std::string& path, const OpenFlags& f) {
  if (!f.read && !f.write) fail(Errc::invalid_argument, "open: neither read nor write access requested");
  if (f.truncate && !f.write) fail(Errc::invalid_argument, "open: truncate needs write access");
  if (f.exclusive && !f.create) fail(Errc::invalid_argument, "open: exclusive needs create");
  if (path.empty()) fail(Errc::not_found, "open: empty path");
  const std::string what = "open '" + path + "'";
  const std::wstring wide = utf8_to_wide(path);
  DWORD flags = FILE_FLAG_OVERLAPPED | (f.direct ? FILE_FLAG_NO_BUFFERING : 0) | (f.dsync ? FILE_FLAG_WRITE_THROUGH : 0);
  DWORD attributes = (f.create && !(f.mode & 0222)) ? FILE_ATTRIBUTE_READONLY : FILE_ATTRIBUTE_NORMAL;
  HANDLE h = CreateFileW(wide.c_str(), access_mask(f.read, f.write), kShareAll, nullptr, disposition(f),
                         flags | attributes, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD err = GetLastError();
    // CreateFileW answers a directory with ERROR_ACCESS_DENIED.
    if (err == ERROR_ACCESS_DENIED && is_directory(wide)) fail(Errc::is_directory, what + ": is a directory");
    throw_win32(err, what);
  }
  try {
    check_disk_file(h, what);
    return std::shared_ptr<File>(
        new File(h, h, f.read, f.write, f.direct, flags, query_direct_alignment(h, wide)));
  } catch (...) {
    CloseHandle(h);
    throw;
  }
}

std::shared_ptr<File> File::adopt(int fd) {
  HANDLE original = reinterpret_cast<HANDLE>(static_cast<intptr_t>(fd));
  if (fd <= 0) fail(Errc::invalid_argument, "adopt: not a HANDLE value");
  DWORD handle_flags = 0;
  if (!GetHandleInformation(original, &handle_flags))
    throw Error(Errc::bad_handle, "adopt: " + std::to_string(fd) + " is not an open HANDLE", static_cast<int>(GetLastError()));
  check_disk_file(original, "adopt");
  // What this handle was granted (not what the file's ACL would give a new handle): ReOpenFile
  // asks for exactly that, so sgio can do no more with the file than the caller's handle could.
  PUBLIC_OBJECT_BASIC_INFORMATION info{};
  NTSTATUS st = NtQueryObject(original, ObjectBasicInformation, &info, sizeof info, nullptr);
  if (st < 0) fail(Errc::system, "adopt: NtQueryObject(ObjectBasicInformation) failed");
  const bool read = (info.GrantedAccess & FILE_READ_DATA) != 0;
  const bool write = (info.GrantedAccess & FILE_WRITE_DATA) != 0;
  if (!read && !write) fail(Errc::access_denied, "adopt: the handle allows neither reading nor writing");
  HANDLE h = ReOpenFile(original, access_mask(read, write), kShareAll, FILE_FLAG_OVERLAPPED);
  if (h == INVALID_HANDLE_VALUE) throw_win32(GetLastError(), "adopt: ReOpenFile");
  try {
    return std::shared_ptr<File>(
        new File(h, original, read, write, false, FILE_FLAG_OVERLAPPED, query_direct_alignment(h, std::wstring())));
  } catch (...) {
    CloseHandle(h);
    throw;
  }
}

void* File::reopen() const {
  HANDLE h = ReOpenFile(handle_, access_mask(readable(), writable()), kShareAll, reopen_flags_);
  if (h == INVALID_HANDLE_VALUE) throw_win32(GetLastError(), "ReOpenFile for a completion port");
  return h;
}

void File::transfer(Access access, const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const {
  done = 0;
  SegmentSnapshot snap;
  uint64_t total;
  segs = validate_caller(segs, count, offset, access, snap, total);
  OverlappedIo io(*this, access, segs, count, offset);
  io.run_and_wait(handle_);
  done = io.bytes();
  io.throw_if_failed(access == Access::write ? "gather write" : "scatter read");
}

void File::write_gather(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const {
  transfer(Access::write, segs, count, offset, done);
}

void File::read_scatter(const Segment* segs, uint64_t count, uint64_t offset, uint64_t& done) const {
  transfer(Access::read, segs, count, offset, done);
}

void File::flush() const {
  // FlushFileBuffers needs write access; a read-only handle has written nothing to flush (the
  // POSIX build's fdatasync accepts any descriptor, so this is no error either).
  if (!writable()) return;
  if (!FlushFileBuffers(handle_)) throw_win32(GetLastError(), "FlushFileBuffers");
}

uint64_t File::size() const {
  LARGE_INTEGER size;
  if (!GetFileSizeEx(handle_, &size)) throw_win32(GetLastError(), "GetFileSizeEx");
  return static_cast<uint64_t>(size.QuadPart);
}

void File::truncate(uint64_t size) const {
  check_truncate(size);
  FILE_END_OF_FILE_INFO eof{};
  eof.EndOfFile.QuadPart = static_cast<LONGLONG>(size);
  if (!SetFileInformationByHandle(handle_, FileEndOfFileInfo, &eof, sizeof eof))
    throw_win32(GetLastError(), "SetFileInformationByHandle(FileEndOfFileInfo)");
}

}  // namespace sgio
