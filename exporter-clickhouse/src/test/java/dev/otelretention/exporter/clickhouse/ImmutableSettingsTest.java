package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A built sink keeps the settings it was built with: changing the builder afterwards reaches
 * nothing running.
 */
class ImmutableSettingsTest {
  @Test
  void changingTheBuilderAfterBuildSinkChangesNothing() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseExporters.Builder builder =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("immutable_db");
    ClickHouseSink sink = (ClickHouseSink) builder.buildSink();
    // too late: the sink connects (lazily, at its first export) with what buildSink() saw
    builder.password("wrong-password").database("other_db").senders(7);

    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(sink)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("immutable").spanBuilder("kept").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(telemetry.health().healthy()).as(telemetry.health().toString()).isTrue();
    }
    assertThat(front.count("SELECT count() FROM immutable_db.otel_traces WHERE SpanName = 'kept'"))
        .isEqualTo(1);
    assertThat(sink.settings().database()).isEqualTo("immutable_db");
    assertThat(sink.settings().senders()).isEqualTo(2);
    assertThat(sink.settings().toString()).doesNotContain(ClickHouseFront.PASSWORD);
  }
}
