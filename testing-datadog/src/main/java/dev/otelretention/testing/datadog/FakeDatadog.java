package dev.otelretention.testing.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the Datadog Agent and intake on 127.0.0.1: decodes every request for real (msgpack, gzip,
 * JSON, the sketch protobuf), checks headers, sizes and field types against Datadog's documented
 * schema and limits, records what arrived, and answers with scripted statuses when a test asks for
 * them. Violations are answered with 400 and recorded. Built from Datadog's documented formats, not
 * from Datadog's code: the tests also check payloads with Datadog's own API client models.
 */
public final class FakeDatadog implements AutoCloseable {
  /**
   * The only API key the fake intake accepts; any other is answered with 403, as Datadog answers a
   * key it does not know.
   */
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

  /** How a check's answer about a missing or unknown API key starts. */
  static final String KEY_PROBLEM = "missing or wrong ";

  /** A status to answer with instead of accepting, and its headers. */
  public record Scripted(int status, Map<String, String> headers, String body) {}

  /** Decoded spans, as maps of their msgpack fields. */
  public final List<Map<String, Object>> spans = Collections.synchronizedList(new ArrayList<>());

  /** Decoded series. */
  public final List<JsonNode> series = Collections.synchronizedList(new ArrayList<>());

  /**
   * A decoded {@code Sketch} of Datadog's {@code agent-payload} protobuf with one of its {@code
   * Dogsketch}es: {@code keys} and {@code counts} are its {@code k} and {@code n} columns.
   */
  public record Sketch(
      String metric,
      String host,
      List<String> tags,
      long timestamp,
      long count,
      double min,
      double max,
      double avg,
      double sum,
      int[] keys,
      long[] counts) {}

  /** Decoded sketches, one entry per {@code Dogsketch}. */
  public final List<Sketch> sketches = Collections.synchronizedList(new ArrayList<>());

  /**
   * A request to the OTLP intake: its path, its headers (names in lower case) and its body decoded
   * with the official OTLP classes ({@code ExportTraceServiceRequest}, {@code
   * ExportMetricsServiceRequest} or {@code ExportLogsServiceRequest}).
   */
  public record OtlpRequest(String path, Map<String, String> headers, Object body) {}

  /** Requests to the OTLP intake, in the order they arrived. */
  public final List<OtlpRequest> otlpRequests = Collections.synchronizedList(new ArrayList<>());

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

  private final Map<String, Deque<Scripted>> scripts = new ConcurrentHashMap<>();
  private final IntakeChecks checks = new IntakeChecks(this);
  private final SketchIntake sketchIntake = new SketchIntake(this);
  private final OtlpIntake otlpIntake = new OtlpIntake(this);
  private final AtomicInteger threads = new AtomicInteger();
  private HttpServer server;
  private ExecutorService executor;
  private int port;

  /** Starts the server on a free loopback port. */
  public FakeDatadog() throws IOException {
    start();
  }

  /**
   * Accepts requests again after {@link #stop()}, on the same port (the first start takes a free
   * one). Requests are handled concurrently, as the real Agent and intake do, so that a slow
   * request does not hold up the others and throughput figures measure the client.
   */
  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    port = server.getAddress().getPort();
    server.createContext("/v0.4/traces", exchange -> handle(exchange, checks::traces));
    server.createContext("/api/v2/series", exchange -> handle(exchange, checks::series));
    server.createContext("/api/v2/logs", exchange -> handle(exchange, checks::logs));
    server.createContext(
        "/api/beta/sketches", exchange -> handle(exchange, sketchIntake::sketches));
    server.createContext("/v1/traces", exchange -> handle(exchange, otlpIntake::traces));
    server.createContext("/v1/metrics", exchange -> handle(exchange, otlpIntake::metrics));
    server.createContext("/v1/logs", exchange -> handle(exchange, otlpIntake::logs));
    executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "fake-datadog-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.start();
  }

  /** Refuses connections until {@link #start()}, as a Datadog Agent that is away. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
      executor = null;
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
    scripts.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(answers));
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
      // as Datadog answers a key it does not know: 403 Forbidden
      int status = problem.startsWith(KEY_PROBLEM) ? 403 : 400;
      answer(exchange, status, "{\"errors\":[\"" + problem.replace("\"", "'") + "\"]}");
    } else {
      answer(exchange, path.startsWith("/v0.4") ? 200 : 202, path.startsWith("/v1/") ? "" : "{}");
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    // the JDK's server reads 0 as "chunked": an empty body is -1
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** Stops the server. */
  @Override
  public void close() {
    stop();
  }
}
