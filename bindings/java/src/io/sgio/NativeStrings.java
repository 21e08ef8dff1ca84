// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings across JNI as real UTF-8 (JNI's own functions use "modified UTF-8", which differs for
 * NUL and for characters outside the BMP). Used by the generated code.
 */
final class NativeStrings {
  private NativeStrings() {}

  /** NUL-terminated UTF-8 bytes; null stays null. A NUL inside would silently cut a path short. */
  static byte[] utf8z(String s) {
    if (s == null) return null;
    noNul(s);
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(b, b.length + 1);
  }

  static String fromUtf8(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static String noNul(String s) {
    if (s != null && s.indexOf('\0') >= 0) throw new IllegalArgumentException("string contains a NUL character");
    return s;
  }
}
