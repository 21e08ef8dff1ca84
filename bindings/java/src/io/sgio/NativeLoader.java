// SPDX-License-Identifier: Apache-2.0
package io.sgio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads libsgio and libsgio_jni from the jar, so users need nothing on java.library.path.
 *
 * <p>The jar carries {@code /native/<os>-<arch>/} with the libraries and a {@code libraries.txt}
 * naming them in load order (libsgio first): {@code linux-x86_64} and {@code linux-aarch64} hold
 * libsgio.so.N and libsgio_jni.so, {@code windows-x86_64} holds sgio.dll and sgio_jni.dll. They are
 * copied into a fresh private directory (Files.createTempDirectory), loaded by absolute path, and
 * deleted again right away: once mapped they no longer need their files (Windows does not let a
 * loaded DLL's file be deleted, so there the copies stay in their private directory). libsgio is loaded first: on Linux
 * under its SONAME (libsgio_jni also has RUNPATH $ORIGIN), on Windows as the module named sgio.dll,
 * which is what sgio_jni.dll's import binds to, since Windows has no RUNPATH and would not search
 * the DLL's own folder.
 *
 * <p>System properties: {@code sgio.native.dir} loads the libraries from that directory instead
 * of the jar (development); {@code sgio.native.tmpdir} sets where the private directory is made
 * (for a java.io.tmpdir mounted noexec).
 */
final class NativeLoader {
  private static boolean loaded;
  private static Throwable failure;

  private NativeLoader() {}

  /** Called by the static initializers of the generated JNI classes. Idempotent and thread-safe. */
  static synchronized void load() {
    if (loaded) return;
    if (failure != null) {
      UnsatisfiedLinkError e = new UnsatisfiedLinkError("sgio native libraries failed to load earlier: " + failure);
      e.initCause(failure);
      throw e;
    }
    try {
      String dir = System.getProperty("sgio.native.dir");
      if (dir != null) loadFromDirectory(Paths.get(dir));
      else loadFromJar();
      loaded = true;
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      failure = e;
      if (e instanceof UnsatisfiedLinkError) throw (UnsatisfiedLinkError) e;
      UnsatisfiedLinkError ule = new UnsatisfiedLinkError("cannot load the sgio native libraries: " + e);
      ule.initCause(e);
      throw ule;
    }
  }

  /** "linux-x86_64", "linux-aarch64", "windows-x86_64": the jar folder for this JVM. */
  static String platform() {
    return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** The jar folder for os.name / os.arch ("Windows 11" / "amd64" is windows-x86_64). */
  static String platform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) os = "linux";
    else if (os.startsWith("windows")) os = "windows";
    else if (os.startsWith("mac")) os = "macos";
    if (arch.equals("amd64") || arch.equals("x86-64")) arch = "x86_64";
    else if (arch.equals("arm64")) arch = "aarch64";
    return os + "-" + arch;
  }

  /** The libraries in load order when no libraries.txt says so (sgio.native.dir with a foreign jar). */
  static List<String> defaultLibraryNames(String platform) {
    if (platform.startsWith("windows-")) return List.of("sgio.dll", "sgio_jni.dll");
    return List.of("libsgio.so.1", "libsgio_jni.so");
  }

  private static List<String> libraryNames(String folder) throws IOException {
    try (InputStream in = NativeLoader.class.getResourceAsStream(folder + "libraries.txt")) {
      if (in == null) {
        throw new UnsatisfiedLinkError("this sgio.jar has no native libraries for " + platform()
            + " (no resource " + folder + "libraries.txt)");
      }
      List<String> names = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        line = line.trim();
        if (!line.isEmpty() && !line.startsWith("#")) names.add(line);
      }
      return names;
    }
  }

  private static void loadFromJar() throws IOException {
    String folder = "/native/" + platform() + "/";
    List<String> names = libraryNames(folder);
    String parent = System.getProperty("sgio.native.tmpdir");
    Path dir = parent != null ? Files.createTempDirectory(Paths.get(parent), "sgio-native-")
                              : Files.createTempDirectory("sgio-native-");
    dir.toFile().deleteOnExit(); // registered first, so it is deleted after the files
    List<Path> files = new ArrayList<>();
    try {
      for (String name : names) {
        Path target = dir.resolve(name);
        try (InputStream in = NativeLoader.class.getResourceAsStream(folder + name)) {
          if (in == null) throw new UnsatisfiedLinkError("sgio.jar lacks " + folder + name);
          Files.copy(in, target);
        }
        target.toFile().deleteOnExit();
        files.add(target);
      }
      for (Path f : files) System.load(f.toAbsolutePath().toString());
    } finally {
      // Mapped libraries do not need their files; leave nothing behind even if the JVM is killed.
      for (Path f : files) deleteQuietly(f);
      deleteQuietly(dir);
    }
  }

  private static void loadFromDirectory(Path dir) throws IOException {
    String folder = "/native/" + platform() + "/";
    List<String> names;
    try {
      names = libraryNames(folder);
    } catch (UnsatisfiedLinkError e) {
      names = defaultLibraryNames(platform());
    }
    for (String name : names) System.load(dir.resolve(name).toAbsolutePath().toString());
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException | UncheckedIOException ignored) {
      // deleteOnExit is still registered
    }
  }
}
