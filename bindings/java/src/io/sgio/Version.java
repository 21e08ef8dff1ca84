// SPDX-License-Identifier: Apache-2.0
package io.sgio;

/**
 * {@code java -jar sgio.jar}: which jar, which native library, and whether it loads here.
 */
public final class Version {
  private Version() {}

  /** The version of the jar (its manifest), e.g. "1.0.0"; null when not run from the jar. */
  public static String jarVersion() {
    return Version.class.getPackage().getImplementationVersion();
  }

  /** The version of the loaded libsgio, "MAJOR.MINOR.PATCH". */
  public static String nativeVersion() {
    return SgioNative.sgio_version_string();
  }

  public static void main(String[] args) {
    System.out.println("sgio.jar " + jarVersion() + " (" + NativeLoader.platform() + ")");
    System.out.println("libsgio " + nativeVersion() + ", page size " + SgioNative.sgio_page_size() + " bytes");
  }
}
