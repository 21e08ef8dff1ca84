// SPDX-License-Identifier: Apache-2.0
/*
 * sgio_csharp.i - the native face (sgio_*) for C#: module class Sgio.SgioApi (constants, status
 * enum) over the P/Invoke class Sgio.SgioNative. The idiomatic API (SgioFile, SgioQueue) is
 * hand-written on top of it in bindings/dotnet/src.
 *
 * Handles are SafeHandles (SgioFileHandle, SgioQueueHandle, hand-written): the runtime keeps them
 * alive and referenced for the call and throws ObjectDisposedException after Dispose. The
 * close/free functions take the raw IntPtr because a SafeHandle calls them from ReleaseHandle.
 * Structs are the hand-written blittable twins in Interop.cs; this file only shapes the externs.
 */
%module(imclassname="SgioNative") SgioApi

%include "sgio_csharp_typemaps.swg"

%pragma(csharp) imclassclassmodifiers="public static unsafe partial class"
%pragma(csharp) moduleclassmodifiers="public static unsafe partial class"
/* The module class keeps the constants; its copies of the functions are internal, so that
 * `using static Sgio.SgioApi;` next to `using static Sgio.SgioNative;` is not ambiguous. */
%csmethodmodifiers "internal";
%pragma(csharp) imclasscode=%{
  /// <summary>
  /// The library every extern of this class binds to: libsgio.so on Linux, libsgio.dll on Windows
  /// (the package's copy of sgio.dll: Windows file names are case-insensitive, so a native sgio.dll
  /// beside the managed Sgio.dll would be the same file).
  /// </summary>
  public const string LibraryName = "libsgio";
%}

/* The status enum keeps its C values; C# name SgioStatus. */
%rename(SgioStatus) sgio_status;
%csconstvalue("0") SGIO_OK;

/* Opaque handles as SafeHandles. */
%define SGIO_SAFEHANDLE(CTYPE, CSTYPE)
%typemap(ctype)  CTYPE * "CTYPE *"
%typemap(imtype) CTYPE * "CSTYPE"
%typemap(cstype) CTYPE * "CSTYPE"
%typemap(in)     CTYPE * %{ $1 = $input; %}
%typemap(csin)   CTYPE * "$csinput"
%typemap(ctype)  CTYPE ** "CTYPE **"
%typemap(imtype) CTYPE ** "out CSTYPE"
%typemap(cstype) CTYPE ** "out CSTYPE"
%typemap(in)     CTYPE ** %{ $1 = $input; %}
%typemap(csin)   CTYPE ** "out $csinput"
%enddef
SGIO_SAFEHANDLE(sgio_file, SgioFileHandle)
SGIO_SAFEHANDLE(sgio_queue, SgioQueueHandle)
/* ReleaseHandle's calls: the handle value itself. */
SGIO_PTR(sgio_file *releasing)
SGIO_PTR(sgio_queue *releasing)

/* Memory. */
SGIO_PTR(void *block)
SGIO_OUT(void **out, global::System.IntPtr)

/* Out-parameters (each may be NULL in C; the binding always passes a variable). */
SGIO_OUT(uint32_t *, uint)
SGIO_OUT(uint64_t *, ulong)
SGIO_OUT(int64_t *, long)

/* Structs: hand-written blittable twins, passed by ref (one) or by pointer (arrays). */
%ignore sgio_segment;
%ignore sgio_open_options;
%ignore sgio_queue_options;
%ignore sgio_request;
%ignore sgio_completion;
SGIO_REF(sgio_open_options *, SgioOpenOptions)
SGIO_REF(const sgio_open_options *, SgioOpenOptions)
SGIO_REF(sgio_queue_options *, SgioQueueOptions)
SGIO_REF(const sgio_queue_options *, SgioQueueOptions)
SGIO_RAW(const sgio_segment *, SgioSegment*)
SGIO_RAW(const sgio_request *, SgioRequest*)
SGIO_RAW(sgio_completion *, SgioCompletion*)

/* Strings. */
%apply const char *SGIO_STATIC_STRING { const char *sgio_version_string, const char *sgio_strerror,
                                        const char *sgio_error_name, const char *sgio_last_error_message };
%apply const char *SGIO_UTF8 { const char *utf8_path };

%include "sgio/sgio_common.h"
%include "sgio/sgio_version.h"
%include "sgio/sgio_errors.h"
%include "sgio/sgio_memory.h"

/* Close/free take the raw handle (see the top): re-declared with the parameter name that selects
 * the IntPtr typemap. */
%ignore sgio_file_close;
%ignore sgio_queue_free;
%include "sgio/sgio_file.h"
%include "sgio/sgio_queue.h"
%rename("%s") sgio_file_close;
%rename("%s") sgio_queue_free;
int32_t sgio_file_close(sgio_file *releasing);
int32_t sgio_queue_free(sgio_queue *releasing);
