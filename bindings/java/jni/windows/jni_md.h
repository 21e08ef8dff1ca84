/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jni_md.h for Windows x64, written for sgio's mingw-w64 cross build of the JNI DLL
 * (cmake/SgioCross.cmake passes this folder as JAVA_INCLUDE_PATH2 beside the host JDK's jni.h,
 * which includes "jni_md.h"). No Windows JDK is installed on the build machine; the definitions
 * are the ones the JNI specification fixes for this platform:
 *   - jint is a signed 32-bit integer, jlong a signed 64-bit integer, jbyte a signed 8-bit integer
 *     ("Primitive Types", JNI spec chapter 3);
 *   - native methods and JNI_OnLoad are exported from the DLL (JNIEXPORT) and use the platform's
 *     standard calling convention (JNICALL, __stdcall, which x64 ignores: one convention there).
 */
#ifndef SGIO_JNI_MD_WINDOWS_H
#define SGIO_JNI_MD_WINDOWS_H

#ifndef _WIN32
#error "bindings/java/jni/windows/jni_md.h is for Windows targets only"
#endif

#define JNIEXPORT __declspec(dllexport)
#define JNIIMPORT __declspec(dllimport)
#define JNICALL __stdcall

typedef int jint;        /* 32 bits on every Windows ABI (LLP64) */
typedef long long jlong; /* 64 bits */
typedef signed char jbyte;

#endif /* SGIO_JNI_MD_WINDOWS_H */
