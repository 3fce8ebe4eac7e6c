package dev.otelretention.exporter.clickhouse.internal.schema;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.export.ExportException;
import org.junit.jupiter.api.Test;

/**
 * JSON attribute columns need a server whose {@code JSON} type is generally available (25.3); the
 * embedded engine is newer, so the refusal of an older one is checked here, on the versions.
 */
class JsonTypeVersionTest {
  @Test
  void anOlderServerIsRefusedByNameAndANewerOneAccepted() {
    assertThatThrownBy(() -> ServerVersion.requireJsonType(ServerVersion.parse("24.8.14.39")))
        .isInstanceOfSatisfying(
            ExportException.class,
            error -> org.assertj.core.api.Assertions.assertThat(error.isRetryable()).isFalse())
        .hasMessage(
            "JSON attribute columns (jsonAttributes, OTEL_RETENTION_CLICKHOUSE_JSON) need"
                + " ClickHouse 25.3 or later, where the JSON type is generally available; this"
                + " server is 24.8");
    assertThatThrownBy(() -> ServerVersion.requireJsonType(ServerVersion.parse("25.2.1")))
        .isInstanceOf(ExportException.class);
    assertThatCode(() -> ServerVersion.requireJsonType(ServerVersion.parse("25.3.1.1")))
        .doesNotThrowAnyException();
    assertThatCode(() -> ServerVersion.requireJsonType(ServerVersion.parse("26.7.2.1")))
        .doesNotThrowAnyException();
    assertThatCode(() -> ServerVersion.requireJsonType(null)).doesNotThrowAnyException();
  }
}
