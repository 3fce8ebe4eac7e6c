package dev.otelretention.exporter.datadog;

import dev.otelretention.export.ExportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * Sends one request to the Agent or an intake and turns the answer into a retry decision: 2xx is success;
 * 429 is retried after {@code Retry-After} / {@code X-RateLimit-Reset}; 408 and 5xx are retried; 400, 403 and
 * other client errors are counted failures with the response body in the log, never retried.
 */
final class DatadogHttp {
  private static final Logger logger = Logger.getLogger(DatadogHttp.class.getName());
  private static final int BODY_IN_LOG = 500;

  private final HttpClient client;
  private final Duration timeout;
  private final AtomicBoolean apiKeyRejectionReported = new AtomicBoolean();

  DatadogHttp(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  void send(String method, URI uri, Map<String, String> headers, byte[] body, boolean gzip) throws ExportException {
    byte[] payload = gzip ? gzip(body) : body;
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
    headers.forEach(request::header);
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw ExportException.retryable(e.getClass().getName(), uri.getHost() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ExportException.retryable("interrupted", "interrupted while sending to " + uri.getHost(), e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    String answer = response.body() == null ? "" : response.body();
    String shortAnswer = answer.length() > BODY_IN_LOG ? answer.substring(0, BODY_IN_LOG) + "..." : answer;
    String errorType = "http_" + status;
    String message = method + " " + uri.getPath() + " answered " + status + ": " + shortAnswer;
    if (status == 429) {
      throw ExportException.retryAfter(errorType, message, retryAfter(response));
    }
    if (status == 408 || status >= 500) {
      throw ExportException.retryable(errorType, message, null);
    }
    if (status == 403 && headers.containsKey("DD-API-KEY") && apiKeyRejectionReported.compareAndSet(false, true)) {
      logger.severe("otel-retention: Datadog rejected the API key (HTTP 403 from " + uri.getHost()
          + "); check DD_API_KEY and DD_SITE. Metrics and logs are dropped until it is fixed.");
    }
    throw ExportException.permanent(errorType, message, null);
  }

  private static Duration retryAfter(HttpResponse<?> response) {
    for (String header : new String[] {"Retry-After", "X-RateLimit-Reset"}) {
      String value = response.headers().firstValue(header).orElse(null);
      if (value != null) {
        try {
          return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException ignored) {
          // an HTTP date or garbage: fall back to the back-off
        }
      }
    }
    return Duration.ZERO;
  }

  static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
