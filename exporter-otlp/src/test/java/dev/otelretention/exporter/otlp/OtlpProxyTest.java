package dev.otelretention.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.testing.ForwardProxyServer;
import dev.otelretention.testing.ForwardProxyServer.Passage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OTLP sink through a forward proxy the test starts: the environment's {@code HTTP_PROXY} with
 * credentials, {@code NO_PROXY}, Java's {@code http.proxyHost}; every request goes through the
 * proxy (or, where excluded, none), and the credentials are shown nowhere. The tunnel of HTTPS
 * ({@code CONNECT}) is in {@link OtlpTlsTest}.
 */
class OtlpProxyTest {
  private static int sendTen(Map<String, String> environment, StringBuilder description) {
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment))
            .serviceName("through-a-proxy")
            .batchTimeout(Duration.ofMillis(20))
            .requestTimeout(Duration.ofSeconds(5))
            .closeOnJvmShutdown(false)
            .build()) {
      for (int i = 0; i < 10; i++) {
        telemetry.openTelemetry().getTracer("proxy").spanBuilder("s" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      description.append(telemetry.sinkDescriptions()).append(telemetry.health());
      return 10;
    }
  }

  @Test
  void everyRequestGoesThroughTheProxyOfHttpProxyWithItsCredentials() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
        ForwardProxyServer proxy = ForwardProxyServer.withCredentials("svc@corp", "pr0xy-secret")) {
      Map<String, String> environment = new HashMap<>();
      environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
      environment.put("HTTP_PROXY", "http://svc%40corp:pr0xy-secret@127.0.0.1:" + proxy.port());
      StringBuilder shown = new StringBuilder();
      sendTen(environment, shown);

      assertThat(receiver.spans()).hasSize(10);
      String target = receiver.endpoint().substring("http://".length());
      assertThat(proxy.passages())
          .as("every request the receiver got came through the proxy, with the credentials")
          .hasSize(receiver.decodedRequests())
          .allSatisfy(
              passage -> {
                assertThat(passage.target()).isEqualTo(target);
                assertThat(passage.authorized()).isTrue();
              })
          .extracting(Passage::path)
          .contains("/v1/traces");
      assertThat(shown.toString())
          .contains("through the proxy HTTP_PROXY=http://***@127.0.0.1:" + proxy.port())
          .doesNotContain("pr0xy-secret")
          .doesNotContain("svc");
    }
  }

  @Test
  void noProxyExcludesTheReceiver() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
        ForwardProxyServer proxy = ForwardProxyServer.open()) {
      sendTen(
          Map.of(
              "OTEL_EXPORTER_OTLP_ENDPOINT",
              receiver.endpoint(),
              "OTEL_EXPORTER_OTLP_PROTOCOL",
              "http/protobuf",
              "HTTP_PROXY",
              "http://127.0.0.1:" + proxy.port(),
              "NO_PROXY",
              "localhost, 127.0.0.1"),
          new StringBuilder());
      assertThat(receiver.spans()).hasSize(10);
      assertThat(proxy.passages()).isEmpty();
    }
  }

  @Test
  void javasProxyPropertiesAreHonoured() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
        ForwardProxyServer proxy = ForwardProxyServer.open()) {
      String[] keys = {"http.proxyHost", "http.proxyPort", "http.nonProxyHosts"};
      Map<String, String> before = new HashMap<>();
      for (String key : keys) {
        before.put(key, System.getProperty(key));
      }
      try {
        System.setProperty("http.proxyHost", "127.0.0.1");
        System.setProperty("http.proxyPort", String.valueOf(proxy.port()));
        // Java excludes the loopback address by default; a list of one other host lets it through
        System.setProperty("http.nonProxyHosts", "nothing.invalid");
        sendTen(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                receiver.endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL",
                "http/protobuf"),
            new StringBuilder());
      } finally {
        before.forEach(
            (key, value) -> {
              if (value == null) {
                System.clearProperty(key);
              } else {
                System.setProperty(key, value);
              }
            });
      }
      assertThat(receiver.spans()).hasSize(10);
      assertThat(proxy.passages()).extracting(Passage::path).contains("/v1/traces");
      assertThat(proxy.passages()).hasSize(receiver.decodedRequests());
    }
  }

  @Test
  void aProxyThatCannotBeUsedIsRefusedByNameWithoutItsPassword() {
    assertThatThrownBy(
            () ->
                OtlpExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of(
                                "OTEL_EXPORTER_OTLP_ENDPOINT",
                                "https://otlp.example.com",
                                "HTTPS_PROXY",
                                "socks5://user:hunter2@proxy.example.com:1080")))
                    .buildSink())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HTTPS_PROXY")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void grpcWithoutTlsIsNotSentToAProxyThatCannotForwardIt() {
    assertThatThrownBy(
            () ->
                OtlpExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of(
                                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.internal:4317",
                                "HTTP_PROXY", "http://user:hunter2@proxy.internal:3128")))
                    .buildSink())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HTTP_PROXY")
        .hasMessageContaining("NO_PROXY")
        .hasMessageNotContaining("hunter2");
  }
}
