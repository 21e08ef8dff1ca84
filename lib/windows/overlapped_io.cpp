// SPDX-License-Identifier: Apache-2.0
#include "windows/overlapped_io.hpp"

#include <algorithm>
#include <string>

#include "core/memory.hpp"
#include "windows/win_error.hpp"

namespace sgio {

namespace {

bool page_shaped(const Segment* segs, uint64_t count, uint32_t page) {
  for (uint64_t i = 0; i < count; ++i)
    if (segs[i].buffer % page != 0 || segs[i].length % page != 0) return false;
  return true;
}

}  // namespace

OverlappedIo::OverlappedIo(const FileRules& file, Access access, const Segment* segs, uint64_t count,
                           uint64_t offset)
    : access_(access), page_(page_size()) {
  std::vector<Segment> cut;
  if (access == Access::read) count = file.clamp_direct_read(segs, count, offset, cut);
  if (file.direct() && page_shaped(segs, count, page_))
    plan_pages(segs, count);
  else
    plan_runs(segs, count);
  for (Piece& p : pieces_) {
    p.owner = this;
    p.offset += offset;
  }
}

OverlappedIo::~OverlappedIo() {
  // run_and_wait and the queue never let go with a piece in flight; this is the last line.
  if (outstanding_ && handle_) {
    cancel();
    for (Piece& p : pieces_) {
      DWORD n;
      if (!p.finished && p.event) GetOverlappedResult(handle_, &p.ov, &n, TRUE);
    }
  }
  for (Piece& p : pieces_)
    if (p.event) CloseHandle(p.event);
}

void OverlappedIo::plan_runs(const Segment* segs, uint64_t count) {
  uint64_t pos = 0;  // file position relative to the request's offset
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t addr = segs[i].buffer, left = segs[i].length;
    while (left > 0) {
      Piece* last = pieces_.empty() ? nullptr : &pieces_.back();
      if (last && reinterpret_cast<uint64_t>(last->buffer) + last->length == addr && last->length < kMaxPieceBytes) {
        uint64_t take = std::min<uint64_t>(left, kMaxPieceBytes - last->length);
        last->length += static_cast<uint32_t>(take);
        addr += take, left -= take, pos += take;
        continue;
      }
      Piece p;
      p.buffer = reinterpret_cast<uint8_t*>(addr);
      p.offset = pos;
      uint64_t take = std::min<uint64_t>(left, kMaxPieceBytes);
      p.length = static_cast<uint32_t>(take);
      pieces_.push_back(p);
      addr += take, left -= take, pos += take;
    }
  }
}

void OverlappedIo::plan_pages(const Segment* segs, uint64_t count) {
  const uint64_t per_piece = kMaxPieceBytes / page_;
  uint64_t pages = 0;
  for (uint64_t i = 0; i < count; ++i) pages += segs[i].length / page_;
  // Each piece's pages and its NULL terminator; element pointers are set once the vector is final.
  elements_.reserve(pages + (pages + per_piece - 1) / per_piece);
  std::vector<size_t> first_element;
  uint64_t in_piece = 0, pos = 0;
  for (uint64_t i = 0; i < count; ++i) {
    for (uint64_t a = segs[i].buffer, end = a + segs[i].length; a < end; a += page_) {
      if (in_piece == 0) {
        Piece p;
        p.offset = pos;
        pieces_.push_back(p);
        first_element.push_back(elements_.size());
      }
      FILE_SEGMENT_ELEMENT e{};
      e.Buffer = PtrToPtr64(reinterpret_cast<void*>(a));
      elements_.push_back(e);
      pieces_.back().length += page_;
      pos += page_;
      if (++in_piece == per_piece) {
        elements_.push_back(FILE_SEGMENT_ELEMENT{});
        in_piece = 0;
      }
    }
  }
  if (in_piece) elements_.push_back(FILE_SEGMENT_ELEMENT{});
  for (size_t k = 0; k < pieces_.size(); ++k) pieces_[k].elements = &elements_[first_element[k]];
}

bool OverlappedIo::issue(Piece& p) {
  const uint64_t at = p.offset + p.done;
  p.ov.Internal = p.ov.InternalHigh = 0;
  p.ov.Offset = static_cast<DWORD>(at);
  p.ov.OffsetHigh = static_cast<DWORD>(at >> 32);
  const DWORD len = p.length - p.done;
  BOOL ok;
  if (p.elements) {
    FILE_SEGMENT_ELEMENT* e = p.elements + p.done / page_;
    ok = access_ == Access::write ? WriteFileGather(handle_, e, len, nullptr, &p.ov)
                                  : ReadFileScatter(handle_, e, len, nullptr, &p.ov);
  } else {
    ok = access_ == Access::write ? WriteFile(handle_, p.buffer + p.done, len, nullptr, &p.ov)
                                  : ReadFile(handle_, p.buffer + p.done, len, nullptr, &p.ov);
  }
  if (ok) return true;
  DWORD err = GetLastError();
  if (err == ERROR_IO_PENDING) return true;
  // Failed at once: no completion will come. End of file on a read is a finished piece.
  p.finished = true;
  p.error = (err == ERROR_HANDLE_EOF && access_ == Access::read) ? 0 : err;
  return false;
}

bool OverlappedIo::complete(Piece& p, DWORD bytes, DWORD error) noexcept {
  if (error == ERROR_HANDLE_EOF && access_ == Access::read) error = 0;
  p.done += bytes > p.length - p.done ? p.length - p.done : bytes;
  if (error == 0 && access_ == Access::write && p.done < p.length) {
    // A write that made no progress would loop forever: Windows reports a full disk that way.
    if (bytes == 0) error = ERROR_DISK_FULL;
    // A gather piece resumes on a page boundary only.
    else if (p.elements && p.done % page_ != 0) error = ERROR_INVALID_PARAMETER;
    else return true;
  }
  p.error = error;
  p.finished = true;
  return false;
}

void OverlappedIo::run_and_wait(HANDLE handle) {
  handle_ = handle;
  for (Piece& p : pieces_) {
    p.event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (!p.event) throw_win32(GetLastError(), "CreateEventW");
    p.ov.hEvent = p.event;
  }
  for (Piece& p : pieces_)
    if (issue(p)) ++outstanding_;
  for (Piece& p : pieces_) {
    while (!p.finished) {
      DWORD n = 0;
      DWORD err = GetOverlappedResult(handle_, &p.ov, &n, TRUE) ? 0 : GetLastError();
      if (complete(p, n, err)) {
        if (issue(p)) continue;
      }
      --outstanding_;
    }
  }
}

void OverlappedIo::start(HANDLE handle) {
  handle_ = handle;
  // Counted before the first call: a packet may be handled on another thread before the loop ends.
  outstanding_ = pieces_.size();
  for (Piece& p : pieces_)
    if (!issue(p)) --outstanding_;
}

bool OverlappedIo::on_packet(Piece* p) {
  DWORD bytes = 0;
  DWORD error = GetOverlappedResult(handle_, &p->ov, &bytes, FALSE) ? 0 : GetLastError();
  if (complete(*p, bytes, error) && issue(*p)) return false;
  --outstanding_;
  return outstanding_ == 0;
}

uint32_t OverlappedIo::cancel() {
  uint32_t asked = 0;
  for (Piece& p : pieces_)
    if (!p.finished && CancelIoEx(handle_, &p.ov)) ++asked;
  return asked;
}

const OverlappedIo::Piece* OverlappedIo::stopping_piece() const noexcept {
  for (const Piece& p : pieces_)
    if (p.done < p.length) return &p;
  return nullptr;
}

uint64_t OverlappedIo::bytes() const noexcept {
  uint64_t total = 0;
  for (const Piece& p : pieces_) {
    total += p.done;
    if (p.done < p.length) break;
  }
  return total;
}

Errc OverlappedIo::error() const noexcept {
  const Piece* p = stopping_piece();
  return p && p->error ? errc_from_win32(p->error) : Errc{};
}

void OverlappedIo::throw_if_failed(const char* op) const {
  const Piece* p = stopping_piece();
  if (!p || !p->error) return;
  throw_win32(p->error, std::string(op) + " failed after " + std::to_string(bytes()) + " bytes");
}

}  // namespace sgio
