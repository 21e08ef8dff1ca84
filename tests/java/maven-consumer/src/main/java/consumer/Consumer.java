// SPDX-License-Identifier: Apache-2.0
package consumer;

import io.sgio.SgioFile;
import io.sgio.SgioFile.Option;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/** A gather write and a scatter read through io.sgio:sgio as Maven resolved it. */
public final class Consumer {
  private Consumer() {}

  public static void main(String[] args) throws Exception {
    Path file = Paths.get(args[0]);
    byte[] a = new byte[1000], b = new byte[5000];
    for (int i = 0; i < a.length; i++) a[i] = (byte) (i * 7 + 1);
    for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 13 + 5);
    try (SgioFile f = SgioFile.open(file, Option.READ, Option.WRITE, Option.CREATE, Option.TRUNCATE)) {
      ByteBuffer da = ByteBuffer.allocateDirect(a.length).put(a).flip();
      ByteBuffer hb = ByteBuffer.wrap(b);
      if (f.writeGather(new ByteBuffer[] {da, hb}, 0) != 6000) throw new AssertionError("short gather");
      ByteBuffer ra = ByteBuffer.allocateDirect(a.length), rb = ByteBuffer.allocate(b.length);
      if (f.readScatter(new ByteBuffer[] {ra, rb}, 0) != 6000) throw new AssertionError("short scatter");
      byte[] back = new byte[a.length];
      ra.flip().get(back);
      if (!Arrays.equals(a, back) || !Arrays.equals(b, rb.array())) throw new AssertionError("content differs");
    }
    if (Files.size(file) != 6000) throw new AssertionError("file size " + Files.size(file));
    Files.delete(file);
    System.out.println("maven-consumer: OK (io.sgio:sgio " + io.sgio.Version.jarVersion() + ", libsgio "
        + io.sgio.Version.nativeVersion() + ")");
  }
}
