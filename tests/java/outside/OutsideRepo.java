// SPDX-License-Identifier: Apache-2.0
import io.sgio.SgioFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/** A user program: gather write + scatter read with only sgio.jar on the class path. */
public class OutsideRepo {
  public static void main(String[] args) throws Exception {
    if (System.getProperty("java.library.path").contains("sgio")) throw new AssertionError("java.library.path was set up");
    Path file = Paths.get(args[0]);
    byte[] expect = new byte[3 * 4096];
    for (int i = 0; i < expect.length; i++) expect[i] = (byte) (i * 7 + 3);
    ByteBuffer[] out = new ByteBuffer[3];
    for (int i = 0; i < 3; i++) {
      out[i] = ByteBuffer.allocateDirect(4096);
      out[i].put(expect, i * 4096, 4096).flip();
    }
    try (SgioFile f = SgioFile.open(file, SgioFile.Option.READ, SgioFile.Option.WRITE, SgioFile.Option.CREATE)) {
      long written = f.writeGather(out, 0);
      ByteBuffer a = ByteBuffer.allocateDirect(5000), b = ByteBuffer.allocateDirect(expect.length - 5000);
      long read = f.readScatter(new ByteBuffer[] {a, b}, 0);
      byte[] got = new byte[expect.length];
      a.flip().get(got, 0, 5000);
      b.flip().get(got, 5000, expect.length - 5000);
      if (written != expect.length || read != expect.length || !Arrays.equals(expect, got))
        throw new AssertionError("round trip failed: wrote " + written + ", read " + read);
      System.out.println("outside-repo: OK (" + written + " bytes written, " + read + " read)");
    }
  }
}
