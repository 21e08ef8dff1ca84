// SPDX-License-Identifier: Apache-2.0
package io.sgio;

/**
 * {@code java -jar sgio.jar}: which jar, which native library, and whether it loads here.
 */
public final class Version {
  private Version() {}

  /**
   * The version of the jar.
   *
   * @return its manifest's Implementation-Version, e.g. "1.0.0"; null when not loaded from the jar
   */
  public static String jarVersion() {
    return Version.class.getPackage().getImplementationVersion();
  }

  /**
   * The version of the loaded libsgio (loading it if needed).
   *
   * @return "MAJOR.MINOR.PATCH"
   */
  public static String nativeVersion() {
    return SgioNative.sgio_version_string();
  }

  /**
   * Prints the jar version and platform, then the native library's version and page size.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println("sgio.jar " + jarVersion() + " (" + NativeLoader.platform() + ")");
    System.out.println("libsgio " + nativeVersion() + ", page size " + SgioNative.sgio_page_size() + " bytes");
  }
}
