package dev.otelretention.exporter.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.junit.jupiter.api.Test;

/** The exporter's LZ4 frames, read back by lz4-java's own frame decoder. */
class Lz4FrameStreamTest {
  private static byte[] roundTrip(Lz4FrameStream frame, byte[] data, int writeSize)
      throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    frame.start(wire);
    for (int at = 0; at < data.length; at += writeSize) {
      int length = Math.min(writeSize, data.length - at);
      if (length == 1) {
        frame.write(data[at]);
      } else {
        frame.write(data, at, length);
      }
    }
    frame.finish();
    try (LZ4FrameInputStream in =
        new LZ4FrameInputStream(new ByteArrayInputStream(wire.toByteArray()))) {
      return in.readAllBytes();
    }
  }

  @Test
  void framesAtBlockBoundariesCompressibleOrNotReadBack() throws IOException {
    Lz4FrameStream frame = new Lz4FrameStream();
    Random random = new Random(5);
    int block = Lz4FrameStream.BLOCK_SIZE;
    for (int size : new int[] {0, 1, 100, block - 1, block, block + 1, 3 * block + 17, 1 << 20}) {
      byte[] noise = new byte[size];
      random.nextBytes(noise);
      byte[] text =
          "GET /orders/{id} shop.example.com 200 "
              .repeat(size / 38 + 1)
              .substring(0, size)
              .getBytes(StandardCharsets.US_ASCII);
      for (int writeSize : new int[] {1, 7, 8192, block + 3}) {
        if (writeSize == 1 && size > block + 1) {
          continue;
        }
        // the same instance serves one frame after another, as on a sender thread
        assertThat(roundTrip(frame, noise, writeSize)).isEqualTo(noise);
        assertThat(roundTrip(frame, text, writeSize)).isEqualTo(text);
      }
    }
  }

  @Test
  void compressibleRowsShrink() throws IOException {
    byte[] text =
        "GET /orders/{id} shop.example.com 200 ".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    Lz4FrameStream frame = new Lz4FrameStream();
    frame.start(wire);
    frame.write(text, 0, text.length);
    frame.finish();
    assertThat(wire.size()).isLessThan(text.length / 10);
  }
}
