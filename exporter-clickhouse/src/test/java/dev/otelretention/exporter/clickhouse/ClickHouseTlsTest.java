package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An {@code https://} endpoint whose self-signed certificate the exporter is told to trust. */
class ClickHouseTlsTest {
  @TempDir Path dir;

  @Test
  void exportsOverTlsWithATrustedCertificate() throws Exception {
    SelfSignedCertificate tls = SelfSignedCertificate.in(dir);
    Path certificate = tls.certificate();
    Path key = tls.key();

    ClickHouseFront front = ClickHouseFront.startNewTls(certificate, key);
    try {
      assertThat(front.endpoint()).startsWith("https://");
      SpanExporter exporter =
          ClickHouseExporters.builder()
              .endpoint(front.endpoint())
              .password(ClickHouseFront.PASSWORD)
              .database("tls_db")
              .trustedCertificate(certificate)
              .buildSpanExporter();
      assertThat(
              exporter
                  .export(List.of(TestSpans.span("over-tls")))
                  .join(30, TimeUnit.SECONDS)
                  .isSuccess())
          .isTrue();
      assertThat(exporter.flush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      exporter.shutdown().join(30, TimeUnit.SECONDS);
      try (Client client =
          new Client.Builder()
              .addEndpoint(front.endpoint())
              .setUsername("default")
              .setPassword(ClickHouseFront.PASSWORD)
              .setRootCertificate(certificate.toString())
              .build()) {
        assertThat(
                client
                    .queryAll(
                        "SELECT count() AS c FROM tls_db.otel_traces WHERE SpanName = 'over-tls'")
                    .get(0)
                    .getLong("c"))
            .isEqualTo(1);
      }
      // without trusting the certificate the handshake fails, and the failure is retried and
      // counted, not thrown
      TelemetryRetention untrusting =
          TelemetryRetention.builder()
              .config(EnvironmentConfig.of(Map.of()))
              .addSink(
                  ClickHouseExporters.builder()
                      .endpoint(front.endpoint())
                      .password(ClickHouseFront.PASSWORD)
                      .database("tls_db")
                      .buildSink())
              .batchTimeout(Duration.ofMillis(10))
              .retryPolicy(
                  RetryPolicy.builder()
                      .initialInterval(Duration.ofMillis(20))
                      .maxInterval(Duration.ofMillis(50))
                      .maxElapsedTime(Duration.ofMillis(300))
                      .build())
              .closeOnJvmShutdown(false)
              .build();
      untrusting.openTelemetry().getTracer("t").spanBuilder("refused").startSpan().end();
      untrusting.flush(Duration.ofSeconds(20));
      var traces =
          untrusting.health().sinks().stream()
              .filter(h -> h.signal() == Signal.TRACES)
              .findFirst()
              .orElseThrow();
      untrusting.close();
      assertThat(traces.droppedByReason()).containsEntry("retries_exhausted", 1L);
      assertThat(traces.lastError()).containsIgnoringCase("ssl");
    } finally {
      front.stop();
    }
  }

  @Test
  void aMissingCertificateFileIsAConfigurationError() {
    assertThatThrownBy(
            () -> ClickHouseExporters.builder().trustedCertificate(dir.resolve("absent.pem")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a readable file");
  }
}
