package dev.otelretention.exporter.datadog;

import dev.otelretention.common.ForwardProxy;
import dev.otelretention.export.ExportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * Sends one request to the Agent or an intake and turns the answer into a retry decision: 2xx is
 * success; 429 is retried after {@code Retry-After} / {@code X-RateLimit-Reset}; 408 and 5xx are
 * retried; 400, 403 and other client errors are counted failures with the response body in the log,
 * never retried.
 */
final class DatadogHttp {
  private static final Logger logger = Logger.getLogger(DatadogHttp.class.getName());
  private static final int BODY_IN_LOG = 500;

  private final DatadogTransport transport;
  private final AtomicBoolean apiKeyRejectionReported = new AtomicBoolean();

  /** A client for requests through {@code proxy}, each with {@code timeout}. */
  DatadogHttp(Duration timeout, ForwardProxy proxy) {
    this.transport = DatadogTransport.create(timeout, proxy);
  }

  void send(String method, URI uri, Map<String, String> headers, byte[] body, boolean gzip)
      throws ExportException {
    send(method, uri, headers, body, 0, body.length, gzip);
  }

  /** Sends {@code length} bytes of {@code body} from {@code offset}. */
  void send(
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      int offset,
      int length,
      boolean gzip)
      throws ExportException {
    if ("unix".equals(uri.getScheme()) || gzip) {
      byte[] whole =
          offset == 0 && length == body.length
              ? body
              : Arrays.copyOfRange(body, offset, offset + length);
      if ("unix".equals(uri.getScheme())) {
        sendOverUnixSocket(method, uri, headers, whole);
        return;
      }
      byte[] gzipped = gzip(whole);
      sendOverHttp(method, uri, headers, gzipped, 0, gzipped.length, true);
      return;
    }
    sendOverHttp(method, uri, headers, body, offset, length, false);
  }

  private void sendOverHttp(
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] payload,
      int offset,
      int length,
      boolean gzip)
      throws ExportException {
    DatadogTransport.Answer response;
    try {
      response = transport.exchange(method, uri, headers, payload, offset, length, gzip);
    } catch (IOException e) {
      throw ExportException.retryable(
          e.getClass().getName(),
          "cannot reach " + uri.getHost() + ":" + port(uri) + ": " + ExportException.messageOf(e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ExportException.retryable(
          "interrupted", "interrupted while sending to " + uri.getHost(), e);
    }
    int status = response.status();
    if (status >= 200 && status < 300) {
      return;
    }
    String answer = response.body() == null ? "" : response.body();
    String shortAnswer =
        answer.length() > BODY_IN_LOG ? answer.substring(0, BODY_IN_LOG) + "..." : answer;
    String errorType = "http_" + status;
    String message = method + " " + uri.getPath() + " answered " + status + ": " + shortAnswer;
    if (status == 429) {
      throw ExportException.retryAfter(errorType, message, retryAfter(response));
    }
    if (status == 408 || status >= 500) {
      throw ExportException.retryable(errorType, message, null);
    }
    if (status == 403
        && headers.containsKey("DD-API-KEY")
        && apiKeyRejectionReported.compareAndSet(false, true)) {
      logger.severe(
          "otel-retention: Datadog rejected the API key (HTTP 403 from "
              + uri.getHost()
              + "); check DD_API_KEY and DD_SITE. Metrics and logs are dropped until it is fixed.");
    }
    throw ExportException.permanent(errorType, message, null);
  }

  /**
   * HTTP/1.1 over the Agent's Unix domain socket ({@code unix:///path?/v0.4/traces}: the socket
   * path, then the request path as the query). The export stage's timeout interrupts a request that
   * hangs.
   */
  private void sendOverUnixSocket(String method, URI uri, Map<String, String> headers, byte[] body)
      throws ExportException {
    String socketPath = uri.getPath();
    String requestPath = uri.getQuery() == null ? "/" : uri.getQuery();
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(requestPath).append(" HTTP/1.1\r\n");
    head.append("Host: localhost\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    String response;
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketPath))) {
      ByteBuffer request = ByteBuffer.allocate(head.length() + body.length);
      request.put(head.toString().getBytes(StandardCharsets.US_ASCII)).put(body).flip();
      while (request.hasRemaining()) {
        channel.write(request);
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        answer.write(buffer.array(), 0, buffer.limit());
        buffer.clear();
      }
      response = answer.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ExportException.retryable(
          e.getClass().getName(),
          "cannot reach " + socketPath + ": " + ExportException.messageOf(e),
          e);
    }
    String[] statusLine = response.split("\r\n", 2)[0].split(" ");
    int status;
    try {
      status = Integer.parseInt(statusLine[1]);
    } catch (RuntimeException e) {
      throw ExportException.retryable(
          "bad_response", socketPath + " answered '" + statusLine[0] + "'", e);
    }
    if (status >= 200 && status < 300) {
      return;
    }
    int bodyStart = response.indexOf("\r\n\r\n");
    String answer = bodyStart < 0 ? "" : response.substring(bodyStart + 4);
    String message =
        method
            + " "
            + requestPath
            + " answered "
            + status
            + ": "
            + (answer.length() > BODY_IN_LOG ? answer.substring(0, BODY_IN_LOG) + "..." : answer);
    if (status == 408 || status == 429 || status >= 500) {
      throw ExportException.retryable("http_" + status, message, null);
    }
    throw ExportException.permanent("http_" + status, message, null);
  }

  private static Duration retryAfter(DatadogTransport.Answer response) {
    for (String value : new String[] {response.retryAfter(), response.rateLimitReset()}) {
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

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }
}
