// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import java.io.IOException;

/**
 * A failed sgio call: {@link #code()} is the negative SGIO_E* status (SgioNative.SGIO_ENOENT, ...),
 * the message carries the library's own text for the failing call (sgio_last_error_message: which
 * argument, which path, the system error).
 */
public class SgioException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String codeName;
  private final long bytesTransferred;

  public SgioException(int code, String codeName, String message, long bytesTransferred) {
    super(message);
    this.code = code;
    this.codeName = codeName;
    this.bytesTransferred = bytesTransferred;
  }

  /** The status code: one of the negative SGIO_E* values of sgio_errors.h. */
  public int code() {
    return code;
  }

  /** The code's name, e.g. "SGIO_ENOENT". */
  public String codeName() {
    return codeName;
  }

  /**
   * For a failed write: the bytes that reached the file before the failure (a prefix of the
   * request); for a failed read, the bytes read. 0 for calls that transfer nothing.
   */
  public long bytesTransferred() {
    return bytesTransferred;
  }

  /** Builds the exception for status {@code code} right after the failing call on this thread. */
  static SgioException of(int code, String operation, long bytesTransferred) {
    String detail = SgioNative.sgio_last_error_message();
    if (detail == null || detail.isEmpty()) detail = SgioNative.sgio_strerror(code);
    String name = SgioNative.sgio_error_name(code);
    return new SgioException(code, name, operation + ": " + name + ": " + detail, bytesTransferred);
  }
}
