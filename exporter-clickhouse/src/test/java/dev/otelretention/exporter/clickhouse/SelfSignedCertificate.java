package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A self-signed certificate for 127.0.0.1 and its key, made by openssl, for HTTPS fronts. */
record SelfSignedCertificate(Path certificate, Path key) {
  /** Makes {@code cert.pem} and {@code key.pem} in {@code dir}; skips the test without openssl. */
  static SelfSignedCertificate in(Path dir) throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl makes the test certificate");
    Path certificate = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "/usr/bin/openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                certificate.toString())
            .redirectErrorStream(true)
            .start();
    openssl.getInputStream().readAllBytes();
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).isTrue();
    return new SelfSignedCertificate(certificate, key);
  }
}
