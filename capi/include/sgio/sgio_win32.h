// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_win32.h - the Win32-compatible face: kernel32's scatter/gather file I/O contract on any OS.
 *
 * Exact kernel32 names, signatures, constants and struct layouts (x64), exported with C linkage
 * from libsgio, so code written for Windows - including .NET [DllImport] declarations redirected
 * to sgio - runs unchanged. Every call that sets the last error also stores the Win32 code in
 * errno, which is what .NET's SetLastError=true reads on Unix.
 *
 * Handles (files, events, completion ports) are entries of sgio's handle table: multiples of 4,
 * never 0 or INVALID_HANDLE_VALUE; a bogus or closed handle gives ERROR_INVALID_HANDLE.
 * POSIX paths are valid paths; W functions take UTF-16.
 *
 * On Windows this header includes <windows.h>, and libsgio's .def forwards these names to kernel32.
 */
#ifndef SGIO_WIN32_H
#define SGIO_WIN32_H

#include "sgio/sgio_common.h"

#if defined(_WIN32)
#include <windows.h>
#else

#include <stdarg.h>

/* Windows headers use anonymous structs and unions; GCC and Clang accept them under
 * __extension__ even with -pedantic in C99 and C++. SWIG sees flat equivalents. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(SWIG)
#  define SGIO_W32_EXT_ __extension__
#else
#  define SGIO_W32_EXT_
#endif

typedef int32_t BOOL;
typedef uint8_t BYTE;
typedef uint8_t UCHAR;
typedef uint8_t BOOLEAN;
typedef uint16_t WORD;
typedef uint16_t WCHAR;
typedef uint32_t DWORD;
typedef uint32_t ULONG;
typedef int32_t LONG;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef uintptr_t DWORD_PTR;
typedef size_t SIZE_T;
typedef void* HANDLE;
typedef void* PVOID;
typedef void* LPVOID;
typedef const void* LPCVOID;
typedef void* PVOID64;
typedef DWORD* LPDWORD;
typedef ULONG* PULONG;
typedef ULONG_PTR* PULONG_PTR;
typedef const char* LPCSTR;
typedef const WCHAR* LPCWSTR;
typedef char* LPSTR;
typedef WCHAR* LPWSTR;
typedef HANDLE HLOCAL;
typedef LONG* PLONG;

#define TRUE 1
#define FALSE 0
#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)
#define INFINITE 0xFFFFFFFFu

/* CreateFile */
#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define FILE_SHARE_READ 0x00000001u
#define FILE_SHARE_WRITE 0x00000002u
#define FILE_SHARE_DELETE 0x00000004u
#define CREATE_NEW 1u
#define CREATE_ALWAYS 2u
#define OPEN_EXISTING 3u
#define OPEN_ALWAYS 4u
#define TRUNCATE_EXISTING 5u
#define FILE_ATTRIBUTE_READONLY 0x00000001u
#define FILE_ATTRIBUTE_NORMAL 0x00000080u
#define FILE_FLAG_WRITE_THROUGH 0x80000000u
#define FILE_FLAG_OVERLAPPED 0x40000000u
#define FILE_FLAG_NO_BUFFERING 0x20000000u
#define FILE_FLAG_RANDOM_ACCESS 0x10000000u
#define FILE_FLAG_SEQUENTIAL_SCAN 0x08000000u
#define FILE_FLAG_DELETE_ON_CLOSE 0x04000000u

/* SetFilePointerEx */
#define FILE_BEGIN 0u
#define FILE_CURRENT 1u
#define FILE_END 2u

/* GetFileSize / SetFilePointer: the failure values (also valid results: check GetLastError) */
#define INVALID_FILE_SIZE ((DWORD)0xFFFFFFFFu)
#define INVALID_SET_FILE_POINTER ((DWORD)-1)

/* LockFileEx */
#define LOCKFILE_FAIL_IMMEDIATELY 0x00000001u
#define LOCKFILE_EXCLUSIVE_LOCK 0x00000002u

/* FormatMessage */
#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x00000100u
#define FORMAT_MESSAGE_IGNORE_INSERTS 0x00000200u
#define FORMAT_MESSAGE_FROM_STRING 0x00000400u
#define FORMAT_MESSAGE_FROM_HMODULE 0x00000800u
#define FORMAT_MESSAGE_FROM_SYSTEM 0x00001000u
#define FORMAT_MESSAGE_ARGUMENT_ARRAY 0x00002000u
#define FORMAT_MESSAGE_MAX_WIDTH_MASK 0x000000FFu
#define LANG_NEUTRAL 0x00u
#define LANG_ENGLISH 0x09u
#define SUBLANG_DEFAULT 0x01u
#define SUBLANG_ENGLISH_US 0x01u
#define MAKELANGID(p, s) ((((WORD)(s)) << 10) | (WORD)(p))

/* VirtualAlloc / VirtualFree */
#define MEM_COMMIT 0x00001000u
#define MEM_RESERVE 0x00002000u
#define MEM_DECOMMIT 0x00004000u
#define MEM_RELEASE 0x00008000u
#define PAGE_NOACCESS 0x01u
#define PAGE_READONLY 0x02u
#define PAGE_READWRITE 0x04u

/* Waits */
#define WAIT_OBJECT_0 0x00000000u
#define WAIT_ABANDONED 0x00000080u
#define WAIT_TIMEOUT 0x00000102u
#define WAIT_FAILED 0xFFFFFFFFu
#define WAIT_IO_COMPLETION 0x000000C0u

/* SetFileCompletionNotificationModes */
#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1u
#define FILE_SKIP_SET_EVENT_ON_HANDLE 0x2u

/* NTSTATUS values seen in OVERLAPPED.Internal */
#define STATUS_SUCCESS 0x00000000u
#define STATUS_PENDING 0x00000103u
#define STATUS_END_OF_FILE 0xC0000011u
#define STATUS_CANCELLED 0xC0000120u

/* GetLastError() codes (winerror.h) */
#define ERROR_SUCCESS 0u
#define NO_ERROR 0u
#define ERROR_INVALID_FUNCTION 1u
#define ERROR_FILE_NOT_FOUND 2u
#define ERROR_PATH_NOT_FOUND 3u
#define ERROR_TOO_MANY_OPEN_FILES 4u
#define ERROR_ACCESS_DENIED 5u
#define ERROR_INVALID_HANDLE 6u
#define ERROR_NOT_ENOUGH_MEMORY 8u
#define ERROR_INVALID_ADDRESS 487u
#define ERROR_OUTOFMEMORY 14u
#define ERROR_WRITE_PROTECT 19u
#define ERROR_BAD_LENGTH 24u
#define ERROR_GEN_FAILURE 31u
#define ERROR_SHARING_VIOLATION 32u
#define ERROR_LOCK_VIOLATION 33u
#define ERROR_HANDLE_EOF 38u
#define ERROR_NOT_SUPPORTED 50u
#define ERROR_FILE_EXISTS 80u
#define ERROR_INVALID_PARAMETER 87u
#define ERROR_DISK_FULL 112u
#define ERROR_INSUFFICIENT_BUFFER 122u
#define ERROR_INVALID_NAME 123u
#define ERROR_NEGATIVE_SEEK 131u
#define ERROR_DIR_NOT_EMPTY 145u
#define ERROR_NOT_LOCKED 158u
#define ERROR_BUSY 170u
#define ERROR_ALREADY_EXISTS 183u
#define ERROR_FILENAME_EXCED_RANGE 206u
#define ERROR_FILE_TOO_LARGE 223u
#define ERROR_INVALID_LOCK_RANGE 307u
#define ERROR_MR_MID_NOT_FOUND 317u
#define ERROR_ABANDONED_WAIT_0 735u
#define ERROR_OPERATION_ABORTED 995u
#define ERROR_IO_INCOMPLETE 996u
#define ERROR_IO_PENDING 997u
#define ERROR_NOACCESS 998u
#define ERROR_IO_DEVICE 1117u
#define ERROR_NOT_FOUND 1168u
#define ERROR_INTERNAL_ERROR 1359u
#define ERROR_NO_SYSTEM_RESOURCES 1450u
#define ERROR_INVALID_USER_BUFFER 1784u
#define ERROR_RESOURCE_LANG_NOT_FOUND 1815u

/** One page of a gather/scatter: 8 bytes on every architecture. */
typedef union _FILE_SEGMENT_ELEMENT {
  PVOID64 Buffer;
  ULONGLONG Alignment;
} FILE_SEGMENT_ELEMENT, *PFILE_SEGMENT_ELEMENT;

/** 32 bytes, the layout of .NET System.Threading.NativeOverlapped. */
#if defined(SWIG)
typedef struct _OVERLAPPED {
  ULONG_PTR Internal;     /* NTSTATUS: STATUS_PENDING while in flight */
  ULONG_PTR InternalHigh; /* bytes transferred */
  DWORD Offset;
  DWORD OffsetHigh;
  HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;
#else
typedef struct _OVERLAPPED {
  ULONG_PTR Internal;     /* NTSTATUS: STATUS_PENDING while in flight */
  ULONG_PTR InternalHigh; /* bytes transferred */
  SGIO_W32_EXT_ union {
    SGIO_W32_EXT_ struct {
      DWORD Offset;
      DWORD OffsetHigh;
    };
    PVOID Pointer;
  };
  HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;
#endif

#if !defined(SWIG)
/** ReadFileEx/WriteFileEx completion routine: the Win32 code, the bytes moved, the request's OVERLAPPED. */
typedef void(SGIO_CALL* LPOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwErrorCode, DWORD dwNumberOfBytesTransfered,
                                                         LPOVERLAPPED lpOverlapped);
#endif

/** A dequeued completion packet (GetQueuedCompletionStatusEx). 32 bytes. */
typedef struct _OVERLAPPED_ENTRY {
  ULONG_PTR lpCompletionKey;
  LPOVERLAPPED lpOverlapped;
  ULONG_PTR Internal;
  DWORD dwNumberOfBytesTransferred;
} OVERLAPPED_ENTRY, *LPOVERLAPPED_ENTRY;

/** GetSystemInfo's result, x64 layout: 48 bytes. */
#if defined(SWIG)
typedef struct _SYSTEM_INFO {
  WORD wProcessorArchitecture;
  WORD wReserved;
  DWORD dwPageSize;
  LPVOID lpMinimumApplicationAddress;
  LPVOID lpMaximumApplicationAddress;
  DWORD_PTR dwActiveProcessorMask;
  DWORD dwNumberOfProcessors;
  DWORD dwProcessorType;
  DWORD dwAllocationGranularity;
  WORD wProcessorLevel;
  WORD wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;
#else
typedef struct _SYSTEM_INFO {
  SGIO_W32_EXT_ union {
    DWORD dwOemId;
    SGIO_W32_EXT_ struct {
      WORD wProcessorArchitecture;
      WORD wReserved;
    };
  };
  DWORD dwPageSize;
  LPVOID lpMinimumApplicationAddress;
  LPVOID lpMaximumApplicationAddress;
  DWORD_PTR dwActiveProcessorMask;
  DWORD dwNumberOfProcessors;
  DWORD dwProcessorType;
  DWORD dwAllocationGranularity;
  WORD wProcessorLevel;
  WORD wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;
#endif

#define PROCESSOR_ARCHITECTURE_AMD64 9u
#define PROCESSOR_ARCHITECTURE_ARM64 12u

/** A signed 64-bit integer as Windows spells it. */
#if defined(SWIG)
typedef struct _LARGE_INTEGER {
  LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;
#else
typedef union _LARGE_INTEGER {
  SGIO_W32_EXT_ struct {
    DWORD LowPart;
    LONG HighPart;
  };
  struct {
    DWORD LowPart;
    LONG HighPart;
  } u;
  LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;
#endif

/* 1.1 names (issue 12: what ported kernel32 storage code declares) are C-only: the SWIG bindings
 * do not wrap them (.NET code declares them itself, as for kernel32; va_list and completion-routine
 * pointers have no Java or C# proxy shape). */
#if !defined(SWIG)
/** An unsigned 64-bit integer as Windows spells it. */
typedef union _ULARGE_INTEGER {
  SGIO_W32_EXT_ struct {
    DWORD LowPart;
    DWORD HighPart;
  };
  struct {
    DWORD LowPart;
    DWORD HighPart;
  } u;
  ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

/** GetFileInformationByHandleEx's classes (the ones sgio answers; the values are Windows'). */
typedef enum _FILE_INFO_BY_HANDLE_CLASS {
  FileBasicInfo = 0,
  FileStandardInfo = 1,
  FileStorageInfo = 16,
  FileAlignmentInfo = 17
} FILE_INFO_BY_HANDLE_CLASS;

/** FileStandardInfo: 24 bytes. */
typedef struct _FILE_STANDARD_INFO {
  LARGE_INTEGER AllocationSize;
  LARGE_INTEGER EndOfFile;
  DWORD NumberOfLinks;
  BOOLEAN DeletePending;
  BOOLEAN Directory;
} FILE_STANDARD_INFO, *PFILE_STANDARD_INFO;

/** FileStorageInfo: 28 bytes. */
typedef struct _FILE_STORAGE_INFO {
  ULONG LogicalBytesPerSector;
  ULONG PhysicalBytesPerSectorForAtomicity;
  ULONG PhysicalBytesPerSectorForPerformance;
  ULONG FileSystemEffectivePhysicalBytesPerSectorForAtomicity;
  ULONG Flags;
  ULONG ByteOffsetForSectorAlignment;
  ULONG ByteOffsetForPartitionAlignment;
} FILE_STORAGE_INFO, *PFILE_STORAGE_INFO;

/** FileAlignmentInfo: 4 bytes. */
typedef struct _FILE_ALIGNMENT_INFO {
  ULONG AlignmentRequirement;
} FILE_ALIGNMENT_INFO, *PFILE_ALIGNMENT_INFO;

#define STORAGE_INFO_FLAGS_ALIGNED_DEVICE 0x00000001u
#define STORAGE_INFO_FLAGS_PARTITION_ALIGNED_ON_DEVICE 0x00000002u
#define STORAGE_INFO_OFFSET_UNKNOWN 0xFFFFFFFFu
#define FILE_BYTE_ALIGNMENT 0x00000000u
#define FILE_WORD_ALIGNMENT 0x00000001u
#define FILE_LONG_ALIGNMENT 0x00000003u
#define FILE_QUAD_ALIGNMENT 0x00000007u
#define FILE_OCTA_ALIGNMENT 0x0000000Fu
#define FILE_32_BYTE_ALIGNMENT 0x0000001Fu
#define FILE_64_BYTE_ALIGNMENT 0x0000003Fu
#define FILE_128_BYTE_ALIGNMENT 0x0000007Fu
#define FILE_256_BYTE_ALIGNMENT 0x000000FFu
#define FILE_512_BYTE_ALIGNMENT 0x000001FFu

/* GetFileType */
#define FILE_TYPE_UNKNOWN 0x0000u
#define FILE_TYPE_DISK 0x0001u
#define FILE_TYPE_CHAR 0x0002u
#define FILE_TYPE_PIPE 0x0003u

#endif /* !SWIG */

/** Accepted and ignored: sgio has no security descriptors. */
typedef struct _SECURITY_ATTRIBUTES {
  DWORD nLength;
  LPVOID lpSecurityDescriptor;
  BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

/* Layout pins: a change here breaks every caller compiled against Windows' headers. */
#if defined(__cplusplus)
#  define SGIO_W32_ASSERT_(c, m) static_assert(c, #m)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#  define SGIO_W32_ASSERT_(c, m) _Static_assert(c, #m)
#else
#  define SGIO_W32_ASSERT_(c, m) typedef char sgio_w32_assert_##m[(c) ? 1 : -1]
#endif
#if UINTPTR_MAX == UINT64_MAX && !defined(SWIG)
SGIO_W32_ASSERT_(sizeof(FILE_SEGMENT_ELEMENT) == 8, fse_size);
SGIO_W32_ASSERT_(sizeof(OVERLAPPED) == 32, overlapped_size);
SGIO_W32_ASSERT_(offsetof(OVERLAPPED, Internal) == 0, overlapped_internal);
SGIO_W32_ASSERT_(offsetof(OVERLAPPED, InternalHigh) == 8, overlapped_internalhigh);
SGIO_W32_ASSERT_(offsetof(OVERLAPPED, Offset) == 16, overlapped_offset);
SGIO_W32_ASSERT_(offsetof(OVERLAPPED, OffsetHigh) == 20, overlapped_offsethigh);
SGIO_W32_ASSERT_(offsetof(OVERLAPPED, Pointer) == 16, overlapped_pointer);
SGIO_W32_ASSERT_(offsetof(OVERLAPPED, hEvent) == 24, overlapped_hevent);
SGIO_W32_ASSERT_(sizeof(OVERLAPPED_ENTRY) == 32, overlapped_entry_size);
SGIO_W32_ASSERT_(offsetof(OVERLAPPED_ENTRY, lpOverlapped) == 8, overlapped_entry_ov);
SGIO_W32_ASSERT_(offsetof(OVERLAPPED_ENTRY, Internal) == 16, overlapped_entry_internal);
SGIO_W32_ASSERT_(offsetof(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred) == 24, overlapped_entry_bytes);
SGIO_W32_ASSERT_(sizeof(SYSTEM_INFO) == 48, system_info_size);
SGIO_W32_ASSERT_(offsetof(SYSTEM_INFO, dwPageSize) == 4, system_info_pagesize);
SGIO_W32_ASSERT_(offsetof(SYSTEM_INFO, lpMinimumApplicationAddress) == 8, system_info_min);
SGIO_W32_ASSERT_(offsetof(SYSTEM_INFO, dwActiveProcessorMask) == 24, system_info_mask);
SGIO_W32_ASSERT_(offsetof(SYSTEM_INFO, dwNumberOfProcessors) == 32, system_info_nproc);
SGIO_W32_ASSERT_(offsetof(SYSTEM_INFO, dwAllocationGranularity) == 40, system_info_gran);
SGIO_W32_ASSERT_(offsetof(SYSTEM_INFO, wProcessorRevision) == 46, system_info_rev);
SGIO_W32_ASSERT_(sizeof(LARGE_INTEGER) == 8, large_integer_size);
SGIO_W32_ASSERT_(sizeof(ULARGE_INTEGER) == 8, ularge_integer_size);
SGIO_W32_ASSERT_(sizeof(FILE_INFO_BY_HANDLE_CLASS) == 4, file_info_class_size);
SGIO_W32_ASSERT_(sizeof(FILE_STANDARD_INFO) == 24, file_standard_info_size);
SGIO_W32_ASSERT_(offsetof(FILE_STANDARD_INFO, NumberOfLinks) == 16, file_standard_info_links);
SGIO_W32_ASSERT_(offsetof(FILE_STANDARD_INFO, Directory) == 21, file_standard_info_directory);
SGIO_W32_ASSERT_(sizeof(FILE_STORAGE_INFO) == 28, file_storage_info_size);
SGIO_W32_ASSERT_(sizeof(FILE_ALIGNMENT_INFO) == 4, file_alignment_info_size);
#endif
#undef SGIO_W32_ASSERT_

SGIO_BEGIN_DECL

/* ---- Files ---------------------------------------------------------------------------------- */

/**
 * Open or create a file, as kernel32. dwDesiredAccess: GENERIC_READ|GENERIC_WRITE (and DELETE).
 * dwFlagsAndAttributes: FILE_FLAG_OVERLAPPED (asynchronous handle), FILE_FLAG_NO_BUFFERING
 * (O_DIRECT), FILE_FLAG_WRITE_THROUGH (O_DSYNC), FILE_FLAG_DELETE_ON_CLOSE (implies DELETE
 * access). Security attributes are accepted and ignored.
 *
 * Share modes are enforced between every CreateFile handle of the file, in every process, with
 * Windows' rule: the open is refused with ERROR_SHARING_VIOLATION unless every open handle's
 * dwShareMode allows its read/write/delete access and its dwShareMode allows every open handle's
 * access; a handle with none of those accesses is never refused and refuses nobody. Refused
 * CREATE_ALWAYS/TRUNCATE_EXISTING opens truncate nothing. Share modes live in open-file-description
 * locks (fcntl F_OFD_*) on bytes at 0x7FFFFFFFFFFFFF00 and above of the file, so a crashed process
 * releases them; other Linux programs (and sgio_file_open) ignore them, except that a program
 * write-locking the whole file with fcntl conflicts with them. A write-only handle of a file the
 * process cannot read takes no part (the locks need a readable descriptor).
 *
 * Last error: ERROR_ALREADY_EXISTS after CREATE_ALWAYS/OPEN_ALWAYS over an existing file (with
 * success), ERROR_FILE_EXISTS (CREATE_NEW), ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND,
 * ERROR_ACCESS_DENIED (also for directories), ERROR_SHARING_VIOLATION, ERROR_INVALID_PARAMETER
 * (also for unknown dwShareMode bits). Returns INVALID_HANDLE_VALUE on failure.
 */
SGIO_API HANDLE SGIO_CALL CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                      LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                                      DWORD dwFlagsAndAttributes, HANDLE hTemplateFile) SGIO_NOEXCEPT;
/** CreateFileW with a UTF-8 path. */
SGIO_API HANDLE SGIO_CALL CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                      LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                                      DWORD dwFlagsAndAttributes, HANDLE hTemplateFile) SGIO_NOEXCEPT;
/** Close a file, event or completion port. I/O in flight on a file is cancelled and waited for. */
SGIO_API BOOL SGIO_CALL CloseHandle(HANDLE hObject) SGIO_NOEXCEPT;
/**
 * Deletes a file: ERROR_SHARING_VIOLATION while a CreateFile handle (of any process) has it open
 * without FILE_SHARE_DELETE. Shared for deletion, the name goes at once (Linux has no
 * delete-pending state); open handles keep working on the unnamed file.
 */
SGIO_API BOOL SGIO_CALL DeleteFileW(LPCWSTR lpFileName) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize) SGIO_NOEXCEPT;
/** Moves the handle's file pointer (used by non-overlapped ReadFile/WriteFile and SetEndOfFile). */
SGIO_API BOOL SGIO_CALL SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                                         PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod) SGIO_NOEXCEPT;
/** Sets the file's size to the handle's file pointer. */
SGIO_API BOOL SGIO_CALL SetEndOfFile(HANDLE hFile) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL FlushFileBuffers(HANDLE hFile) SGIO_NOEXCEPT;

#if !defined(SWIG) /* 1.1, C only (see the types above) */
/**
 * @brief CreateFileA under the name a CharSet.Auto or CharSet.Ansi declaration binds to.
 *
 * kernel32 has no bare CreateFile (C headers map it to CreateFileW or CreateFileA); .NET on Linux
 * looks up only the declared name and marshals CharSet.Auto/Ansi strings as UTF-8, so this takes a
 * UTF-8 path. On Windows sgio.dll forwards it to kernel32.CreateFileA, which is what such a
 * declaration gets there.
 * @param lpFileName UTF-8 path.
 * @param dwDesiredAccess GENERIC_READ and/or GENERIC_WRITE.
 * @param dwShareMode FILE_SHARE_READ/WRITE/DELETE, as for CreateFileW.
 * @param lpSecurityAttributes accepted and ignored.
 * @param dwCreationDisposition CREATE_NEW ... TRUNCATE_EXISTING.
 * @param dwFlagsAndAttributes FILE_FLAG_* and FILE_ATTRIBUTE_*, as for CreateFileW.
 * @param hTemplateFile ignored.
 * @return the handle, or INVALID_HANDLE_VALUE with the last error CreateFileW would set.
 * @since 1.1
 */
SGIO_API HANDLE SGIO_CALL CreateFile(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                                     DWORD dwFlagsAndAttributes, HANDLE hTemplateFile) SGIO_NOEXCEPT;
/**
 * @brief The file's size split into two DWORDs.
 *
 * A size whose low DWORD is 0xFFFFFFFF is a success that looks like INVALID_FILE_SIZE: then the
 * last error is set to NO_ERROR, as on Windows, so callers tell the two apart with GetLastError.
 * @param hFile a file handle.
 * @param lpFileSizeHigh receives the high DWORD; may be NULL (the high part is then lost).
 * @return the low DWORD of the size, or INVALID_FILE_SIZE with ERROR_INVALID_HANDLE.
 * @since 1.1
 */
SGIO_API DWORD SGIO_CALL GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh) SGIO_NOEXCEPT;
/**
 * @brief Moves the file pointer, with the 32/64-bit split of the original API.
 *
 * With lpDistanceToMoveHigh NULL the distance is the signed 32-bit lDistanceToMove and the new
 * position must fit in 32 bits (else ERROR_INVALID_PARAMETER and the pointer does not move); with
 * it, the distance is the 64-bit value high:low and *lpDistanceToMoveHigh receives the new high
 * DWORD. A new position whose low DWORD is 0xFFFFFFFF is a success that sets NO_ERROR.
 * @param hFile a CreateFile handle.
 * @param lDistanceToMove the low 32 bits of the distance (signed when alone).
 * @param lpDistanceToMoveHigh in: the high 32 bits; out: the new position's high DWORD; or NULL.
 * @param dwMoveMethod FILE_BEGIN, FILE_CURRENT or FILE_END.
 * @return the low DWORD of the new position, or INVALID_SET_FILE_POINTER with the last error
 *         ERROR_NEGATIVE_SEEK (before the start), ERROR_INVALID_PARAMETER or ERROR_INVALID_HANDLE.
 * @since 1.1
 */
SGIO_API DWORD SGIO_CALL SetFilePointer(HANDLE hFile, LONG lDistanceToMove, PLONG lpDistanceToMoveHigh,
                                        DWORD dwMoveMethod) SGIO_NOEXCEPT;
#endif

#if !defined(SWIG) /* 1.1, C only (see the types above) */
/**
 * @brief Locks a byte range of the file for this handle (shared, or exclusive), as kernel32.
 *
 * The range starts at lpOverlapped's Offset/OffsetHigh. Locks are Linux open-file-description
 * locks: they exclude other CreateFile handles of the file in this process and in others, and a
 * process that dies loses its locks. Within one handle, shared locks may overlap shared locks and
 * an exclusive lock may overlap nothing the handle holds. Linux locks are advisory: ReadFile and
 * WriteFile are not refused over a range another handle locked (Windows refuses them with
 * ERROR_LOCK_VIOLATION). Bytes from 0x7FFFFFFFFFFFFF00 up are sgio's (share modes): a range is cut
 * there, and a lock lying wholly beyond is seen by this handle only. Without
 * LOCKFILE_FAIL_IMMEDIATELY the calling thread waits until the lock is granted, also on an
 * overlapped handle (where Windows would return ERROR_IO_PENDING); on an overlapped handle the
 * grant is then also reported through OVERLAPPED, hEvent and the bound completion port.
 * @param hFile a CreateFile handle with read or write access.
 * @param dwFlags LOCKFILE_EXCLUSIVE_LOCK and/or LOCKFILE_FAIL_IMMEDIATELY.
 * @param dwReserved 0.
 * @param nNumberOfBytesToLockLow the low DWORD of the length (0 is a legal zero-length lock).
 * @param nNumberOfBytesToLockHigh the high DWORD of the length.
 * @param lpOverlapped Offset/OffsetHigh: the start of the range; not NULL.
 * @return TRUE when the lock is held; FALSE with ERROR_LOCK_VIOLATION (LOCKFILE_FAIL_IMMEDIATELY
 *         and a conflicting lock, or an exclusive lock over one of this handle's own),
 *         ERROR_INVALID_LOCK_RANGE (the range passes 2^64), ERROR_INVALID_PARAMETER,
 *         ERROR_ACCESS_DENIED or ERROR_INVALID_HANDLE.
 * @since 1.1
 */
SGIO_API BOOL SGIO_CALL LockFileEx(HANDLE hFile, DWORD dwFlags, DWORD dwReserved, DWORD nNumberOfBytesToLockLow,
                                   DWORD nNumberOfBytesToLockHigh, LPOVERLAPPED lpOverlapped) SGIO_NOEXCEPT;
/**
 * @brief Releases one lock this handle holds, named by its exact start and length.
 * @param hFile the handle that took the lock.
 * @param dwReserved 0.
 * @param nNumberOfBytesToUnlockLow the low DWORD of the lock's length.
 * @param nNumberOfBytesToUnlockHigh the high DWORD of the lock's length.
 * @param lpOverlapped Offset/OffsetHigh: the lock's start; not NULL.
 * @return TRUE; FALSE with ERROR_NOT_LOCKED when the handle holds no lock with exactly that range,
 *         ERROR_INVALID_PARAMETER or ERROR_INVALID_HANDLE.
 * @since 1.1
 */
SGIO_API BOOL SGIO_CALL UnlockFileEx(HANDLE hFile, DWORD dwReserved, DWORD nNumberOfBytesToUnlockLow,
                                     DWORD nNumberOfBytesToUnlockHigh, LPOVERLAPPED lpOverlapped) SGIO_NOEXCEPT;

/**
 * @brief The kind of object behind a handle.
 * @param hFile a handle.
 * @return FILE_TYPE_DISK for a file (CreateFile or sgio_file_open; a block device included);
 *         FILE_TYPE_UNKNOWN with ERROR_INVALID_HANDLE for anything else (events, completion ports,
 *         closed or bogus handles).
 * @since 1.1
 */
SGIO_API DWORD SGIO_CALL GetFileType(HANDLE hFile) SGIO_NOEXCEPT;
/**
 * @brief File facts storage code asks for: sizes, sectors, alignment.
 *
 * FileStandardInfo: AllocationSize (st_blocks * 512), EndOfFile, NumberOfLinks, DeletePending
 * (TRUE once the file's last name is gone while it is open), Directory (FALSE: sgio opens no
 * directories). FileStorageInfo: LogicalBytesPerSector is the sector size FILE_FLAG_NO_BUFFERING
 * transfers must be multiples of; the physical fields are the device's physical block size
 * (sysfs; the logical size when unknown); Flags and ByteOffsetForPartitionAlignment from the
 * partition's start. FileAlignmentInfo: the buffer alignment NO_BUFFERING needs, minus one (0 on
 * a buffered handle).
 * @param hFile a file handle.
 * @param FileInformationClass FileStandardInfo, FileStorageInfo or FileAlignmentInfo.
 * @param lpFileInformation the class's struct.
 * @param dwBufferSize its size in bytes.
 * @return TRUE; FALSE with ERROR_INVALID_PARAMETER (any other class), ERROR_BAD_LENGTH
 *         (dwBufferSize smaller than the struct), ERROR_NOACCESS (NULL buffer) or
 *         ERROR_INVALID_HANDLE.
 * @since 1.1
 */
SGIO_API BOOL SGIO_CALL GetFileInformationByHandleEx(HANDLE hFile, FILE_INFO_BY_HANDLE_CLASS FileInformationClass,
                                                     LPVOID lpFileInformation, DWORD dwBufferSize) SGIO_NOEXCEPT;
/**
 * @brief Free and total space of the file system holding a directory (statvfs).
 * @param lpDirectoryName a directory (UTF-16), or NULL for the current directory.
 * @param lpFreeBytesAvailableToCaller receives f_bavail * f_frsize; may be NULL.
 * @param lpTotalNumberOfBytes receives f_blocks * f_frsize; may be NULL.
 * @param lpTotalNumberOfFreeBytes receives f_bfree * f_frsize (with the root-reserved blocks);
 *        may be NULL.
 * @return TRUE; FALSE with ERROR_PATH_NOT_FOUND, ERROR_ACCESS_DENIED or another mapped error.
 * @since 1.1
 */
SGIO_API BOOL SGIO_CALL GetDiskFreeSpaceExW(LPCWSTR lpDirectoryName, PULARGE_INTEGER lpFreeBytesAvailableToCaller,
                                            PULARGE_INTEGER lpTotalNumberOfBytes,
                                            PULARGE_INTEGER lpTotalNumberOfFreeBytes) SGIO_NOEXCEPT;
/**
 * @brief Windows' "valid data length" call, as far as Linux can honour it.
 *
 * Windows lets a privileged caller mark a file's bytes valid without writing them, exposing the
 * disk's old contents, to skip zero-filling. Linux never exposes old contents (unwritten space
 * reads as zeros), so there is nothing to skip: sgio preallocates [0, ValidDataLength) with
 * fallocate(FALLOC_FL_KEEP_SIZE), so later writes there allocate nothing, and the bytes still read
 * as zeros. No privilege is needed (there is no SE_MANAGE_VOLUME_NAME on Linux). A file system
 * without fallocate gives TRUE without the preallocation.
 * @param hFile a CreateFile handle with GENERIC_WRITE.
 * @param ValidDataLength from 0 to the file's size.
 * @return TRUE; FALSE with ERROR_INVALID_PARAMETER (negative or beyond the end of the file),
 *         ERROR_ACCESS_DENIED (no write access), ERROR_DISK_FULL or ERROR_INVALID_HANDLE.
 * @since 1.1
 */
SGIO_API BOOL SGIO_CALL SetFileValidData(HANDLE hFile, LONGLONG ValidDataLength) SGIO_NOEXCEPT;
#endif

/* ---- Scatter/gather and plain I/O ---------------------------------------------------------- */

/**
 * Write nNumberOfBytesToWrite bytes, one system page from each element of aSegmentArray, at the
 * offset in lpOverlapped. Requires a handle opened with GENERIC_WRITE, FILE_FLAG_OVERLAPPED and
 * FILE_FLAG_NO_BUFFERING; page-aligned buffers; a byte count and offset that are multiples of the
 * sector size; lpReserved NULL; lpOverlapped not NULL (else ERROR_INVALID_PARAMETER).
 * Returns TRUE (completed) or FALSE with ERROR_IO_PENDING; either way the completion is reported
 * through OVERLAPPED, hEvent and the bound completion port. The segment array and pages must stay
 * valid until completion.
 */
SGIO_API BOOL SGIO_CALL WriteFileGather(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[],
                                        DWORD nNumberOfBytesToWrite, LPDWORD lpReserved,
                                        LPOVERLAPPED lpOverlapped) SGIO_NOEXCEPT;
/**
 * Read into one page per element. Returns FALSE with ERROR_IO_PENDING and completes later; a read
 * starting at end of file completes with ERROR_HANDLE_EOF; one crossing it succeeds short, leaving
 * later pages untouched. Same requirements as WriteFileGather (GENERIC_READ).
 */
SGIO_API BOOL SGIO_CALL ReadFileScatter(HANDLE hFile, FILE_SEGMENT_ELEMENT aSegmentArray[],
                                        DWORD nNumberOfBytesToRead, LPDWORD lpReserved,
                                        LPOVERLAPPED lpOverlapped) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                  LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                 LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped) SGIO_NOEXCEPT;

#if !defined(SWIG) /* 1.1, C only (see the types above) */
/**
 * @brief ReadFile whose completion runs a routine on the calling thread, as an APC.
 *
 * The routine is queued to the thread that called ReadFileEx when the read ends, and runs only
 * when that thread enters an alertable wait (SleepEx with bAlertable TRUE), never on another
 * thread. OVERLAPPED's Internal/InternalHigh are written as for ReadFile; hEvent is left to the
 * caller. A read starting at or beyond end of file fails in the call with ERROR_HANDLE_EOF and
 * queues nothing.
 * @param hFile a CreateFile handle opened with FILE_FLAG_OVERLAPPED and GENERIC_READ, not bound to
 *        a completion port.
 * @param lpBuffer the destination (aligned as FILE_FLAG_NO_BUFFERING requires, on such handles).
 * @param nNumberOfBytesToRead the byte count.
 * @param lpOverlapped Offset/OffsetHigh: the file offset; must stay valid until the routine ran.
 * @param lpCompletionRoutine called with (Win32 error code, bytes read, lpOverlapped).
 * @return TRUE (last error ERROR_SUCCESS) when the read was started or done; FALSE with
 *         ERROR_HANDLE_EOF, ERROR_INVALID_PARAMETER, ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE, or
 *         the error of a read that failed inside the call.
 * @since 1.1
 */
SGIO_API BOOL SGIO_CALL ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPOVERLAPPED lpOverlapped,
                                   LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) SGIO_NOEXCEPT;
/**
 * @brief WriteFile whose completion runs a routine on the calling thread, as an APC (see ReadFileEx).
 * @param hFile a CreateFile handle opened with FILE_FLAG_OVERLAPPED and GENERIC_WRITE, not bound to
 *        a completion port.
 * @param lpBuffer the source.
 * @param nNumberOfBytesToWrite the byte count (0 completes at once, still through the routine).
 * @param lpOverlapped Offset/OffsetHigh: the file offset; must stay valid until the routine ran.
 * @param lpCompletionRoutine called with (Win32 error code, bytes written, lpOverlapped).
 * @return TRUE (last error ERROR_SUCCESS) when the write was started or done; FALSE with
 *         ERROR_INVALID_PARAMETER, ERROR_ACCESS_DENIED, ERROR_INVALID_HANDLE, or the error of a
 *         write that failed inside the call.
 * @since 1.1
 */
SGIO_API BOOL SGIO_CALL WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                    LPOVERLAPPED lpOverlapped,
                                    LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) SGIO_NOEXCEPT;
/**
 * @brief Sleeps; alertable, it runs the thread's queued completion routines instead.
 *
 * With bAlertable TRUE the thread runs every completion routine (ReadFileEx/WriteFileEx) queued to
 * it so far, in order, as soon as there is one (at once if some are already queued), and returns
 * WAIT_IO_COMPLETION; routines queued while those run wait for the next alertable wait.
 * @param dwMilliseconds how long to wait; INFINITE for no limit; 0 only checks.
 * @param bAlertable TRUE for an alertable wait.
 * @return 0 when the time passed, WAIT_IO_COMPLETION when completion routines ran.
 * @since 1.1
 */
SGIO_API DWORD SGIO_CALL SleepEx(DWORD dwMilliseconds, BOOL bAlertable) SGIO_NOEXCEPT;
#endif

/* ---- Completion ---------------------------------------------------------------------------- */

SGIO_API BOOL SGIO_CALL GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                            LPDWORD lpNumberOfBytesTransferred, BOOL bWait) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                              LPDWORD lpNumberOfBytesTransferred, DWORD dwMilliseconds,
                                              BOOL bAlertable) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL CancelIo(HANDLE hFile) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped) SGIO_NOEXCEPT;

SGIO_API HANDLE SGIO_CALL CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                       BOOL bInitialState, LPCWSTR lpName) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL SetEvent(HANDLE hEvent) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL ResetEvent(HANDLE hEvent) SGIO_NOEXCEPT;
/** Events and files (signalled when no I/O is in flight). Returns WAIT_OBJECT_0, WAIT_TIMEOUT or WAIT_FAILED. */
SGIO_API DWORD SGIO_CALL WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds) SGIO_NOEXCEPT;

SGIO_API HANDLE SGIO_CALL CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                 ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL GetQueuedCompletionStatus(HANDLE CompletionPort, LPDWORD lpNumberOfBytesTransferred,
                                                  PULONG_PTR lpCompletionKey, LPOVERLAPPED* lpOverlapped,
                                                  DWORD dwMilliseconds) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL GetQueuedCompletionStatusEx(HANDLE CompletionPort, LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                    ULONG ulCount, PULONG ulNumEntriesRemoved,
                                                    DWORD dwMilliseconds, BOOL fAlertable) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL PostQueuedCompletionStatus(HANDLE CompletionPort, DWORD dwNumberOfBytesTransferred,
                                                   ULONG_PTR dwCompletionKey, LPOVERLAPPED lpOverlapped) SGIO_NOEXCEPT;
SGIO_API BOOL SGIO_CALL SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags) SGIO_NOEXCEPT;

/* ---- Errors, memory, system ---------------------------------------------------------------- */

/** The calling thread's last Win32 error code. */
SGIO_API DWORD SGIO_CALL GetLastError(void) SGIO_NOEXCEPT;
/** Set the thread's last error (and errno). */
SGIO_API void SGIO_CALL SetLastError(DWORD dwErrCode) SGIO_NOEXCEPT;
/** MEM_RESERVE/MEM_COMMIT of zeroed, page-aligned memory (lpAddress NULL: 64 KiB-aligned). */
SGIO_API LPVOID SGIO_CALL VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType,
                                       DWORD flProtect) SGIO_NOEXCEPT;
/** MEM_RELEASE (dwSize 0, base address) or MEM_DECOMMIT. */
SGIO_API BOOL SGIO_CALL VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType) SGIO_NOEXCEPT;
SGIO_API void SGIO_CALL GetSystemInfo(LPSYSTEM_INFO lpSystemInfo) SGIO_NOEXCEPT;

#if !defined(SWIG) /* 1.1, C only (see the types above) */
/**
 * @brief Windows' message text for a Win32 error code (FORMAT_MESSAGE_FROM_SYSTEM), in UTF-16.
 *
 * Knows every code sgio sets, in Windows' en-US wording with its trailing "\r\n" (e.g. 87 gives
 * "The parameter is incorrect.\r\n"). The low byte of dwFlags is the line width: 0 keeps the
 * line breaks, FORMAT_MESSAGE_MAX_WIDTH_MASK turns them into spaces, n wraps at n columns.
 * FORMAT_MESSAGE_IGNORE_INSERTS leaves %1.. as they are; otherwise the strings come from
 * Arguments (an array of string pointers with FORMAT_MESSAGE_ARGUMENT_ARRAY, else a va_list*).
 * sgio has only the system table: FROM_STRING and a non-NULL message module are not offered.
 * @param dwFlags FORMAT_MESSAGE_FROM_SYSTEM (required), optionally ALLOCATE_BUFFER,
 *        IGNORE_INSERTS, ARGUMENT_ARRAY, FROM_HMODULE with lpSource NULL, and a line width.
 * @param lpSource NULL.
 * @param dwMessageId the Win32 error code.
 * @param dwLanguageId 0 or an English LANGID (MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US)).
 * @param lpBuffer the caller's buffer of nSize WCHARs, or with FORMAT_MESSAGE_ALLOCATE_BUFFER the
 *        address of an LPWSTR that receives a buffer to release with LocalFree.
 * @param nSize the buffer's size in WCHARs (with ALLOCATE_BUFFER: the minimum to allocate).
 * @param Arguments the inserts, or NULL.
 * @return the number of WCHARs stored, not counting the terminating NUL; 0 on failure with
 *         ERROR_MR_MID_NOT_FOUND (a code sgio does not know), ERROR_RESOURCE_LANG_NOT_FOUND,
 *         ERROR_INSUFFICIENT_BUFFER (nSize too small; nothing written) or ERROR_INVALID_PARAMETER.
 * @since 1.1
 */
SGIO_API DWORD SGIO_CALL FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                        LPWSTR lpBuffer, DWORD nSize, va_list* Arguments) SGIO_NOEXCEPT;
/**
 * @brief FormatMessageW with char text (the texts are ASCII, so the ANSI and UTF-8 forms agree).
 * @param dwFlags as for FormatMessageW.
 * @param lpSource NULL.
 * @param dwMessageId the Win32 error code.
 * @param dwLanguageId 0 or an English LANGID.
 * @param lpBuffer a buffer of nSize chars, or (ALLOCATE_BUFFER) the address of an LPSTR.
 * @param nSize the buffer's size in chars.
 * @param Arguments the inserts (char strings), or NULL.
 * @return the number of chars stored without the NUL, or 0 with the last error as FormatMessageW.
 * @since 1.1
 */
SGIO_API DWORD SGIO_CALL FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                        LPSTR lpBuffer, DWORD nSize, va_list* Arguments) SGIO_NOEXCEPT;
/**
 * @brief FormatMessageA under the name a CharSet.Auto/Ansi declaration binds to, in UTF-8.
 *
 * On Windows sgio.dll forwards it to kernel32.FormatMessageA (kernel32 has no bare name).
 * @param dwFlags as for FormatMessageW.
 * @param lpSource NULL.
 * @param dwMessageId the Win32 error code.
 * @param dwLanguageId 0 or an English LANGID.
 * @param lpBuffer a buffer of nSize chars, or (ALLOCATE_BUFFER) the address of an LPSTR.
 * @param nSize the buffer's size in chars.
 * @param Arguments the inserts (UTF-8 strings), or NULL.
 * @return the number of chars stored without the NUL, or 0 with the last error as FormatMessageW.
 * @since 1.1
 */
SGIO_API DWORD SGIO_CALL FormatMessage(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                       LPSTR lpBuffer, DWORD nSize, va_list* Arguments) SGIO_NOEXCEPT;
/**
 * @brief Frees a buffer FormatMessage allocated (FORMAT_MESSAGE_ALLOCATE_BUFFER).
 * @param hMem the buffer, or NULL.
 * @return NULL on success; hMem with ERROR_INVALID_HANDLE if sgio did not allocate it (or it was
 *         freed already).
 * @since 1.1
 */
SGIO_API HLOCAL SGIO_CALL LocalFree(HLOCAL hMem) SGIO_NOEXCEPT;
#endif

SGIO_END_DECL

#endif /* !_WIN32 */
#endif /* SGIO_WIN32_H */
