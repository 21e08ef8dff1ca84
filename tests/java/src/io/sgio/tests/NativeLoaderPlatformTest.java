// SPDX-License-Identifier: Apache-2.0
package io.sgio.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The jar folder and load order io.sgio.NativeLoader picks for each JVM the jar carries natives for.
 * The names must match what bindings/java lays out and tests/java/check_jar.py finds in the jar.
 * NativeLoader is package-private (not API), so it is reached by reflection: a test class in package
 * io.sgio would define that package without the jar's manifest (Version.jarVersion() reads it).
 */
class NativeLoaderPlatformTest {
  private static Object call(String name, Class<?>[] types, Object... args) throws ReflectiveOperationException {
    Method m = Class.forName("io.sgio.NativeLoader").getDeclaredMethod(name, types);
    m.setAccessible(true);
    return m.invoke(null, args);
  }

  private static String platform(String os, String arch) throws ReflectiveOperationException {
    return (String) call("platform", new Class<?>[] {String.class, String.class}, os, arch);
  }

  @Test
  void linuxNamesTheirFolders() throws ReflectiveOperationException {
    assertEquals("linux-x86_64", platform("Linux", "amd64"));
    assertEquals("linux-aarch64", platform("Linux", "aarch64"));
  }

  @Test
  void windowsAmd64IsWindowsX8664() throws ReflectiveOperationException {
    // os.name on Windows is "Windows 10", "Windows 11", "Windows Server 2022"; os.arch is amd64.
    for (String os : List.of("Windows 10", "Windows 11", "Windows Server 2022")) {
      assertEquals("windows-x86_64", platform(os, "amd64"));
    }
    assertEquals("windows-aarch64", platform("Windows 11", "aarch64"));
  }

  @Test
  void windowsLoadsSgioDllBeforeTheJniDll() throws ReflectiveOperationException {
    // sgio_jni.dll imports sgio.dll, and Windows does not search the DLL's folder: sgio.dll first.
    Class<?>[] str = {String.class};
    assertEquals(List.of("sgio.dll", "sgio_jni.dll"), call("defaultLibraryNames", str, "windows-x86_64"));
    assertEquals(List.of("libsgio.so.1", "libsgio_jni.so"), call("defaultLibraryNames", str, "linux-x86_64"));
  }
}
