package dev.otelretention.testing.datadog;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The checks of the Agent's v0.4 traces and the intake's v2 series and v2 logs: each decodes a
 * request body for real, records what it carries in the fake, and returns the first violation of
 * Datadog's documented schema and limits, or {@code null}.
 */
final class IntakeChecks {
  private static final Set<String> SPAN_KEYS =
      Set.of(
          "service",
          "name",
          "resource",
          "trace_id",
          "span_id",
          "parent_id",
          "start",
          "duration",
          "error",
          "meta",
          "metrics",
          "type");

  /**
   * Strict where the intake is: a key twice in one object is a violation, not "the last one wins".
   */
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final FakeDatadog fake;

  IntakeChecks(FakeDatadog fake) {
    this.fake = fake;
  }

  String traces(HttpExchange exchange, byte[] body) throws IOException {
    if (!exchange.getRequestMethod().equals("PUT") && !exchange.getRequestMethod().equals("POST")) {
      return "traces need PUT or POST";
    }
    if (!"application/msgpack".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      return "traces need Content-Type application/msgpack";
    }
    if (exchange.getRequestHeaders().getFirst("Datadog-Meta-Lang") == null
        || exchange.getRequestHeaders().getFirst("Datadog-Meta-Tracer-Version") == null) {
      return "traces need Datadog-Meta-Lang and Datadog-Meta-Tracer-Version";
    }
    fake.traceRequestSizes.add(body.length);
    List<Map<String, Object>> decoded = new ArrayList<>();
    int traceCount;
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(body)) {
      traceCount = unpacker.unpackArrayHeader();
      for (int t = 0; t < traceCount; t++) {
        int spanCount = unpacker.unpackArrayHeader();
        for (int s = 0; s < spanCount; s++) {
          Map<String, Object> span = new LinkedHashMap<>();
          int fields = unpacker.unpackMapHeader();
          for (int f = 0; f < fields; f++) {
            String key = unpacker.unpackString();
            ValueType type = unpacker.getNextFormat().getValueType();
            switch (key) {
              case "service", "name", "resource", "type" -> {
                if (type != ValueType.STRING) {
                  return key + " must be a string";
                }
                span.put(key, unpacker.unpackString());
              }
              case "trace_id", "span_id", "parent_id", "start", "duration", "error" -> {
                if (type != ValueType.INTEGER) {
                  return key + " must be an integer";
                }
                BigInteger number = unpacker.unpackBigInteger();
                if (number.signum() < 0) {
                  return key + " must not be negative";
                }
                span.put(key, number);
              }
              case "meta" -> {
                Map<String, String> meta = new LinkedHashMap<>();
                int metaSize = unpacker.unpackMapHeader();
                for (int m = 0; m < metaSize; m++) {
                  meta.put(unpacker.unpackString(), unpacker.unpackString());
                }
                span.put(key, meta);
              }
              case "metrics" -> {
                Map<String, Double> metrics = new LinkedHashMap<>();
                int metricsSize = unpacker.unpackMapHeader();
                for (int m = 0; m < metricsSize; m++) {
                  String name = unpacker.unpackString();
                  if (unpacker.getNextFormat().getValueType() != ValueType.FLOAT) {
                    return "metrics." + name + " must be a float";
                  }
                  metrics.put(name, unpacker.unpackDouble());
                }
                span.put(key, metrics);
              }
              default -> {
                return "unknown span field " + key;
              }
            }
          }
          if (!span.keySet().equals(SPAN_KEYS)) {
            return "span fields " + span.keySet() + " are not " + SPAN_KEYS;
          }
          decoded.add(span);
        }
      }
      if (unpacker.hasNext()) {
        return "bytes after the traces array";
      }
    }
    String declared = exchange.getRequestHeaders().getFirst("X-Datadog-Trace-Count");
    if (declared == null || Integer.parseInt(declared) != traceCount) {
      return "X-Datadog-Trace-Count " + declared + " but " + traceCount + " traces";
    }
    fake.spans.addAll(decoded);
    return null;
  }

  private byte[] intakeBody(
      HttpExchange exchange, byte[] body, int decompressedLimit, List<String> problems)
      throws IOException {
    if (!FakeDatadog.API_KEY.equals(exchange.getRequestHeaders().getFirst("DD-API-KEY"))) {
      problems.add(FakeDatadog.KEY_PROBLEM + "DD-API-KEY");
    }
    if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      problems.add("intake needs Content-Type application/json");
    }
    byte[] plain = body;
    if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        plain = in.readAllBytes();
      }
    }
    if (plain.length > decompressedLimit) {
      problems.add("payload of " + plain.length + " bytes exceeds " + decompressedLimit);
    }
    return plain;
  }

  String series(HttpExchange exchange, byte[] body) throws IOException {
    List<String> problems = new ArrayList<>();
    if (body.length > FakeDatadog.SERIES_COMPRESSED_LIMIT) {
      problems.add(
          "series payload of "
              + body.length
              + " bytes exceeds "
              + FakeDatadog.SERIES_COMPRESSED_LIMIT);
    }
    byte[] plain = intakeBody(exchange, body, FakeDatadog.SERIES_DECOMPRESSED_LIMIT, problems);
    fake.seriesRequestSizes.add(plain.length);
    JsonNode root = JSON.readTree(plain);
    long now = System.currentTimeMillis() / 1000;
    for (JsonNode one : root.path("series")) {
      if (!one.path("metric").isTextual()) {
        problems.add("metric must be a string");
      }
      int type = one.path("type").asInt(-1);
      if (!one.path("type").isInt() || type < 0 || type > 3) {
        problems.add("type must be 0..3");
      }
      for (JsonNode point : one.path("points")) {
        long timestamp = point.path("timestamp").asLong();
        if (!point.path("timestamp").isIntegralNumber() || !point.path("value").isNumber()) {
          problems.add("points need an integer timestamp and a number value");
        }
        if (timestamp < now - 3600 || timestamp > now + 600) {
          problems.add("timestamp " + timestamp + " outside [now-1h, now+10m]");
        }
      }
      for (JsonNode tag : one.path("tags")) {
        if (!tag.isTextual() || tag.asText().length() > 200) {
          problems.add("bad tag " + tag);
        }
      }
      fake.series.add(one);
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  String logs(HttpExchange exchange, byte[] body) throws IOException {
    List<String> problems = new ArrayList<>();
    byte[] plain = intakeBody(exchange, body, FakeDatadog.LOGS_LIMIT, problems);
    JsonNode root = JSON.readTree(plain);
    if (!root.isArray()) {
      return "logs must be a JSON array";
    }
    if (root.size() > FakeDatadog.LOGS_PER_PAYLOAD) {
      problems.add(root.size() + " logs in one payload");
    }
    fake.logRequestEntries.add(root.size());
    for (JsonNode entry : root) {
      if (JSON.writeValueAsBytes(entry).length > FakeDatadog.LOG_ENTRY_LIMIT) {
        problems.add("a log entry exceeds " + FakeDatadog.LOG_ENTRY_LIMIT + " bytes");
      }
      if (!entry.path("message").isTextual() || !entry.path("status").isTextual()) {
        problems.add("logs need a message and a status");
      }
      fake.logs.add(entry);
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }
}
