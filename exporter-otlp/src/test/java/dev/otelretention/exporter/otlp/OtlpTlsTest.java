package dev.otelretention.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.testing.ForwardProxyServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS to an HTTPS OTLP receiver with certificates made by openssl: the sink trusts
 * the receiver's certificate from {@code OTEL_EXPORTER_OTLP_CERTIFICATE}, presents its own from
 * {@code _CLIENT_CERTIFICATE} and {@code _CLIENT_KEY}, and delivers nothing without them.
 */
class OtlpTlsTest {
  private static final String PASSWORD = "changeit";
  @TempDir Path dir;

  private void openssl(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
        .as(String.join(" ", command))
        .isTrue();
  }

  /** A self-signed certificate and key for {@code name}, and a PKCS#12 store of them. */
  private Path certificate(String name) throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=" + name,
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        dir.resolve(name + "-key.pem").toString(),
        "-out",
        dir.resolve(name + ".pem").toString());
    openssl(
        "pkcs12", "-export",
        "-in", dir.resolve(name + ".pem").toString(),
        "-inkey", dir.resolve(name + "-key.pem").toString(),
        "-out", dir.resolve(name + ".p12").toString(),
        "-passout", "pass:" + PASSWORD);
    return dir.resolve(name + ".pem");
  }

  private SSLContext serverContext(boolean trustClient) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("receiver.p12"))) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD.toCharArray());
    TrustManagerFactory trustManagers = null;
    if (trustClient) {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      try (InputStream in = Files.newInputStream(dir.resolve("client.pem"))) {
        trusted.setCertificateEntry(
            "client",
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trusted);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keyManagers.getKeyManagers(),
        trustManagers == null ? null : trustManagers.getTrustManagers(),
        null);
    return context;
  }

  private long sendTen(Map<String, String> environment) {
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment))
            .serviceName("otlp-tls")
            .batchTimeout(Duration.ofMillis(20))
            .requestTimeout(Duration.ofSeconds(3))
            .retryPolicy(
                RetryPolicy.builder()
                    .initialInterval(Duration.ofMillis(100))
                    .maxInterval(Duration.ofMillis(200))
                    .maxElapsedTime(Duration.ofMillis(600))
                    .build())
            .closeOnJvmShutdown(false)
            .build()) {
      for (int i = 0; i < 10; i++) {
        telemetry.openTelemetry().getTracer("tls").spanBuilder("s" + i).startSpan().end();
      }
      telemetry.flush(Duration.ofSeconds(20));
      return telemetry.health().sinks().stream()
          .filter(s -> s.signal() == Signal.TRACES)
          .findFirst()
          .orElseThrow()
          .exported();
    }
  }

  @Test
  void mutualTlsDeliversWithTheCertificatesAndNothingWithout() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl makes the certificates");
    Path receiverCertificate = certificate("receiver");
    Path clientCertificate = certificate("client");
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(serverContext(true), true)) {
      Map<String, String> trusted =
          Map.of(
              "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
              "OTEL_EXPORTER_OTLP_CERTIFICATE", receiverCertificate.toString(),
              "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", clientCertificate.toString(),
              "OTEL_EXPORTER_OTLP_CLIENT_KEY", dir.resolve("client-key.pem").toString());
      assertThat(sendTen(trusted)).isEqualTo(10);
      assertThat(receiver.spans()).hasSize(10);

      Map<String, String> noClientCertificate =
          Map.of(
              "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
              "OTEL_EXPORTER_OTLP_CERTIFICATE", receiverCertificate.toString());
      assertThat(sendTen(noClientCertificate)).as("refused without a client certificate").isZero();
    }
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(serverContext(false), false)) {
      assertThat(sendTen(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())))
          .as("the JVM does not trust a self-signed receiver")
          .isZero();
      assertThat(receiver.spans()).isEmpty();
    }
  }

  @Test
  void httpsGoesThroughTheProxysTunnelWithItsCredentialsAndNoProxyIsObeyed() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl makes the certificates");
    Path receiverCertificate = certificate("receiver");
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver(serverContext(false), false);
        ForwardProxyServer proxy = ForwardProxyServer.withCredentials("svc", "tunnel-secret")) {
      Map<String, String> environment = new java.util.HashMap<>();
      environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      environment.put("OTEL_EXPORTER_OTLP_CERTIFICATE", receiverCertificate.toString());
      environment.put("HTTPS_PROXY", "http://svc:tunnel-secret@127.0.0.1:" + proxy.port());
      assertThat(sendTen(environment)).isEqualTo(10);
      assertThat(receiver.spans()).hasSize(10);
      String target = receiver.endpoint().substring("https://".length());
      assertThat(proxy.passages())
          .as("one tunnel or more, each with the credentials")
          .isNotEmpty()
          .allSatisfy(
              passage -> {
                assertThat(passage.method()).isEqualTo("CONNECT");
                assertThat(passage.target()).isEqualTo(target);
                assertThat(passage.authorized()).isTrue();
              });
      assertThat(proxy.refused()).as("the credentials go with the first CONNECT").isEmpty();

      int tunnels = proxy.passages().size();
      environment.put("NO_PROXY", "127.0.0.0/8");
      assertThat(sendTen(environment)).isEqualTo(10);
      assertThat(receiver.spans()).hasSize(20);
      assertThat(proxy.passages()).as("NO_PROXY keeps the receiver off the proxy").hasSize(tunnels);
    }
  }
}
