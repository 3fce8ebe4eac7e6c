package dev.otelretention.exporter.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An OTLP/HTTP receiver for the tests: decodes every request with the official OTLP protobuf
 * classes and keeps what it received; answers 200, or the status set by {@link #refuse} for the
 * next requests (with {@code Retry-After} when asked); can be stopped and started again on its
 * port.
 */
final class OtlpHttpReceiver implements AutoCloseable {
  private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
  private final List<String> headers = new CopyOnWriteArrayList<>();
  private final List<Request> requestLog = new java.util.ArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Map.Entry<String, Long>> arrivals = new CopyOnWriteArrayList<>();
  private volatile int refusalStatus = 503;
  private volatile String retryAfter;
  private volatile String refusedSignal;
  private volatile long delayMillis;
  private final SSLContext tls;
  private final boolean needClientCertificate;
  private int port;
  private HttpServer server;

  OtlpHttpReceiver() throws IOException {
    this(null, false);
  }

  /** A receiver that speaks HTTPS with {@code tls}, asking for a client certificate if told to. */
  OtlpHttpReceiver(SSLContext tls, boolean needClientCertificate) throws IOException {
    this.tls = tls;
    this.needClientCertificate = needClientCertificate;
    start();
  }

  synchronized void start() throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    if (tls == null) {
      server = HttpServer.create(address, 0);
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
              SSLParameters ssl = tls.getDefaultSSLParameters();
              ssl.setNeedClientAuth(needClientCertificate);
              parameters.setSSLParameters(ssl);
            }
          });
      server = https;
    }
    port = server.getAddress().getPort();
    server.createContext("/v1/traces", exchange -> handle(exchange, "traces"));
    server.createContext("/v1/metrics", exchange -> handle(exchange, "metrics"));
    server.createContext("/v1/logs", exchange -> handle(exchange, "logs"));
    server.start();
  }

  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  String endpoint() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
  }

  /** The next {@code count} requests are answered {@code status} (with Retry-After if given). */
  void refuse(int count, int status, String retryAfterSeconds) {
    refuse(null, count, status, retryAfterSeconds);
  }

  /** As {@link #refuse(int, int, String)}, for the requests of {@code signal} only. */
  void refuse(String signal, int count, int status, String retryAfterSeconds) {
    refusedSignal = signal;
    refusalStatus = status;
    retryAfter = retryAfterSeconds;
    refusals.set(count);
  }

  int requests() {
    return requests.get();
  }

  /**
   * When each request of {@code signal} ({@code traces}, ...) arrived ({@link System#nanoTime()}),
   * refused ones included.
   */
  List<Long> arrivals(String signal) {
    return arrivals.stream()
        .filter(a -> a.getKey().equals(signal))
        .map(Map.Entry::getValue)
        .toList();
  }

  List<Span> spans() {
    return Received.spans(traces);
  }

  List<LogRecord> logRecords() {
    return Received.logRecords(logs);
  }

  List<ExportMetricsServiceRequest> metricRequests() {
    return metrics;
  }

  /** The {@code X-Api-Key} header of every decoded request (empty text when it had none). */
  List<String> headers() {
    return headers;
  }

  /**
   * One decoded request as it arrived: its path, its headers (names in lower case, first value) and
   * its body after decompression.
   */
  record Request(String path, Map<String, String> headers, byte[] body) {}

  /** Every decoded request, in arrival order. */
  List<Request> requestLog() {
    synchronized (requestLog) {
      return List.copyOf(requestLog);
    }
  }

  /** Forgets every request received so far. */
  void clear() {
    traces.clear();
    metrics.clear();
    logs.clear();
    headers.clear();
    synchronized (requestLog) {
      requestLog.clear();
    }
  }

  /** How many requests were decoded (answered 200). */
  int decodedRequests() {
    return traces.size() + metrics.size() + logs.size();
  }

  /** Answers every request after {@code millis}, to see what a slow receiver does. */
  void delay(long millis) {
    delayMillis = millis;
  }

  private void handle(HttpExchange exchange, String signal) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      arrivals.add(Map.entry(signal, System.nanoTime()));
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        InputStream decoded =
            "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                ? new GZIPInputStream(in)
                : in;
        body = decoded.readAllBytes();
      }
      if ((refusedSignal == null || refusedSignal.equals(signal))
          && refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        if (retryAfter != null) {
          exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        byte[] answer = ("refused with " + refusalStatus).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(refusalStatus, answer.length);
        exchange.getResponseBody().write(answer);
        return;
      }
      Map<String, String> received = new java.util.TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) ->
                  received.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
      synchronized (requestLog) {
        requestLog.add(new Request(exchange.getRequestURI().getPath(), received, body));
      }
      String apiKey = exchange.getRequestHeaders().getFirst("X-Api-Key");
      headers.add(apiKey == null ? "" : apiKey);
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] response;
      switch (signal) {
        case "traces" -> {
          traces.add(ExportTraceServiceRequest.parseFrom(body));
          response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        }
        case "metrics" -> {
          metrics.add(ExportMetricsServiceRequest.parseFrom(body));
          response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
        }
        default -> {
          logs.add(ExportLogsServiceRequest.parseFrom(body));
          response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
        }
      }
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length);
      exchange.getResponseBody().write(response);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
