package dev.otelretention.exporter.clickhouse.internal;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.otelretention.common.ObjectPool;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection.RowsWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses the body of an insert in the codec the exporter was given, named as the HTTP
 * content-coding that ClickHouse's HTTP interface reads ({@code lz4}, {@code zstd}, {@code gzip}).
 * The body is compressed here rather than by the client, which compresses with LZ4 only.
 */
final class InsertCompression {
  /** zstd's own default level: about half LZ4's bytes on telemetry rows, at 1.4 times its CPU. */
  static final int ZSTD_LEVEL = 3;

  private static final int GZIP_BUFFER = 64 * 1024;

  /** LZ4 frame writers reused by every insert, held by this class, not by the sending threads. */
  private static final ObjectPool<Lz4FrameStream> LZ4_FRAMES =
      new ObjectPool<>(Lz4FrameStream::new);

  private InsertCompression() {}

  /**
   * The rows written through the codec.
   *
   * @param codec {@code lz4}, {@code zstd} or {@code gzip}
   */
  static RowsWriter compressed(String codec, RowsWriter rows) {
    return switch (codec) {
      case "lz4" -> out -> lz4(rows, out);
      case "zstd" ->
          out -> {
            try (ZstdOutputStreamNoFinalizer zstd =
                new ZstdOutputStreamNoFinalizer(new Unclosed(out), RecyclingBufferPool.INSTANCE)) {
              zstd.setLevel(ZSTD_LEVEL);
              rows.writeTo(zstd);
            }
          };
      case "gzip" ->
          out -> {
            try (GZIPOutputStream gzip = new GZIPOutputStream(new Unclosed(out), GZIP_BUFFER)) {
              rows.writeTo(gzip);
            }
          };
      default -> throw new IllegalArgumentException("no insert codec " + codec);
    };
  }

  private static void lz4(RowsWriter rows, OutputStream out) throws IOException {
    Lz4FrameStream frame = LZ4_FRAMES.take();
    try {
      frame.start(out);
      rows.writeTo(frame);
      frame.finish();
    } finally {
      LZ4_FRAMES.give(frame);
    }
  }

  /**
   * The request's stream, which the client closes itself: closing a codec's stream ends the codec
   * (frees its native memory) and leaves the request's stream open.
   */
  private static final class Unclosed extends FilterOutputStream {
    Unclosed(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
