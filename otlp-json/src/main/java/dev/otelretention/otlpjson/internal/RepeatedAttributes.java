package dev.otelretention.otlpjson.internal;

import dev.otelretention.common.RepeatedStrings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * String, integer and boolean attributes written with the bytes of repeated keys, and of a key's
 * repeated string value, copied instead of encoded again: instrumentation puts the same few keys
 * and many constant values on every span. Writes the same bytes as the plain path, {@code
 * {"key":"k","value":{"stringValue":"v"}}}.
 */
final class RepeatedAttributes {
  private static final byte[] KEY = ascii("{\"key\":");
  private static final byte[] VALUE = ascii(",\"value\":{");
  private static final byte[] STRING_VALUE = ascii("\"stringValue\":");
  private static final byte[] INT_VALUE = ascii("\"intValue\":");
  private static final byte[] BOOL_VALUE = ascii("\"boolValue\":");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] END = ascii("}}");

  private RepeatedAttributes() {}

  /**
   * Writes the attribute and returns true, or returns false for the plain path to write it: other
   * types, a key seen for the first time, or one too long to keep.
   */
  static boolean write(JsonOutput out, AttributeKey<?> key, Object value) throws IOException {
    AttributeType type = key.getType();
    if (type != AttributeType.STRING
        && type != AttributeType.LONG
        && type != AttributeType.BOOLEAN) {
      return false;
    }
    RepeatedStrings repeated = out.repeated();
    int slot = repeated.slot(key.getKey());
    if (slot < 0) {
      return false;
    }
    byte[] start = repeated.keyBytes(slot);
    if (start == null) {
      byte[] name = out.quoted(key.getKey());
      if (name == null) {
        return false;
      }
      start = concat(KEY, name, VALUE);
      repeated.keepKey(slot, start);
    }
    out.rawValueStart(start);
    switch (type) {
      case STRING -> {
        out.raw(STRING_VALUE);
        string(out, repeated, slot, (String) value);
      }
      case LONG -> {
        out.raw(INT_VALUE);
        out.rawQuotedNumber((Long) value);
      }
      default -> {
        out.raw(BOOL_VALUE);
        out.raw((Boolean) value ? TRUE : FALSE);
      }
    }
    out.raw(END);
    return true;
  }

  @SuppressWarnings("ReferenceEquality") // the same String object: its bytes are known
  private static void string(JsonOutput out, RepeatedStrings repeated, int slot, String value)
      throws IOException {
    if (repeated.lastValue(slot) == value) {
      byte[] bytes = repeated.valueBytes(slot);
      if (bytes == null) {
        bytes = out.quoted(value);
        if (bytes != null) {
          repeated.keepValue(slot, bytes);
        }
      }
      if (bytes != null) {
        out.raw(bytes);
        return;
      }
    } else {
      repeated.lastValue(slot, value);
    }
    out.rawString(value);
  }

  private static byte[] concat(byte[] first, byte[] second, byte[] third) {
    byte[] all = new byte[first.length + second.length + third.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    System.arraycopy(third, 0, all, first.length + second.length, third.length);
    return all;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
