package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.testing.ForwardProxyServer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ClickHouse sink through a forward proxy the test starts, against the real engine: plain HTTP
 * forwarded by the proxy with the credentials of the proxy's URL, HTTPS through its tunnel ({@code
 * CONNECT}; the ClickHouse client sends proxy credentials only with forwarded requests, not with
 * its CONNECT), and {@code NO_PROXY} obeyed.
 */
class ClickHouseProxyTest {
  @TempDir Path dir;

  private static String insertOne(
      String endpoint, String database, String name, Map<String, String> proxy, Path certificate) {
    Map<String, String> environment = new HashMap<>(proxy);
    environment.put("CLICKHOUSE_ENDPOINT", endpoint);
    environment.put("CLICKHOUSE_PASSWORD", ClickHouseFront.PASSWORD);
    environment.put("CLICKHOUSE_DATABASE", database);
    ClickHouseExporters.Builder builder =
        ClickHouseExporters.builder().configure(EnvironmentConfig.of(environment));
    if (certificate != null) {
      builder.trustedCertificate(certificate);
    }
    SpanExporter exporter = builder.buildSpanExporter();
    try {
      assertThat(
              exporter.export(List.of(TestSpans.span(name))).join(30, TimeUnit.SECONDS).isSuccess())
          .isTrue();
      assertThat(exporter.flush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      return exporter.toString();
    } finally {
      exporter.shutdown().join(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void plainHttpGoesThroughTheProxyWithItsCredentialsAndNoProxyIsObeyed() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    try (ForwardProxyServer proxy = ForwardProxyServer.withCredentials("ch", "ch-proxy-secret")) {
      String shown =
          insertOne(
              front.endpoint(),
              "proxy_db",
              "through-the-proxy",
              Map.of("HTTP_PROXY", "http://ch:ch-proxy-secret@127.0.0.1:" + proxy.port()),
              null);
      assertThat(
              front.count(
                  "SELECT count() FROM proxy_db.otel_traces WHERE SpanName = 'through-the-proxy'"))
          .isEqualTo(1);
      String target = front.endpoint().replaceFirst("^http://", "").replaceFirst("/$", "");
      assertThat(proxy.passages())
          .as("the schema's statements and the insert, each with the credentials")
          .hasSizeGreaterThan(1)
          .allSatisfy(
              passage -> {
                assertThat(passage.target()).isEqualTo(target);
                assertThat(passage.authorized()).isTrue();
              });
      assertThat(shown).doesNotContain("ch-proxy-secret");

      int before = proxy.passages().size();
      insertOne(
          front.endpoint(),
          "proxy_db",
          "around-the-proxy",
          Map.of(
              "HTTP_PROXY",
              "http://ch:ch-proxy-secret@127.0.0.1:" + proxy.port(),
              "NO_PROXY",
              "127.0.0.1"),
          null);
      assertThat(
              front.count(
                  "SELECT count() FROM proxy_db.otel_traces WHERE SpanName = 'around-the-proxy'"))
          .isEqualTo(1);
      assertThat(proxy.passages()).hasSize(before);
    }
  }

  @Test
  void httpsGoesThroughTheProxysTunnel() throws Exception {
    SelfSignedCertificate tls = SelfSignedCertificate.in(dir);
    Path certificate = tls.certificate();
    Path key = tls.key();
    ClickHouseFront front = ClickHouseFront.startNewTls(certificate, key);
    try (ForwardProxyServer proxy = ForwardProxyServer.open()) {
      insertOne(
          front.endpoint(),
          "proxy_tls_db",
          "through-the-tunnel",
          Map.of("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port()),
          certificate);
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
                        "SELECT count() AS c FROM proxy_tls_db.otel_traces"
                            + " WHERE SpanName = 'through-the-tunnel'")
                    .get(0)
                    .getLong("c"))
            .isEqualTo(1);
      }
      String target = front.endpoint().replaceFirst("^https://", "").replaceFirst("/$", "");
      assertThat(proxy.passages())
          .isNotEmpty()
          .allSatisfy(
              passage -> {
                assertThat(passage.method()).isEqualTo("CONNECT");
                assertThat(passage.target()).isEqualTo(target);
              });
    } finally {
      front.stop();
    }
  }
}
