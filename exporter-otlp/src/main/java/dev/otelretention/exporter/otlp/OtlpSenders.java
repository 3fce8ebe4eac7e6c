package dev.otelretention.exporter.otlp;

import dev.otelretention.common.ForwardProxy;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * Hands the SDK's OTLP exporter builders this sink's own senders through the SDK's public sender
 * SPI: they read what the SDK's sender keeps to itself (the HTTP status, {@code Retry-After}, the
 * gRPC status and its {@code RetryInfo}) and pass it to the destination. Every other component the
 * builders look for (compressors) comes from the usual class loader.
 */
final class OtlpSenders implements ComponentLoader {
  private final String what;
  private final ForwardProxy proxy;
  private final ComponentLoader defaults =
      ComponentLoader.forClassLoader(OtlpSenders.class.getClassLoader());

  /**
   * Senders for {@code what} ({@code otlp/traces}, ...), the name failures are reported under,
   * through {@code proxy}.
   */
  OtlpSenders(String what, ForwardProxy proxy) {
    this.what = what;
    this.proxy = proxy;
  }

  @Override
  public <T> Iterable<T> load(Class<T> type) {
    if (type == HttpSenderProvider.class) {
      HttpSenderProvider provider =
          config ->
              new OtlpHttpSender(
                  what,
                  config,
                  client(
                      config.getEndpoint(),
                      config.getTimeout(),
                      config.getConnectTimeout(),
                      config.getSslContext(),
                      config.getTrustManager(),
                      false));
      return List.of(type.cast(provider));
    }
    if (type == GrpcSenderProvider.class) {
      GrpcSenderProvider provider =
          config ->
              new OtlpGrpcSender(
                  what,
                  config,
                  client(
                      config.getEndpoint(),
                      config.getTimeout(),
                      config.getConnectTimeout(),
                      config.getSslContext(),
                      config.getTrustManager(),
                      true));
      return List.of(type.cast(provider));
    }
    return defaults.load(type);
  }

  /**
   * A client that makes each call on the thread that asks (no dispatcher threads): the export
   * stage's request thread, which the stage times out and stops.
   */
  private OkHttpClient client(
      URI endpoint,
      Duration timeout,
      Duration connectTimeout,
      SSLContext tls,
      X509TrustManager trust,
      boolean grpc) {
    OkHttpClient.Builder builder =
        new OkHttpClient.Builder()
            .callTimeout(timeout)
            .connectTimeout(connectTimeout)
            .retryOnConnectionFailure(false);
    builder.proxy(proxy.proxy());
    String authorization = proxy.authorization();
    if (authorization != null) {
      builder.proxyAuthenticator(
          (route, response) ->
              response.request().header("Proxy-Authorization") != null
                  ? null
                  : response
                      .request()
                      .newBuilder()
                      .header("Proxy-Authorization", authorization)
                      .build());
    }
    boolean plain = "http".equalsIgnoreCase(endpoint.getScheme());
    if (grpc && plain) {
      builder
          .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
          .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    } else if (grpc) {
      builder.protocols(Arrays.asList(Protocol.HTTP_2, Protocol.HTTP_1_1));
    }
    if (!plain && tls != null && trust != null) {
      builder.sslSocketFactory(tls.getSocketFactory(), trust);
    }
    return builder.build();
  }

  @Override
  public String toString() {
    return "OtlpSenders{" + what + "}";
  }
}
