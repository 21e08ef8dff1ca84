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

  /** The negative SGIO_E* status. */
  private final int code;
  /** The status's name. */
  private final String codeName;
  /** Bytes that moved before the failure. */
  private final long bytesTransferred;

  /**
   * An exception for a failed call; the binding makes these itself from the library's last error.
   *
   * @param code             the negative SGIO_E* status
   * @param codeName         the status's name, e.g. "SGIO_ENOENT"
   * @param message          the detail message
   * @param bytesTransferred bytes that moved before the failure (0 if none)
   */
  public SgioException(int code, String codeName, String message, long bytesTransferred) {
    super(message);
    this.code = code;
    this.codeName = codeName;
    this.bytesTransferred = bytesTransferred;
  }

  /**
   * The status code.
   *
   * @return one of the negative SGIO_E* values of sgio_errors.h
   */
  public int code() {
    return code;
  }

  /**
   * The code's name.
   *
   * @return e.g. "SGIO_ENOENT"
   */
  public String codeName() {
    return codeName;
  }

  /**
   * For a failed write: the bytes that reached the file before the failure (a prefix of the
   * request); for a failed read, the bytes read. 0 for calls that transfer nothing.
   *
   * @return the byte count
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
