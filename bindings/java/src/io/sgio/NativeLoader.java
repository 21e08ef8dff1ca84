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
 * naming them in load order (libsgio.so.N first). They are copied into a fresh private directory
 * (Files.createTempDirectory), loaded by absolute path, and deleted again right away: once mapped
 * they no longer need their files. libsgio is loaded first under its SONAME, and libsgio_jni has
 * RUNPATH $ORIGIN, so its dependency resolves either way.
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

  /** "linux-x86_64", "linux-aarch64": the jar folder for this JVM. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) os = "linux";
    else if (os.startsWith("windows")) os = "windows";
    else if (os.startsWith("mac")) os = "macos";
    if (arch.equals("amd64") || arch.equals("x86-64")) arch = "x86_64";
    else if (arch.equals("arm64")) arch = "aarch64";
    return os + "-" + arch;
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
      names = List.of("libsgio.so.1", "libsgio_jni.so");
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
