// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The jar folder and load order NativeLoader picks for each JVM the jar carries natives for
 * (package io.sgio: platform() is package-private). The names must match what bindings/java lays
 * out and what tests/java/check_jar.py finds in the jar.
 */
class NativeLoaderPlatformTest {
  @Test
  void linuxNamesTheirFolders() {
    assertEquals("linux-x86_64", NativeLoader.platform("Linux", "amd64"));
    assertEquals("linux-aarch64", NativeLoader.platform("Linux", "aarch64"));
  }

  @Test
  void windowsAmd64IsWindowsX8664() {
    // os.name on Windows is "Windows 10", "Windows 11", "Windows Server 2022"; os.arch is amd64.
    for (String os : List.of("Windows 10", "Windows 11", "Windows Server 2022")) {
      assertEquals("windows-x86_64", NativeLoader.platform(os, "amd64"));
    }
    assertEquals("windows-aarch64", NativeLoader.platform("Windows 11", "aarch64"));
  }

  @Test
  void windowsLoadsSgioDllBeforeTheJniDll() {
    // sgio_jni.dll imports sgio.dll, and Windows does not search the DLL's folder: sgio.dll first.
    assertEquals(List.of("sgio.dll", "sgio_jni.dll"), NativeLoader.defaultLibraryNames("windows-x86_64"));
    assertEquals(List.of("libsgio.so.1", "libsgio_jni.so"), NativeLoader.defaultLibraryNames("linux-x86_64"));
  }
}
