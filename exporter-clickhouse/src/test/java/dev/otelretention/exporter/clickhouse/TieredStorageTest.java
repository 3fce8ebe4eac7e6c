package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import dev.otelretention.exporter.clickhouse.internal.schema.TierMove;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Moves to another volume or disk before deletion: the TTL it renders, and what the engine does
 * with it.
 */
class TieredStorageTest {

  @Test
  void rendersMovesBeforeTheDelete() {
    Schema schema =
        ClickHouseExporters.builder()
            .storagePolicy("tiered")
            .moveAfter(TtlMove.toDisk("archive", Duration.ofDays(20)))
            .moveAfter(TtlMove.toVolume("cold", Duration.ofDays(2)))
            .schema();
    assertThat(schema.ttlClause(TelemetryTable.TRACES))
        .isEqualTo(
            "TTL toDateTime(Timestamp) + toIntervalDay(2) TO VOLUME 'cold', toDateTime(Timestamp) + toIntervalDay(7)");
    assertThat(schema.ttlClause(TelemetryTable.LOGS))
        .isEqualTo(
            "TTL toDateTime(Timestamp) + toIntervalDay(2) TO VOLUME 'cold', toDateTime(Timestamp)"
                + " + toIntervalDay(20) TO DISK 'archive', toDateTime(Timestamp) + toIntervalDay(30)");
    assertThat(schema.createTable(TelemetryTable.METRICS_SUM, false))
        .contains(
            "TTL toDateTime(TimeUnix) + toIntervalDay(2) TO VOLUME 'cold', toDateTime(TimeUnix) + toIntervalDay(20)"
                + " TO DISK 'archive', toDateTime(TimeUnix) + toIntervalDay(90)")
        .endsWith(
            "SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000,"
                + " storage_policy = 'tiered'");
    Schema forever =
        ClickHouseExporters.builder()
            .tracesTtl(Duration.ZERO)
            .moveAfter(Signal.TRACES, TtlMove.toVolume("cold", Duration.ofHours(12)))
            .schema();
    assertThat(forever.ttlClause(TelemetryTable.TRACES))
        .isEqualTo("TTL toDateTime(Timestamp) + toIntervalHour(12) TO VOLUME 'cold'");
    assertThat(forever.ttlClause(TelemetryTable.LOGS))
        .isEqualTo("TTL toDateTime(Timestamp) + toIntervalDay(30)");
    assertThat(forever.createTable(TelemetryTable.LOGS, false)).doesNotContain("storage_policy");
  }

  @Test
  void rejectsMovesThatCouldNeverHappen() {
    assertThatThrownBy(
            () ->
                ClickHouseExporters.builder()
                    .endpoint("http://localhost:8123")
                    .moveAfter(Signal.TRACES, TtlMove.toVolume("cold", Duration.ofDays(7)))
                    .buildSink())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("traces TTL (7d) must be longer than the move volume:cold:7d");
    assertThatThrownBy(() -> TtlMove.toVolume("cold volume", Duration.ofDays(1)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("volume must start with a letter");
    assertThatThrownBy(() -> TtlMove.toDisk("cold", Duration.ZERO))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> TtlMove.parse("moves", "shelf:cold:1d"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("moves=shelf:cold:1d: a move starts with volume: or disk:");
    assertThat(TtlMove.parse("moves", "disk:cold:36h"))
        .isEqualTo(TtlMove.toDisk("cold", Duration.ofHours(36)));
    // a move for every signal leaves out the signals whose data is gone before the move
    Schema schema =
        ClickHouseExporters.builder()
            .moveAfter(TtlMove.toVolume("cold", Duration.ofDays(10)))
            .schema();
    assertThat(schema.moves(TelemetryTable.TRACES)).isEmpty();
    assertThat(schema.moves(TelemetryTable.LOGS))
        .containsExactly(tier(TtlMove.toVolume("cold", Duration.ofDays(10))));
    Map<String, String> environment = new HashMap<>();
    environment.put("otel.retention.clickhouse.storage-policy", "tiered");
    environment.put("otel.retention.clickhouse.moves", "volume:cold:2d, disk:archive:20d");
    Schema configured =
        ClickHouseExporters.builder().configure(EnvironmentConfig.of(environment)).schema();
    assertThat(configured.storagePolicy()).isEqualTo("tiered");
    assertThat(configured.moves(TelemetryTable.METRICS_GAUGE))
        .containsExactly(
            tier(TtlMove.toVolume("cold", Duration.ofDays(2))),
            tier(TtlMove.toDisk("archive", Duration.ofDays(20))));
  }

  @Test
  void oldPartsMoveToTheColdVolumeOfTheEngine() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseSink sink =
        (ClickHouseSink)
            ClickHouseExporters.builder()
                .endpoint(front.endpoint())
                .password(ClickHouseFront.PASSWORD)
                .database("tiered_moves")
                .storagePolicy("tiered")
                .moveAfter(TtlMove.toVolume("cold", Duration.ofDays(1)))
                .buildSink();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(sink)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("tiers");
      Instant old = Instant.now().minus(Duration.ofDays(3));
      for (int i = 0; i < 10; i++) {
        tracer.spanBuilder("old-" + i).setStartTimestamp(old).startSpan().end(old.plusMillis(5));
        tracer.spanBuilder("new-" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(front.query("SHOW CREATE TABLE tiered_moves.otel_traces").get(0).getString(1))
        .contains("TO VOLUME 'cold'")
        .contains("storage_policy = 'tiered'");
    front.execute(
        "ALTER TABLE tiered_moves.otel_traces MATERIALIZE TTL SETTINGS mutations_sync = 1");
    List<GenericRecord> parts =
        front.query(
            "SELECT toDate(min_time) < today() - 1 AS old, groupUniqArray(disk_name) AS disks,"
                + " sum(rows) AS rows FROM system.parts WHERE database = 'tiered_moves' AND table = 'otel_traces' AND active"
                + " GROUP BY old ORDER BY old");
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).getString("disks")).isEqualTo("['hot']");
    assertThat(parts.get(0).getLong("rows")).isEqualTo(10);
    assertThat(parts.get(1).getString("disks")).isEqualTo("['cold']");
    assertThat(parts.get(1).getLong("rows")).isEqualTo(10);
    // the report sees no drift between the configured and the live TTL with moves in it
    try (ClickHouseOperations operations =
        ClickHouseOperations.connect(
            ClickHouseExporters.builder()
                .endpoint(front.endpoint())
                .password(ClickHouseFront.PASSWORD)
                .database("tiered_moves")
                .storagePolicy("tiered")
                .moveAfter(TtlMove.toVolume("cold", Duration.ofDays(1))))) {
      assertThat(operations.inspection().report(7).tables().get(0).ttlDrift()).isFalse();
    }
  }

  @Test
  void aPolicyTheTableCannotTakeIsReportedAndExportsGoOn() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseExporters.Builder plain =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("tiered_later");
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(plain.buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("t").spanBuilder("before").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    ClickHouseSink tiered =
        (ClickHouseSink)
            plain
                .storagePolicy("tiered")
                .moveAfter(TtlMove.toVolume("cold", Duration.ofDays(1)))
                .buildSink();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(tiered)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("t").spanBuilder("after").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      // 'tiered' lacks the 'default' disk the data is on, so the engine refuses the switch, and
      // then the move
      assertThat(tiered.migrationSummary())
          .contains("`tiered_later`.`otel_traces` keeps storage policy default (wanted tiered)")
          .contains(
              "`tiered_later`.`otel_traces` keeps TTL toDateTime(Timestamp) + toIntervalDay(7)");
    }
    assertThat(front.count("SELECT count() FROM tiered_later.otel_traces")).isEqualTo(2);
  }

  private static TierMove tier(TtlMove move) {
    return new TierMove(move.clause(), move.after());
  }
}
