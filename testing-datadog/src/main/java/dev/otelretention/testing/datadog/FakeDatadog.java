package dev.otelretention.testing.datadog;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Plays the Datadog Agent and intake on 127.0.0.1: decodes every request for real (msgpack, gzip,
 * JSON), checks headers, sizes and field types against Datadog's documented schema and limits,
 * records what arrived, and answers with scripted statuses when a test asks for them. Violations
 * are answered with 400 and recorded. Built from Datadog's documented formats, not from Datadog's
 * code: the tests also check payloads with Datadog's own API client models.
 */
public final class FakeDatadog implements AutoCloseable {
  /** The API key the fake intake accepts. */
  public static final String API_KEY = "0123456789abcdef0123456789abcdef";

  /** Datadog's limit of a compressed series payload, in bytes. */
  public static final int SERIES_COMPRESSED_LIMIT = 512_000;

  /** Datadog's limit of a decompressed series payload, in bytes. */
  public static final int SERIES_DECOMPRESSED_LIMIT = 5_242_880;

  /** Datadog's limit of an uncompressed logs payload, in bytes. */
  public static final int LOGS_LIMIT = 5_000_000;

  /** Datadog's limit of one log entry, in bytes. */
  public static final int LOG_ENTRY_LIMIT = 1_000_000;

  /** Datadog's limit of log entries per payload. */
  public static final int LOGS_PER_PAYLOAD = 1000;

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

  /** A status to answer with instead of accepting, and its headers. */
  public record Scripted(int status, Map<String, String> headers, String body) {}

  /** Decoded spans, as maps of their msgpack fields. */
  public final List<Map<String, Object>> spans = Collections.synchronizedList(new ArrayList<>());

  /** Decoded series. */
  public final List<JsonNode> series = Collections.synchronizedList(new ArrayList<>());

  /** Decoded log entries. */
  public final List<JsonNode> logs = Collections.synchronizedList(new ArrayList<>());

  /** Schema or limit violations found; empty when every request was valid. */
  public final List<String> violations = Collections.synchronizedList(new ArrayList<>());

  /** Spans per trace request, in the order they arrived. */
  public final List<Integer> traceRequestSizes = Collections.synchronizedList(new ArrayList<>());

  /** Compressed bytes per series request. */
  public final List<Integer> seriesRequestSizes = Collections.synchronizedList(new ArrayList<>());

  /** Entries per logs request. */
  public final List<Integer> logRequestEntries = Collections.synchronizedList(new ArrayList<>());

  /** Requests per path. */
  public final Map<String, Integer> requests = Collections.synchronizedMap(new LinkedHashMap<>());

  private final Map<String, Deque<Scripted>> scripts =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private HttpServer server;
  private int port;

  /** Starts the server on a free loopback port. */
  public FakeDatadog() throws IOException {
    start();
  }

  /**
   * Accepts requests again after {@link #stop()}, on the same port (the first start takes a free
   * one).
   */
  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    port = server.getAddress().getPort();
    server.createContext("/v0.4/traces", exchange -> handle(exchange, this::traces));
    server.createContext("/api/v2/series", exchange -> handle(exchange, this::series));
    server.createContext("/api/v2/logs", exchange -> handle(exchange, this::logs));
    server.start();
  }

  /** Refuses connections until {@link #start()}, as a Datadog Agent that is away. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Trace requests received so far. */
  public int traceRequests() {
    return traceRequestSizes.size();
  }

  /** The base URL, for the Agent and both intakes. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The next requests to {@code path} are answered with these statuses, in order. */
  public void script(String path, Scripted... answers) {
    scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
  }

  private interface Handler {
    String check(HttpExchange exchange, byte[] body) throws IOException;
  }

  private void handle(HttpExchange exchange, Handler handler) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.merge(path, 1, Integer::sum);
    byte[] body = exchange.getRequestBody().readAllBytes();
    Deque<Scripted> script = scripts.get(path);
    Scripted scripted = script == null ? null : script.pollFirst();
    if (scripted != null) {
      scripted.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      answer(exchange, scripted.status(), scripted.body());
      return;
    }
    String problem;
    try {
      problem = handler.check(exchange, body);
    } catch (IOException | RuntimeException e) {
      problem = "undecodable " + path + ": " + e;
    }
    if (problem != null) {
      violations.add(problem);
      answer(exchange, 400, "{\"errors\":[\"" + problem.replace("\"", "'") + "\"]}");
    } else {
      answer(exchange, path.startsWith("/v0.4") ? 200 : 202, "{}");
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private String traces(HttpExchange exchange, byte[] body) throws IOException {
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
    traceRequestSizes.add(body.length);
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
    spans.addAll(decoded);
    return null;
  }

  private byte[] intakeBody(
      HttpExchange exchange, byte[] body, int decompressedLimit, List<String> problems)
      throws IOException {
    if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("DD-API-KEY"))) {
      problems.add("missing or wrong DD-API-KEY");
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

  private String series(HttpExchange exchange, byte[] body) throws IOException {
    List<String> problems = new ArrayList<>();
    if (body.length > SERIES_COMPRESSED_LIMIT) {
      problems.add(
          "series payload of " + body.length + " bytes exceeds " + SERIES_COMPRESSED_LIMIT);
    }
    byte[] plain = intakeBody(exchange, body, SERIES_DECOMPRESSED_LIMIT, problems);
    seriesRequestSizes.add(plain.length);
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
      series.add(one);
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private String logs(HttpExchange exchange, byte[] body) throws IOException {
    List<String> problems = new ArrayList<>();
    byte[] plain = intakeBody(exchange, body, LOGS_LIMIT, problems);
    JsonNode root = JSON.readTree(plain);
    if (!root.isArray()) {
      return "logs must be a JSON array";
    }
    if (root.size() > LOGS_PER_PAYLOAD) {
      problems.add(root.size() + " logs in one payload");
    }
    logRequestEntries.add(root.size());
    for (JsonNode entry : root) {
      if (JSON.writeValueAsBytes(entry).length > LOG_ENTRY_LIMIT) {
        problems.add("a log entry exceeds " + LOG_ENTRY_LIMIT + " bytes");
      }
      if (!entry.path("message").isTextual() || !entry.path("status").isTextual()) {
        problems.add("logs need a message and a status");
      }
      logs.add(entry);
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  /** Stops the server. */
  @Override
  public void close() {
    stop();
  }
}
