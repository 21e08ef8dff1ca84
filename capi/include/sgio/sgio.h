// SPDX-License-Identifier: Apache-2.0
/*
 * sgio.h - the native face of sgio, one include for all of it.
 *
 * The Win32-compatible face (WriteFileGather, ReadFileScatter, OVERLAPPED...) is in
 * sgio/sgio_win32.h and is not included here, so that sgio.h never clashes with <windows.h>.
 */
#ifndef SGIO_H
#define SGIO_H

#include "sgio/sgio_common.h"
#include "sgio/sgio_version.h"
#include "sgio/sgio_errors.h"
#include "sgio/sgio_memory.h"
#include "sgio/sgio_file.h"
#include "sgio/sgio_queue.h"

#endif /* SGIO_H */
