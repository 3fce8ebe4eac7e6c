package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.testing.ForwardProxyServer;
import dev.otelretention.testing.ForwardProxyServer.Passage;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Datadog sink through a forward proxy the test starts: traces to the Agent, metrics and logs
 * to the intake, each request through the proxy of {@code HTTP_PROXY} with its credentials, none
 * where {@code NO_PROXY} excludes the host, and the credentials shown nowhere.
 */
class DatadogProxyTest {
  private static String send(FakeDatadog datadog, Map<String, String> proxyVariables) {
    Map<String, String> environment = new HashMap<>(proxyVariables);
    environment.put("DD_API_KEY", FakeDatadog.API_KEY);
    environment.put("DD_TRACE_AGENT_URL", datadog.url());
    environment.put("OTEL_RETENTION_DATADOG_METRICS_URL", datadog.url());
    environment.put("OTEL_RETENTION_DATADOG_LOGS_URL", datadog.url());
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("checkout")
            .addSink(
                DatadogExporters.builder().configure(EnvironmentConfig.of(environment)).buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("shop");
      for (int i = 0; i < 10; i++) {
        tracer.spanBuilder("GET /item/" + i).startSpan().end();
      }
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("shop")
          .logRecordBuilder()
          .setBody("sold")
          .emit();
      telemetry.openTelemetry().getMeter("shop").counterBuilder("sales").build().add(3);
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      return telemetry.sinkDescriptions() + " " + telemetry.health();
    }
  }

  @Test
  void tracesMetricsAndLogsGoThroughTheProxyWithItsCredentials() throws Exception {
    try (FakeDatadog datadog = new FakeDatadog();
        ForwardProxyServer proxy = ForwardProxyServer.withCredentials("dd", "proxy-pass-42")) {
      String shown =
          send(datadog, Map.of("HTTP_PROXY", "http://dd:proxy-pass-42@127.0.0.1:" + proxy.port()));
      assertThat(datadog.spans).hasSize(10);
      assertThat(datadog.logs).isNotEmpty();
      assertThat(datadog.series).isNotEmpty();
      Set<String> paths = proxy.passages().stream().map(Passage::path).collect(Collectors.toSet());
      assertThat(paths).contains("/v0.4/traces", "/api/v2/series", "/api/v2/logs");
      assertThat(proxy.passages())
          .allSatisfy(
              passage -> {
                assertThat(passage.target()).isEqualTo(datadog.url().substring(7));
                assertThat(passage.authorized()).isTrue();
              });
      int requests = datadog.requests.values().stream().mapToInt(Integer::intValue).sum();
      assertThat(proxy.passages()).as("every request the intake got").hasSize(requests);
      assertThat(shown).doesNotContain("proxy-pass-42");
    }
  }

  @Test
  void aProxyWithoutCredentialsForwardsEveryRequest() throws Exception {
    try (FakeDatadog datadog = new FakeDatadog();
        ForwardProxyServer proxy = ForwardProxyServer.open()) {
      send(datadog, Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port()));
      assertThat(datadog.spans).hasSize(10);
      int requests = datadog.requests.values().stream().mapToInt(Integer::intValue).sum();
      assertThat(proxy.passages()).hasSize(requests);
      assertThat(proxy.passages()).extracting(Passage::path).contains("/v0.4/traces");
    }
  }

  @Test
  void noProxyExcludesTheAgentAndTheIntake() throws Exception {
    try (FakeDatadog datadog = new FakeDatadog();
        ForwardProxyServer proxy = ForwardProxyServer.open()) {
      send(
          datadog,
          Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.port(), "NO_PROXY", "127.0.0.1"));
      assertThat(datadog.spans).hasSize(10);
      assertThat(proxy.passages()).isEmpty();
    }
  }

  @Test
  void anHttpsIntakeIsReachedThroughATunnelThatCarriesTheCredentials() throws Exception {
    try (ForwardProxyServer proxy = ForwardProxyServer.withCredentials("dd", "tunnel-pass");
        java.net.ServerSocket closed =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = closed.getLocalPort();
      closed.close();
      Map<String, String> environment = new HashMap<>();
      environment.put("DD_API_KEY", FakeDatadog.API_KEY);
      // the intake's own series API, as with an Agent, rather than the OTLP intake
      environment.put("OTEL_RETENTION_DATADOG_INTAKE", "agent");
      environment.put("OTEL_RETENTION_DATADOG_METRICS_URL", "https://127.0.0.1:" + port);
      environment.put("HTTPS_PROXY", "http://dd:tunnel-pass@127.0.0.1:" + proxy.port());
      try (TelemetryRetention telemetry =
          TelemetryRetention.builder()
              .config(EnvironmentConfig.of(Map.of()))
              .serviceName("checkout")
              .addSink(
                  DatadogExporters.builder()
                      .configure(EnvironmentConfig.of(environment))
                      .buildSink())
              .requestTimeout(Duration.ofSeconds(2))
              .retryPolicy(
                  RetryPolicy.builder()
                      .initialInterval(Duration.ofMillis(50))
                      .maxInterval(Duration.ofMillis(100))
                      .maxElapsedTime(Duration.ofMillis(500))
                      .build())
              .closeOnJvmShutdown(false)
              .build()) {
        telemetry.openTelemetry().getMeter("shop").counterBuilder("sales").build().add(3);
        telemetry.flush(Duration.ofSeconds(5));
      }
      assertThat(proxy.passages())
          .as("the JDK client sends the Proxy-Authorization header with its CONNECT")
          .isNotEmpty()
          .allSatisfy(
              passage -> {
                assertThat(passage.method()).isEqualTo("CONNECT");
                assertThat(passage.target()).isEqualTo("127.0.0.1:" + port);
                assertThat(passage.authorized()).isTrue();
              });
      assertThat(proxy.refused()).isEmpty();
    }
  }
}
