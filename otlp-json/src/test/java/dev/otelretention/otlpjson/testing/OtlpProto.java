package dev.otelretention.otlpjson.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test-side OTLP/JSON parsing with the official proto classes and protobuf's own JSON parser
 * (strict: unknown fields fail). OTLP/JSON writes trace and span ids as hex where the protobuf
 * mapping expects base64; the ids are converted first, exactly as the OTLP specification describes.
 */
public final class OtlpProto {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");

  private OtlpProto() {}

  public static ExportTraceServiceRequest traces(String json) {
    ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
    merge(json, builder);
    return builder.build();
  }

  public static ExportMetricsServiceRequest metrics(String json) {
    ExportMetricsServiceRequest.Builder builder = ExportMetricsServiceRequest.newBuilder();
    merge(json, builder);
    return builder.build();
  }

  public static ExportLogsServiceRequest logs(String json) {
    ExportLogsServiceRequest.Builder builder = ExportLogsServiceRequest.newBuilder();
    merge(json, builder);
    return builder.build();
  }

  private static void merge(String json, Message.Builder builder) {
    try {
      JsonFormat.parser().merge(hexIdsToBase64(json), builder);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(
          "not valid OTLP/JSON: " + e.getMessage() + "\n" + abbreviate(json), e);
    }
  }

  private static String abbreviate(String json) {
    return json.length() > 2000 ? json.substring(0, 2000) + "..." : json;
  }

  /** Rewrites hex id strings to base64, checking that each is lowercase hex of 16 or 8 bytes. */
  public static String hexIdsToBase64(String json) {
    StringWriter out = new StringWriter();
    try (JsonParser parser = JSON.createParser(json);
        JsonGenerator gen = JSON.createGenerator(out)) {
      JsonToken token;
      String field = null;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME) {
          field = parser.currentName();
          gen.copyCurrentEvent(parser);
          continue;
        }
        if (token == JsonToken.VALUE_STRING && field != null && ID_FIELDS.contains(field)) {
          String hex = parser.getText();
          if (!hex.matches("[0-9a-f]{16}|[0-9a-f]{32}")) {
            throw new AssertionError("id is not lowercase hex of 8 or 16 bytes: '" + hex + "'");
          }
          gen.writeString(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
        } else {
          gen.copyCurrentEvent(parser);
        }
        field = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  /** Proto attributes as a map of plain Java values. */
  public static Map<String, Object> toMap(
      List<io.opentelemetry.proto.common.v1.KeyValue> attributes) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (io.opentelemetry.proto.common.v1.KeyValue kv : attributes) {
      map.put(kv.getKey(), toJava(kv.getValue()));
    }
    return map;
  }

  public static Object toJava(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> {
        return value.getStringValue();
      }
      case BOOL_VALUE -> {
        return value.getBoolValue();
      }
      case INT_VALUE -> {
        return value.getIntValue();
      }
      case DOUBLE_VALUE -> {
        return value.getDoubleValue();
      }
      case ARRAY_VALUE -> {
        List<Object> list = new ArrayList<>();
        value.getArrayValue().getValuesList().forEach(v -> list.add(toJava(v)));
        return list;
      }
      case KVLIST_VALUE -> {
        return toMap(value.getKvlistValue().getValuesList());
      }
      case BYTES_VALUE -> {
        return "bytes:" + hex(value.getBytesValue());
      }
      default -> {
        return null;
      }
    }
  }

  /** SDK attributes as a map of plain Java values, in the same shapes as {@link #toMap(List)}. */
  public static Map<String, Object> toMap(Attributes attributes) {
    Map<String, Object> map = new LinkedHashMap<>();
    attributes.forEach(
        (key, value) ->
            map.put(
                key.getKey(),
                key.getType() == AttributeType.VALUE ? toJava((Value<?>) value) : value));
    return map;
  }

  public static Object toJava(Value<?> value) {
    if (value == null) {
      return null;
    }
    switch (value.getType()) {
      case ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (Object element : (List<?>) value.getValue()) {
          list.add(toJava((Value<?>) element));
        }
        return list;
      }
      case KEY_VALUE_LIST -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Object entry : (List<?>) value.getValue()) {
          KeyValue kv = (KeyValue) entry;
          map.put(kv.getKey(), toJava(kv.getValue()));
        }
        return map;
      }
      case BYTES -> {
        ByteBuffer buffer = ((ByteBuffer) value.getValue()).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return "bytes:" + HexFormat.of().formatHex(bytes);
      }
      case EMPTY -> {
        return null;
      }
      default -> {
        return value.getValue();
      }
    }
  }
}
