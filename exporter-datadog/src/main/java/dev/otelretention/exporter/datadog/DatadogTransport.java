package dev.otelretention.exporter.datadog;

import dev.otelretention.common.ForwardProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Flow;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * How a Datadog request crosses the network: the JDK's HTTP client, which sends the payload from
 * its own array, uncopied; or, behind a proxy that asks for credentials, OkHttp, which sends them
 * with its tunnel's {@code CONNECT} (the JDK's client does not send Basic credentials there) at the
 * price of copying the payload into its buffers.
 */
abstract class DatadogTransport {
  /** What the server answered: the status, the body when it is not a success, and its wait. */
  record Answer(int status, String body, String retryAfter, String rateLimitReset) {}

  /**
   * A transport to destinations reached through {@code proxy}, each request with {@code timeout}.
   */
  static DatadogTransport create(Duration timeout, ForwardProxy proxy) {
    return proxy.hasCredentials() ? new OkHttp(timeout, proxy) : new Jdk(timeout, proxy);
  }

  /** One request; interrupted with the calling thread. */
  abstract Answer exchange(
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] payload,
      int offset,
      int length,
      boolean gzip)
      throws IOException, InterruptedException;

  private static final class Jdk extends DatadogTransport {
    private final HttpClient client;
    private final Duration timeout;

    Jdk(Duration timeout, ForwardProxy proxy) {
      this.timeout = timeout;
      HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
      if (!proxy.isDirect()) {
        builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.host(), proxy.port())));
      }
      this.client = builder.build();
    }

    @Override
    Answer exchange(
        String method,
        URI uri,
        Map<String, String> headers,
        byte[] payload,
        int offset,
        int length,
        boolean gzip)
        throws IOException, InterruptedException {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .method(method, unCopied(payload, offset, length));
      headers.forEach(request::header);
      if (gzip) {
        request.header("Content-Encoding", "gzip");
      }
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      return new Answer(
          status,
          status >= 200 && status < 300 ? "" : response.body(),
          response.headers().firstValue("Retry-After").orElse(null),
          response.headers().firstValue("X-RateLimit-Reset").orElse(null));
    }
  }

  /**
   * The body as one buffer over the array itself: the client's {@code ofByteArray} copies the whole
   * body into new buffers for every request. The array is not changed while the request runs.
   */
  static HttpRequest.BodyPublisher unCopied(byte[] body, int offset, int length) {
    Flow.Publisher<ByteBuffer> publisher =
        subscriber ->
            subscriber.onSubscribe(
                new Flow.Subscription() {
                  private boolean done;

                  @Override
                  public void request(long n) {
                    if (done) {
                      return;
                    }
                    done = true;
                    if (n <= 0) {
                      subscriber.onError(
                          new IllegalArgumentException("non-positive request: " + n));
                      return;
                    }
                    subscriber.onNext(ByteBuffer.wrap(body, offset, length));
                    subscriber.onComplete();
                  }

                  @Override
                  public void cancel() {
                    done = true;
                  }
                });
    return HttpRequest.BodyPublishers.fromPublisher(publisher, length);
  }

  private static final class OkHttp extends DatadogTransport {
    private final OkHttpClient client;

    /** Each call runs on the thread that makes it (the stage's request thread): no dispatcher. */
    OkHttp(Duration timeout, ForwardProxy proxy) {
      String authorization = proxy.authorization();
      this.client =
          new OkHttpClient.Builder()
              .callTimeout(timeout)
              .connectTimeout(timeout)
              .retryOnConnectionFailure(false)
              .proxy(proxy.proxy())
              .proxyAuthenticator(
                  (route, response) ->
                      response.request().header("Proxy-Authorization") != null
                          ? null
                          : response
                              .request()
                              .newBuilder()
                              .header("Proxy-Authorization", authorization)
                              .build())
              .build();
    }

    @Override
    Answer exchange(
        String method,
        URI uri,
        Map<String, String> headers,
        byte[] payload,
        int offset,
        int length,
        boolean gzip)
        throws IOException {
      Request.Builder request =
          new Request.Builder()
              .url(uri.toString())
              .method(method, RequestBody.create(payload, null, offset, length));
      headers.forEach(request::header);
      if (gzip) {
        request.header("Content-Encoding", "gzip");
      }
      try (Response response = client.newCall(request.build()).execute()) {
        int status = response.code();
        return new Answer(
            status,
            (status >= 200 && status < 300) || response.body() == null
                ? ""
                : response.body().string(),
            response.header("Retry-After"),
            response.header("X-RateLimit-Reset"));
      }
    }
  }
}
