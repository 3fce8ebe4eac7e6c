package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** The span payload's own msgpack writer gives the bytes msgpack-java's packer gives. */
class MsgpackBufferTest {
  private interface Packing {
    void pack(MessageBufferPacker packer) throws IOException;
  }

  private static void same(Packing reference, Runnable ours, MsgpackBuffer buffer)
      throws IOException {
    buffer.reset();
    ours.run();
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      reference.pack(packer);
      assertThat(Arrays.copyOf(buffer.bytes(), buffer.size())).isEqualTo(packer.toByteArray());
    }
  }

  @Test
  void integersAtEveryFormatBoundary() throws IOException {
    MsgpackBuffer buffer = new MsgpackBuffer();
    long[] values = {
      0,
      1,
      31,
      32,
      127,
      128,
      255,
      256,
      65_535,
      65_536,
      4_294_967_295L,
      4_294_967_296L,
      Long.MAX_VALUE,
      -1,
      -32,
      -33,
      -128,
      -129,
      -32_768,
      -32_769,
      Integer.MIN_VALUE,
      Integer.MIN_VALUE - 1L,
      Long.MIN_VALUE
    };
    for (long value : values) {
      same(p -> p.packLong(value), () -> buffer.signed(value), buffer);
    }
    Random random = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      same(p -> p.packLong(value), () -> buffer.signed(value), buffer);
    }
  }

  @Test
  void unsignedIdsWithTheTopBitSetAreUint64() throws IOException {
    MsgpackBuffer buffer = new MsgpackBuffer();
    for (long value : new long[] {0, 1, 0x7fffffffffffffffL, 0x8000000000000000L, -1L}) {
      same(
          p -> p.packBigInteger(new java.math.BigInteger(Long.toUnsignedString(value))),
          () -> buffer.unsigned(value),
          buffer);
    }
  }

  @Test
  void stringsOfEveryHeaderSizeAsciiAndNot() throws IOException {
    MsgpackBuffer buffer = new MsgpackBuffer();
    for (int length : new int[] {0, 1, 31, 32, 255, 256, 65_535, 65_536, 70_000}) {
      String ascii = "a".repeat(length);
      same(p -> p.packString(ascii), () -> buffer.string(ascii), buffer);
      String text = "é✓".repeat(length / 2);
      same(p -> p.packString(text), () -> buffer.string(text), buffer);
    }
  }

  @Test
  void headersAndDoubles() throws IOException {
    MsgpackBuffer buffer = new MsgpackBuffer();
    for (int entries : new int[] {0, 15, 16, 65_535, 65_536}) {
      same(p -> p.packMapHeader(entries), () -> buffer.mapHeader(entries), buffer);
      byte[] header = new byte[MsgpackBuffer.arrayHeaderLength(entries)];
      assertThat(MsgpackBuffer.arrayHeader(header, 0, entries)).isEqualTo(header.length);
      try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
        packer.packArrayHeader(entries);
        assertThat(header).isEqualTo(packer.toByteArray());
      }
    }
    for (double value : new double[] {0, -0.0, 1.5, Double.NaN, Double.MAX_VALUE}) {
      same(p -> p.packDouble(value), () -> buffer.float64(value), buffer);
    }
  }
}
