package dev.otelretention.exporter.datadog;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Distributions as the {@code SketchPayload} of Datadog's {@code agent-payload} protobuf, which
 * {@code /api/beta/sketches} takes: {@code SketchPayload.sketches} (1), each a {@code Sketch} of
 * {@code metric} (1), {@code host} (2), {@code tags} (4) and one {@code Dogsketch} in {@code
 * dogsketches} (7): {@code ts} (1), {@code cnt} (2), {@code min} (3), {@code max} (4), {@code avg}
 * (5), {@code sum} (6), and the packed columns {@code k} (7, sint32) and {@code n} (8, uint32).
 */
final class SketchPayloads {
  private SketchPayloads() {}

  /** One encoded {@code Sketch} message with its single {@code Dogsketch}. */
  static byte[] sketch(
      String metric,
      String host,
      List<String> tags,
      long timestampSeconds,
      long count,
      double min,
      double max,
      double sum,
      AgentSketch.Bins bins) {
    byte[] dogsketch =
        message(
            out -> {
              out.writeInt64(1, timestampSeconds);
              out.writeInt64(2, count);
              out.writeDouble(3, min);
              out.writeDouble(4, max);
              out.writeDouble(5, count == 0 ? 0 : sum / count);
              out.writeDouble(6, sum);
              int keysSize = 0;
              for (int key : bins.keys()) {
                keysSize += CodedOutputStream.computeSInt32SizeNoTag(key);
              }
              out.writeTag(7, WireFormat.WIRETYPE_LENGTH_DELIMITED);
              out.writeUInt32NoTag(keysSize);
              for (int key : bins.keys()) {
                out.writeSInt32NoTag(key);
              }
              int countsSize = 0;
              for (long n : bins.counts()) {
                countsSize += CodedOutputStream.computeUInt32SizeNoTag((int) n);
              }
              out.writeTag(8, WireFormat.WIRETYPE_LENGTH_DELIMITED);
              out.writeUInt32NoTag(countsSize);
              for (long n : bins.counts()) {
                out.writeUInt32NoTag((int) n);
              }
            });
    return message(
        out -> {
          out.writeString(1, metric);
          if (host != null) {
            out.writeString(2, host);
          }
          for (String tag : tags) {
            out.writeString(4, tag);
          }
          out.writeByteArray(7, dogsketch);
        });
  }

  /**
   * {@code SketchPayload} bodies of at most {@code limit} bytes, each holding whole sketches (one
   * larger than the limit alone in its body).
   */
  static List<byte[]> pack(List<byte[]> sketches, int limit) {
    List<byte[]> payloads = new ArrayList<>();
    int first = 0;
    while (first < sketches.size()) {
      int size = 0;
      int end = first;
      while (end < sketches.size()) {
        int length = framed(sketches.get(end));
        if (end > first && size + length > limit) {
          break;
        }
        size += length;
        end++;
      }
      int from = first;
      int to = end;
      payloads.add(
          message(
              out -> {
                for (int i = from; i < to; i++) {
                  out.writeByteArray(1, sketches.get(i));
                }
              }));
      first = end;
    }
    return payloads;
  }

  private static int framed(byte[] sketch) {
    return CodedOutputStream.computeByteArraySize(1, sketch);
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writer.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
