package dev.otelretention.benchmarks.clickhouse;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * Bytes of an insert body on the wire per codec, computed with each codec's own library at the
 * exporter's settings (LZ4 frames of 64 KiB blocks, zstd level 3, gzip's default level).
 */
final class WireSize {
  private WireSize() {}

  static long of(String codec, byte[] body) {
    try {
      return switch (codec) {
        case "none" -> body.length;
        case "zstd" -> Zstd.compress(body, 3).length;
        case "lz4" -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          try (LZ4FrameOutputStream lz4 =
              new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB)) {
            lz4.write(body);
          }
          yield out.size();
        }
        case "gzip" -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
          }
          yield out.size();
        }
        default -> throw new IllegalArgumentException("no codec " + codec);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
