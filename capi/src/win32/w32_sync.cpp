// SPDX-License-Identifier: Apache-2.0
// Events, WaitForSingleObject, completion ports and notification modes.
#include <algorithm>
#include <vector>

#include "win32/completion_port.hpp"
#include "win32/w32_guard.hpp"

using namespace sgio;
using namespace sgio::capi::w32;
using win32::CompletionPort;
using win32::Event;

namespace {

BOOL dequeue_failure(CompletionPort::Dequeued d) {
  // Timeout: WAIT_TIMEOUT; the port was closed while (or before) waiting: ERROR_ABANDONED_WAIT_0.
  return fail_with(d == CompletionPort::Dequeued::timeout ? WAIT_TIMEOUT : ERROR_ABANDONED_WAIT_0);
}

}  // namespace

extern "C" {

SGIO_API HANDLE SGIO_CALL CreateEventW(LPSECURITY_ATTRIBUTES, BOOL bManualReset, BOOL bInitialState,
                                       LPCWSTR) noexcept {
  // Names are accepted and ignored: every event is private to the process.
  return w32_guard(HANDLE{nullptr}, [&] {
    return to_handle(handles().insert(std::make_shared<Event>(bManualReset != FALSE, bInitialState != FALSE)));
  });
}

SGIO_API BOOL SGIO_CALL SetEvent(HANDLE hEvent) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    handles().get_as<Event>(hv(hEvent))->set();
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL ResetEvent(HANDLE hEvent) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    handles().get_as<Event>(hv(hEvent))->reset();
    return BOOL{TRUE};
  });
}

SGIO_API DWORD SGIO_CALL WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds) noexcept {
  return w32_guard(DWORD{WAIT_FAILED}, [&] {
    std::shared_ptr<Object> object = handles().find(hv(hHandle));
    if (!object) win32::fail_win32(ERROR_INVALID_HANDLE, "WaitForSingleObject: invalid handle");
    bool signalled;
    switch (object->kind()) {
      case Kind::event:
        signalled = std::static_pointer_cast<Event>(object)->wait(dwMilliseconds);
        break;
      case Kind::file: {
        // A file is signalled while none of its overlapped requests is in flight.
        auto f = std::dynamic_pointer_cast<win32::Win32File>(std::static_pointer_cast<File>(object));
        signalled = !f || f->wait_idle(win32::Deadline(dwMilliseconds));
        break;
      }
      default:
        win32::fail_win32(ERROR_INVALID_HANDLE, std::string("WaitForSingleObject: cannot wait on a ") +
                                                    kind_name(object->kind()) + " handle");
    }
    return signalled ? DWORD{WAIT_OBJECT_0} : DWORD{WAIT_TIMEOUT};
  });
}

SGIO_API HANDLE SGIO_CALL CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                 ULONG_PTR CompletionKey, DWORD) noexcept {
  return w32_guard(HANDLE{nullptr}, [&] {
    if (FileHandle == INVALID_HANDLE_VALUE) {
      if (ExistingCompletionPort)
        win32::fail_invalid_parameter("CreateIoCompletionPort: INVALID_HANDLE_VALUE with an existing port");
      return to_handle(handles().insert(std::make_shared<CompletionPort>()));
    }
    std::shared_ptr<win32::Win32File> f = win32_file(FileHandle);
    if (ExistingCompletionPort) {
      f->bind(handles().get_as<CompletionPort>(hv(ExistingCompletionPort)), CompletionKey);
      return ExistingCompletionPort;
    }
    auto port = std::make_shared<CompletionPort>();
    f->bind(port, CompletionKey);  // checks first, so a refused binding leaves no handle behind
    // If the table is full the file keeps an unreachable port; its packets are never dequeued.
    return to_handle(handles().insert(port));
  });
}

SGIO_API BOOL SGIO_CALL GetQueuedCompletionStatus(HANDLE CompletionPort_, LPDWORD lpNumberOfBytesTransferred,
                                                  PULONG_PTR lpCompletionKey, LPOVERLAPPED* lpOverlapped,
                                                  DWORD dwMilliseconds) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    if (lpOverlapped) *lpOverlapped = nullptr;  // first, as Windows does: "nothing dequeued" on any failure
    std::shared_ptr<CompletionPort> port = handles().get_as<CompletionPort>(hv(CompletionPort_));
    if (!lpNumberOfBytesTransferred || !lpCompletionKey || !lpOverlapped)
      win32::fail_invalid_parameter("GetQueuedCompletionStatus: an output pointer is NULL");
    win32::Packet p;
    size_t got = 0;
    CompletionPort::Dequeued d = port->dequeue(&p, 1, got, dwMilliseconds);
    if (d != CompletionPort::Dequeued::ok) return dequeue_failure(d);
    *lpNumberOfBytesTransferred = p.bytes;
    *lpCompletionKey = p.key;
    *lpOverlapped = static_cast<LPOVERLAPPED>(p.overlapped);
    // A failed request's packet: FALSE with *lpOverlapped set and its error as the last error.
    if (!win32::nt_success(p.status)) return fail_with(win32::win32_from_ntstatus(p.status));
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL GetQueuedCompletionStatusEx(HANDLE CompletionPort_, LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                    ULONG ulCount, PULONG ulNumEntriesRemoved, DWORD dwMilliseconds,
                                                    BOOL) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    std::shared_ptr<CompletionPort> port = handles().get_as<CompletionPort>(hv(CompletionPort_));
    if (!lpCompletionPortEntries || ulCount == 0 || !ulNumEntriesRemoved)
      win32::fail_invalid_parameter("GetQueuedCompletionStatusEx: no room for entries");
    *ulNumEntriesRemoved = 0;
    thread_local std::vector<win32::Packet> packets;  // capacity kept: no allocation once warm
    packets.resize(std::min<ULONG>(ulCount, 1024));
    size_t got = 0;
    CompletionPort::Dequeued d = port->dequeue(packets.data(), packets.size(), got, dwMilliseconds);
    if (d != CompletionPort::Dequeued::ok) return dequeue_failure(d);
    for (size_t i = 0; i < got; ++i) {
      OVERLAPPED_ENTRY& e = lpCompletionPortEntries[i];
      e.lpCompletionKey = packets[i].key;
      e.lpOverlapped = static_cast<LPOVERLAPPED>(packets[i].overlapped);
      e.Internal = packets[i].status;
      e.dwNumberOfBytesTransferred = packets[i].bytes;
    }
    *ulNumEntriesRemoved = static_cast<ULONG>(got);
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL PostQueuedCompletionStatus(HANDLE CompletionPort_, DWORD dwNumberOfBytesTransferred,
                                                   ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    handles().get_as<CompletionPort>(hv(CompletionPort_))
        ->post(win32::Packet{dwCompletionKey, lpOverlapped, win32::nt::success, dwNumberOfBytesTransferred});
    return BOOL{TRUE};
  });
}

SGIO_API BOOL SGIO_CALL SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags) noexcept {
  return w32_guard(BOOL{FALSE}, [&] {
    std::shared_ptr<win32::Win32File> f = win32_file(FileHandle);
    if (Flags & ~(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE))
      win32::fail_invalid_parameter("SetFileCompletionNotificationModes: unknown flags");
    f->add_notification_modes(Flags);
    return BOOL{TRUE};
  });
}

}  // extern "C"
