// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_win32_csharp.i - the Win32 face for C#: the P/Invoke class Sgio.Kernel32 holds kernel32's
 * declarations in pinvoke.net's shapes (the seed), each a DllImport into libsgio with
 * SetLastError=true, so Marshal.GetLastWin32Error() returns the Win32 code (sgio stores it in errno).
 * The module class Sgio.Win32 has the constants (and internal copies of the functions).
 *
 *   bool Kernel32.WriteFileGather(IntPtr hFile, FILE_SEGMENT_ELEMENT[] aSegmentArray,
 *        uint nNumberOfBytesToWrite, IntPtr lpReserved, [In] ref NativeOverlapped lpOverlapped)
 *   int  Kernel32.WriteFileGather(IntPtr hFile, FILE_SEGMENT_ELEMENT* aSegmentArray,
 *        int nNumberOfBytesToWrite, IntPtr lpReserved, NativeOverlapped* lpOverlapped)
 *   (ReadFileScatter likewise)
 *
 * The array/ref forms hold only for the duration of the call. sgio copies the segment list before
 * returning, but the OVERLAPPED is written at completion: for I/O that completes later, keep it in
 * memory that does not move (a local of a frame that waits, NativeMemory, VirtualAlloc).
 */
%module(imclassname="Kernel32") Win32

%include "sgio_csharp_typemaps.swg"

%pragma(csharp) imclassclassmodifiers="public static unsafe partial class"
%pragma(csharp) moduleclassmodifiers="public static unsafe partial class"
/* The module class keeps the constants; its copies of the functions are internal, so that
 * `using static Sgio.Win32;` next to `using static Sgio.Kernel32;` is not ambiguous. */
%csmethodmodifiers "internal";
%pragma(csharp) modulecode=%{
  /// <summary>((HANDLE)(intptr_t)-1): what CreateFileW returns on failure.</summary>
  public static readonly global::System.IntPtr INVALID_HANDLE_VALUE = new global::System.IntPtr(-1);
%}
%ignore INVALID_HANDLE_VALUE;

/* Scalars. BOOL is a 4-byte int: bool marshalled as UnmanagedType.Bool. */
%typemap(ctype)  BOOL "BOOL"
%typemap(imtype, outattributes="[return: global::System.Runtime.InteropServices.MarshalAs(global::System.Runtime.InteropServices.UnmanagedType.Bool)]",
                 inattributes="[global::System.Runtime.InteropServices.MarshalAs(global::System.Runtime.InteropServices.UnmanagedType.Bool)]") BOOL "bool"
%typemap(cstype) BOOL "bool"
%typemap(in)     BOOL %{ $1 = $input; %}
%typemap(out)    BOOL %{ $result = $1; %}
%typemap(csin)   BOOL "$csinput"
%typemap(csout, excode=SWIGEXCODE) BOOL {
    bool ret = $imcall;$excode
    return ret;
  }

/* LARGE_INTEGER by value is one 64-bit integer; PLARGE_INTEGER an out long. */
%ignore _LARGE_INTEGER;
%typemap(ctype)  LARGE_INTEGER "LARGE_INTEGER"
%typemap(imtype) LARGE_INTEGER "long"
%typemap(cstype) LARGE_INTEGER "long"
%typemap(in)     LARGE_INTEGER %{ $1 = $input; %}
%typemap(csin)   LARGE_INTEGER "$csinput"
SGIO_OUT(PLARGE_INTEGER, long)

/* Handles and untyped pointers. */
SGIO_PTR(HANDLE)
SGIO_PTR(PVOID)
SGIO_PTR(LPVOID)
SGIO_PTR(LPCVOID)
SGIO_PTR(LPDWORD lpReserved)
%ignore _SECURITY_ATTRIBUTES;
SGIO_PTR(LPSECURITY_ATTRIBUTES)

/* Counts the callee writes. */
SGIO_OUT(LPDWORD, uint)
SGIO_OUT(PULONG, uint)
SGIO_OUT(PULONG_PTR, global::System.UIntPtr)
SGIO_OUT(LPOVERLAPPED *, global::System.IntPtr)

/* Strings: W = UTF-16 (CharSet.Unicode), A = UTF-8 (sgio's A functions take UTF-8). */
%typemap(ctype)  LPCWSTR "LPCWSTR"
%typemap(imtype, inattributes="[global::System.Runtime.InteropServices.MarshalAs(global::System.Runtime.InteropServices.UnmanagedType.LPWStr)]") LPCWSTR "string"
%typemap(cstype) LPCWSTR "string"
%typemap(in)     LPCWSTR %{ $1 = $input; %}
%typemap(csin)   LPCWSTR "$csinput"
%apply const char *SGIO_UTF8 { LPCSTR };

/* FILE_SEGMENT_ELEMENT: the seed's blittable 8-byte struct (Win32Types.cs). The seed marks the
 * array [Out]; on .NET (Core) that makes the marshaller pass a zeroed copy instead of the caller's
 * elements (and zero the caller's array afterwards): every call fails with
 * ERROR_INVALID_PARAMETER. The binding therefore leaves the array unattributed (copied in or pinned
 * for the call; sgio copies the segment list before it returns, so that is enough).
 * tests/dotnet SignatureTests pins both facts. */
%ignore _FILE_SEGMENT_ELEMENT;
%typemap(ctype)  FILE_SEGMENT_ELEMENT [] "FILE_SEGMENT_ELEMENT *"
%typemap(imtype) FILE_SEGMENT_ELEMENT [] "FILE_SEGMENT_ELEMENT[]"
%typemap(cstype) FILE_SEGMENT_ELEMENT [] "FILE_SEGMENT_ELEMENT[]"
%typemap(in)     FILE_SEGMENT_ELEMENT [] %{ $1 = $input; %}
%typemap(csin)   FILE_SEGMENT_ELEMENT [] "$csinput"
SGIO_RAW(FILE_SEGMENT_ELEMENT *, FILE_SEGMENT_ELEMENT*)

/* OVERLAPPED is System.Threading.NativeOverlapped (same 32-byte layout). */
%ignore _OVERLAPPED;
%typemap(ctype)  LPOVERLAPPED "LPOVERLAPPED"
%typemap(imtype, inattributes="[global::System.Runtime.InteropServices.In]") LPOVERLAPPED "ref global::System.Threading.NativeOverlapped"
%typemap(cstype) LPOVERLAPPED "ref global::System.Threading.NativeOverlapped"
%typemap(in)     LPOVERLAPPED %{ $1 = $input; %}
%typemap(csin)   LPOVERLAPPED "ref $csinput"
SGIO_RAW(OVERLAPPED *, global::System.Threading.NativeOverlapped*)

/* Other structs: hand-written twins (Win32Types.cs). */
%ignore _OVERLAPPED_ENTRY;
%typemap(ctype)  LPOVERLAPPED_ENTRY "LPOVERLAPPED_ENTRY"
%typemap(imtype, inattributes="[global::System.Runtime.InteropServices.Out]") LPOVERLAPPED_ENTRY "OVERLAPPED_ENTRY[]"
%typemap(cstype) LPOVERLAPPED_ENTRY "OVERLAPPED_ENTRY[]"
%typemap(in)     LPOVERLAPPED_ENTRY %{ $1 = $input; %}
%typemap(csin)   LPOVERLAPPED_ENTRY "$csinput"
%ignore _SYSTEM_INFO;
SGIO_OUT(LPSYSTEM_INFO, SYSTEM_INFO)

%include "sgio/sgio_common.h"
%include "sgio/sgio_win32.h"

/* The unsafe forms (dotnet/runtime's Interop.FileScatterGather.cs and the seed's second
 * declaration): same C functions, reached through macro aliases, so SWIG sees overloads. The
 * post-processing step points them at WriteFileGather/ReadFileScatter. */
%{
#define WriteFileGather_unsafe WriteFileGather
#define ReadFileScatter_unsafe ReadFileScatter
%}
/* The seed's unsafe declaration returns the BOOL as a plain int. */
%typemap(imtype, outattributes="") BOOL WriteFileGather_unsafe, BOOL ReadFileScatter_unsafe "int"
%typemap(cstype) BOOL WriteFileGather_unsafe, BOOL ReadFileScatter_unsafe "int"
%typemap(csout, excode=SWIGEXCODE) BOOL WriteFileGather_unsafe, BOOL ReadFileScatter_unsafe {
    int ret = $imcall;$excode
    return ret;
  }
%rename(WriteFileGather) WriteFileGather_unsafe;
%rename(ReadFileScatter) ReadFileScatter_unsafe;
BOOL WriteFileGather_unsafe(HANDLE hFile, FILE_SEGMENT_ELEMENT *aSegmentArray, int32_t nNumberOfBytesToWrite,
                            LPDWORD lpReserved, OVERLAPPED *lpOverlapped);
BOOL ReadFileScatter_unsafe(HANDLE hFile, FILE_SEGMENT_ELEMENT *aSegmentArray, int32_t nNumberOfBytesToRead,
                            LPDWORD lpReserved, OVERLAPPED *lpOverlapped);
