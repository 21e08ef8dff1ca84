// SPDX-License-Identifier: Apache-2.0
// sgio_file_* : argument checks, the engine call, and status translation; nothing else.
#include <cstring>

#include "common/guard.hpp"
#include "common/handles.hpp"
#include "sgio/sgio_file.h"

using namespace sgio;
using namespace sgio::capi;

namespace {

constexpr uint32_t kKnownOpenFlags = SGIO_OPEN_READ | SGIO_OPEN_WRITE | SGIO_OPEN_CREATE | SGIO_OPEN_EXCLUSIVE |
                                     SGIO_OPEN_TRUNCATE | SGIO_OPEN_DIRECT | SGIO_OPEN_DSYNC;

OpenFlags to_open_flags(const sgio_open_options* opts) {
  OpenFlags f;
  if (!opts) return f;
  if (opts->version != SGIO_OPEN_OPTIONS_VERSION)
    fail(Errc::invalid_argument, "open options: unknown version " + std::to_string(opts->version) +
                                     " (initialise with sgio_open_options_init)");
  if (opts->flags & ~kKnownOpenFlags) fail(Errc::invalid_argument, "open options: unknown flag bits");
  if (opts->reserved != 0) fail(Errc::invalid_argument, "open options: reserved field is not 0");
  f.read = opts->flags & SGIO_OPEN_READ;
  f.write = opts->flags & SGIO_OPEN_WRITE;
  f.create = opts->flags & SGIO_OPEN_CREATE;
  f.exclusive = opts->flags & SGIO_OPEN_EXCLUSIVE;
  f.truncate = opts->flags & SGIO_OPEN_TRUNCATE;
  f.direct = opts->flags & SGIO_OPEN_DIRECT;
  f.dsync = opts->flags & SGIO_OPEN_DSYNC;
  if (opts->mode > 07777) fail(Errc::invalid_argument, "open options: mode has bits beyond 07777");
  f.mode = opts->mode ? opts->mode : 0644;
  return f;
}

}  // namespace

extern "C" {

SGIO_API int32_t SGIO_CALL sgio_open_options_init(sgio_open_options* opts, uint32_t version) noexcept {
  return guard([&] {
    require(opts, "opts");
    if (version != SGIO_OPEN_OPTIONS_VERSION)
      fail(Errc::invalid_argument, "sgio_open_options_init: unknown version " + std::to_string(version));
    std::memset(opts, 0, sizeof *opts);
    opts->version = version;
    opts->flags = SGIO_OPEN_READ | SGIO_OPEN_WRITE;
    opts->mode = 0644;
  });
}

SGIO_API int32_t SGIO_CALL sgio_file_open(sgio_file** out, const char* utf8_path,
                                          const sgio_open_options* opts) noexcept {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(utf8_path, "path");
    OpenFlags flags = to_open_flags(opts);
    *out = to_public<sgio_file>(handles().insert(File::open(utf8_path, flags)));
  });
}

SGIO_API int32_t SGIO_CALL sgio_file_adopt_fd(sgio_file** out, int64_t fd, uint32_t flags) noexcept {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    if (flags != 0) fail(Errc::invalid_argument, "sgio_file_adopt_fd: flags must be 0");
    if (fd < 0 || fd > INT32_MAX) fail(Errc::invalid_argument, "sgio_file_adopt_fd: fd out of range");
    std::shared_ptr<File> file = File::adopt(static_cast<int>(fd));
    try {
      *out = to_public<sgio_file>(handles().insert(file));
    } catch (...) {
      file->disown();  // one rule: whatever the failure, the caller still owns the descriptor
      throw;
    }
  });
}

SGIO_API int32_t SGIO_CALL sgio_file_fd(sgio_file* f, int64_t* out_fd) noexcept {
  return guard([&] {
    require(out_fd, "out_fd");
    *out_fd = file_of(f)->fd();
  });
}

SGIO_API int32_t SGIO_CALL sgio_file_close(sgio_file* f) noexcept {
  if (!f) return SGIO_OK;
  return guard([&] {
    std::shared_ptr<Object> object = handles().remove(handle_value(f), Kind::file);
    object->on_close();
  });
}

SGIO_API int32_t SGIO_CALL sgio_file_alignment(sgio_file* f, uint32_t* out_memory, uint32_t* out_offset) noexcept {
  return guard([&] {
    Alignment a = file_of(f)->alignment();
    if (out_memory) *out_memory = a.memory;
    if (out_offset) *out_offset = a.offset;
  });
}

SGIO_API int32_t SGIO_CALL sgio_file_write_gather(sgio_file* f, const sgio_segment* segs, uint32_t count,
                                                  uint64_t offset, uint64_t* out_written) noexcept {
  uint64_t done = 0;
  int32_t status = guard([&] { file_of(f)->write_gather(to_segments(segs), count, offset, done); });
  if (out_written) *out_written = done;
  return status;
}

SGIO_API int32_t SGIO_CALL sgio_file_read_scatter(sgio_file* f, const sgio_segment* segs, uint32_t count,
                                                  uint64_t offset, uint64_t* out_read) noexcept {
  uint64_t done = 0;
  int32_t status = guard([&] { file_of(f)->read_scatter(to_segments(segs), count, offset, done); });
  if (out_read) *out_read = done;
  return status;
}

SGIO_API int32_t SGIO_CALL sgio_file_flush(sgio_file* f) noexcept {
  return guard([&] { file_of(f)->flush(); });
}

SGIO_API int32_t SGIO_CALL sgio_file_size(sgio_file* f, uint64_t* out_size) noexcept {
  return guard([&] {
    require(out_size, "out_size");
    *out_size = file_of(f)->size();
  });
}

SGIO_API int32_t SGIO_CALL sgio_file_truncate(sgio_file* f, uint64_t size) noexcept {
  return guard([&] { file_of(f)->truncate(size); });
}

}  // extern "C"
