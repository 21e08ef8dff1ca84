// SPDX-License-Identifier: Apache-2.0
// One validated gather write or scatter read, cut into the overlapped calls Windows takes and
// started all at once:
//  - on a FILE_FLAG_NO_BUFFERING handle, when every segment is page-aligned and a page multiple,
//    WriteFileGather / ReadFileScatter over one FILE_SEGMENT_ELEMENT per page (NULL-terminated);
//  - otherwise one WriteFile / ReadFile per run of segments that are adjacent in memory (their
//    file ranges are adjacent by construction, so a run is one contiguous transfer).
// Calls are at most kMaxPieceBytes each (a DWORD count). The contract is the POSIX engine's: a
// write moves every byte or reports the error and the prefix that reached the file (a piece that
// completes short is resumed where it stopped); a read fills the segments up to end of file, and
// the bytes reported are the prefix of the request that was read.
// The same object serves the synchronous calls (run_and_wait: an event per piece) and the queue
// (start + on_packet: the handle is bound to a completion port, each piece's OVERLAPPED comes
// back in a packet).
#pragma once

#include <windows.h>

#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "core/file_rules.hpp"

namespace sgio {

class OverlappedIo {
 public:
  // 1 GiB: fits a DWORD and is a multiple of every sector and page size.
  static constexpr uint64_t kMaxPieceBytes = uint64_t{1} << 30;

  struct Piece {
    OVERLAPPED ov{};  // first member: a completion's OVERLAPPED* is its Piece*
    OverlappedIo* owner = nullptr;
    uint8_t* buffer = nullptr;                   // run: its first byte
    FILE_SEGMENT_ELEMENT* elements = nullptr;    // page gather/scatter: its NULL-terminated pages
    uint64_t offset = 0;
    uint32_t length = 0;
    uint32_t done = 0;
    DWORD error = 0;      // 0, or the Win32 error that ended the piece
    bool finished = false;
    HANDLE event = nullptr;  // run_and_wait only
  };

  // `segs` has passed FileRules::validate for `access`; a read is cut at end of file first
  // (FileRules::clamp_direct_read). The segment array is not used after construction.
  OverlappedIo(const FileRules& file, Access access, const Segment* segs, uint64_t count, uint64_t offset);
  ~OverlappedIo();
  OverlappedIo(const OverlappedIo&) = delete;
  OverlappedIo& operator=(const OverlappedIo&) = delete;

  // Synchronous use: starts every piece on `handle` (not bound to a completion port) and returns
  // when all have finished. Never throws once a piece is in flight: failures are recorded.
  void run_and_wait(HANDLE handle);

  // Queue use, `handle` bound to a completion port: starts every piece. Each piece that did not
  // fail at once comes back as one packet (with its OVERLAPPED*) for on_packet.
  void start(HANDLE handle);
  // The packet of `p` arrived (its result is read from the OVERLAPPED): resumes a short write,
  // else records the piece as finished. True when the whole request has finished (no packet of
  // it is outstanding).
  bool on_packet(Piece* p);
  // CancelIoEx for every piece still in flight; returns how many it asked for.
  uint32_t cancel();

  bool finished() const noexcept { return outstanding_ == 0; }
  // Bytes moved: the prefix of the request up to the first piece that did not complete.
  uint64_t bytes() const noexcept;
  // Errc{} (0) on success, else the class of the error that stopped the prefix.
  Errc error() const noexcept;
  // Throws the Error that stopped the prefix (with its Win32 message); no-op on success.
  void throw_if_failed(const char* op) const;

  void* context = nullptr;  // the queue's request

 private:
  void plan_runs(const Segment* segs, uint64_t count);
  void plan_pages(const Segment* segs, uint64_t count);
  // Issues what is left of `p`. False when the call failed at once (no completion will come; `p`
  // is then finished with its error).
  bool issue(Piece& p);
  // Records a completion of `p`; true when the piece needs to be issued again (a short write).
  bool complete(Piece& p, DWORD bytes, DWORD error) noexcept;
  const Piece* stopping_piece() const noexcept;

  Access access_;
  HANDLE handle_ = nullptr;
  uint32_t page_ = 0;
  std::vector<Piece> pieces_;
  std::vector<FILE_SEGMENT_ELEMENT> elements_;
  size_t outstanding_ = 0;  // pieces with a completion still to come
};

}  // namespace sgio
