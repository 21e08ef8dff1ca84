// SPDX-License-Identifier: Apache-2.0
// The seed's flow (WriteFileGather.pinvoke.txt) with sgio.dll as the only library: LoadLibraryW
// plus GetProcAddress for every function, so each Win32 name is resolved through sgio.dll's
// forwarders to kernel32. GetSystemInfo for the page size, VirtualAlloc'ed pages, a
// NULL-terminated FILE_SEGMENT_ELEMENT array, an unbuffered overlapped file, WriteFileGather +
// GetOverlappedResult, ReadFileScatter into fresh pages, and a byte-for-byte check.
// Exit status 0 only when everything held; each failure prints what and where.
#include <windows.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void(WINAPI* GetSystemInfo_fn)(LPSYSTEM_INFO);
typedef LPVOID(WINAPI* VirtualAlloc_fn)(LPVOID, SIZE_T, DWORD, DWORD);
typedef BOOL(WINAPI* VirtualFree_fn)(LPVOID, SIZE_T, DWORD);
typedef HANDLE(WINAPI* CreateFileW_fn)(LPCWSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE);
typedef BOOL(WINAPI* CloseHandle_fn)(HANDLE);
typedef BOOL(WINAPI* DeleteFileW_fn)(LPCWSTR);
typedef HANDLE(WINAPI* CreateEventW_fn)(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCWSTR);
typedef BOOL(WINAPI* Gather_fn)(HANDLE, FILE_SEGMENT_ELEMENT*, DWORD, LPDWORD, LPOVERLAPPED);
typedef BOOL(WINAPI* GetOverlappedResult_fn)(HANDLE, LPOVERLAPPED, LPDWORD, BOOL);
typedef BOOL(WINAPI* GetFileSizeEx_fn)(HANDLE, PLARGE_INTEGER);
typedef DWORD(WINAPI* GetLastError_fn)(void);
typedef uint32_t (*sgio_version_fn)(uint32_t*, uint32_t*, uint32_t*);

static int failures = 0;
#define EXPECT(cond, ...)                                \
  do {                                                   \
    if (!(cond)) {                                       \
      fprintf(stderr, "FAILED line %d: %s: ", __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                      \
      fputc('\n', stderr);                               \
      ++failures;                                        \
    }                                                    \
  } while (0)

static HMODULE sgio;
static HMODULE kernel32;

// The function from sgio.dll; the forwarder must land on kernel32's own export. Returned as the
// generic function pointer type, which converts to any other without a -Wcast-function-type.
typedef void (*generic_fn)(void);
static generic_fn resolve(const char* name, int forwarded) {
  FARPROC p = GetProcAddress(sgio, name);
  EXPECT(p != NULL, "sgio.dll does not export %s", name);
  if (p && forwarded) {
    FARPROC k = GetProcAddress(kernel32, name);
    EXPECT(p == k, "%s from sgio.dll (%p) is not kernel32's (%p)", name, (void*)p, (void*)k);
  }
  return (generic_fn)p;
}

int main(void) {
  sgio = LoadLibraryW(L"sgio.dll");
  if (!sgio) {
    fprintf(stderr, "LoadLibraryW(sgio.dll) failed: %lu\n", (unsigned long)GetLastError());
    return 1;
  }
  kernel32 = GetModuleHandleW(L"kernel32.dll");
  GetSystemInfo_fn pGetSystemInfo = (GetSystemInfo_fn)resolve("GetSystemInfo", 1);
  VirtualAlloc_fn pVirtualAlloc = (VirtualAlloc_fn)resolve("VirtualAlloc", 1);
  VirtualFree_fn pVirtualFree = (VirtualFree_fn)resolve("VirtualFree", 1);
  CreateFileW_fn pCreateFileW = (CreateFileW_fn)resolve("CreateFileW", 1);
  CloseHandle_fn pCloseHandle = (CloseHandle_fn)resolve("CloseHandle", 1);
  DeleteFileW_fn pDeleteFileW = (DeleteFileW_fn)resolve("DeleteFileW", 1);
  CreateEventW_fn pCreateEventW = (CreateEventW_fn)resolve("CreateEventW", 1);
  Gather_fn pWriteFileGather = (Gather_fn)resolve("WriteFileGather", 1);
  Gather_fn pReadFileScatter = (Gather_fn)resolve("ReadFileScatter", 1);
  GetOverlappedResult_fn pGetOverlappedResult = (GetOverlappedResult_fn)resolve("GetOverlappedResult", 1);
  GetFileSizeEx_fn pGetFileSizeEx = (GetFileSizeEx_fn)resolve("GetFileSizeEx", 1);
  GetLastError_fn pGetLastError = (GetLastError_fn)resolve("GetLastError", 1);
  sgio_version_fn psgio_version = (sgio_version_fn)resolve("sgio_version", 0);
  if (failures) return 1;

  uint32_t major = 0;
  EXPECT(psgio_version(&major, NULL, NULL) != 0 && major >= 1, "the native face answers too");

  SYSTEM_INFO si;
  pGetSystemInfo(&si);
  const DWORD page = si.dwPageSize;
  enum { kPages = 8 };
  // Two blocks: the pages to write (gathered in a shuffled order) and the pages to read into.
  uint8_t* out = (uint8_t*)pVirtualAlloc(NULL, (SIZE_T)kPages * page, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  uint8_t* in = (uint8_t*)pVirtualAlloc(NULL, (SIZE_T)kPages * page, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  EXPECT(out && in, "VirtualAlloc");
  if (!out || !in) return 1;
  for (DWORD i = 0; i < kPages * page; ++i) out[i] = (uint8_t)(i * 7 + i / page);

  FILE_SEGMENT_ELEMENT segs[kPages + 1];
  for (int i = 0; i < kPages; ++i) segs[i].Buffer = PtrToPtr64(out + (size_t)((i * 3) % kPages) * page);
  segs[kPages].Buffer = NULL;

  const wchar_t* path = L"sgio_loadlibrary_flow.dat";
  HANDLE h = pCreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                          FILE_FLAG_NO_BUFFERING | FILE_FLAG_OVERLAPPED, NULL);
  EXPECT(h != INVALID_HANDLE_VALUE, "CreateFileW: %lu", (unsigned long)pGetLastError());
  if (h == INVALID_HANDLE_VALUE) return 1;

  OVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  ov.hEvent = pCreateEventW(NULL, TRUE, FALSE, NULL);
  DWORD done = 0;
  BOOL ok = pWriteFileGather(h, segs, kPages * page, NULL, &ov);
  EXPECT(ok || pGetLastError() == ERROR_IO_PENDING, "WriteFileGather: %lu", (unsigned long)pGetLastError());
  EXPECT(pGetOverlappedResult(h, &ov, &done, TRUE), "GetOverlappedResult (write): %lu", (unsigned long)pGetLastError());
  EXPECT(done == kPages * page, "wrote %lu bytes", (unsigned long)done);
  LARGE_INTEGER size;
  EXPECT(pGetFileSizeEx(h, &size) && size.QuadPart == (LONGLONG)kPages * page, "file size %lld", (long long)size.QuadPart);

  FILE_SEGMENT_ELEMENT back[kPages + 1];
  for (int i = 0; i < kPages; ++i) back[i].Buffer = PtrToPtr64(in + (size_t)i * page);
  back[kPages].Buffer = NULL;
  memset(&ov, 0, sizeof ov);
  ov.hEvent = pCreateEventW(NULL, TRUE, FALSE, NULL);
  done = 0;
  ok = pReadFileScatter(h, back, kPages * page, NULL, &ov);
  EXPECT(ok || pGetLastError() == ERROR_IO_PENDING, "ReadFileScatter: %lu", (unsigned long)pGetLastError());
  EXPECT(pGetOverlappedResult(h, &ov, &done, TRUE), "GetOverlappedResult (read): %lu", (unsigned long)pGetLastError());
  EXPECT(done == kPages * page, "read %lu bytes", (unsigned long)done);
  for (int i = 0; i < kPages; ++i)
    EXPECT(memcmp(in + (size_t)i * page, out + (size_t)((i * 3) % kPages) * page, page) == 0,
           "page %d read back differs from the page gathered there", i);

  pCloseHandle(ov.hEvent);
  EXPECT(pCloseHandle(h), "CloseHandle");
  EXPECT(pDeleteFileW(path), "DeleteFileW: %lu", (unsigned long)pGetLastError());
  pVirtualFree(out, 0, MEM_RELEASE);
  pVirtualFree(in, 0, MEM_RELEASE);
  FreeLibrary(sgio);
  if (failures) return 1;
  printf("seed flow through sgio.dll: %d pages of %lu bytes gathered, scattered back and verified\n", kPages,
         (unsigned long)page);
  return 0;
}
