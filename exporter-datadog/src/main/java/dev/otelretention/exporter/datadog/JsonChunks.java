package dev.otelretention.exporter.datadog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs encoded JSON elements into bodies of the form {@code prefix e1,e2,... suffix} under size
 * and count limits.
 */
final class JsonChunks {
  /** One request body and how many elements it holds. */
  record Chunk(byte[] body, int elements) {}

  private JsonChunks() {}

  static List<Chunk> pack(
      List<byte[]> elements, String prefix, String suffix, int maxBytes, int maxElements) {
    List<Chunk> chunks = new ArrayList<>();
    int overhead = prefix.length() + suffix.length();
    int start = 0;
    while (start < elements.size()) {
      int size = overhead;
      int end = start;
      while (end < elements.size()
          && end - start < maxElements
          && (end == start || size + elements.get(end).length + 1 <= maxBytes)) {
        size += elements.get(end).length + 1;
        end++;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream(size);
      body.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
      for (int i = start; i < end; i++) {
        if (i > start) {
          body.write(',');
        }
        body.writeBytes(elements.get(i));
      }
      body.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
      chunks.add(new Chunk(body.toByteArray(), end - start));
      start = end;
    }
    return chunks;
  }
}
