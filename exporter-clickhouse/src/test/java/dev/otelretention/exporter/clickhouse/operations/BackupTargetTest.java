package dev.otelretention.exporter.clickhouse.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The secret of an S3 target reaches the SQL sent to the server and nothing printed. */
class BackupTargetTest {
  @Test
  void theSecretIsInTheSqlOnly() {
    BackupTarget s3 =
        BackupTarget.s3(
            "https://bucket.s3.example.com/otel/nightly", "AKIDEXAMPLE", "wJalrXUtnFEMI-secret");
    assertThat(s3.sql()).contains("wJalrXUtnFEMI-secret");
    assertThat(s3.toString()).doesNotContain("wJalrXUtnFEMI-secret");
  }
}
