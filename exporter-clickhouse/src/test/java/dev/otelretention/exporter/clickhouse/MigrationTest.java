package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.sink.TelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migration against tables of an older Collector version, and several instances starting at once.
 */
class MigrationTest {
  private static ClickHouseFront front;

  @BeforeAll
  static void startFront() throws Exception {
    front = ClickHouseFront.get();
  }

  private static TelemetryRetention telemetry(TelemetrySink sink) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .addSink(sink)
        .batchTimeout(Duration.ofMillis(20))
        .closeOnJvmShutdown(false)
        .build();
  }

  private static ClickHouseExporters.Builder exporters(String database) {
    return ClickHouseExporters.builder()
        .endpoint(front.endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(database);
  }

  @Test
  void addsMissingColumnsAndReportsOnesOfAnotherType() throws Exception {
    front.execute("CREATE DATABASE IF NOT EXISTS older_peer");
    // the traces table of older Collector versions: no ScopeName/ScopeVersion, Duration Int64
    front.execute(
        "CREATE TABLE older_peer.otel_traces (Timestamp DateTime64(9), TraceId String, SpanId String,"
            + " ParentSpanId String, TraceState String, SpanName LowCardinality(String), SpanKind LowCardinality(String),"
            + " ServiceName LowCardinality(String), ResourceAttributes Map(LowCardinality(String), String),"
            + " SpanAttributes Map(LowCardinality(String), String), Duration Int64, StatusCode LowCardinality(String),"
            + " StatusMessage String, Events Nested (Timestamp DateTime64(9), Name LowCardinality(String),"
            + " Attributes Map(LowCardinality(String), String)), Links Nested (TraceId String, SpanId String,"
            + " TraceState String, Attributes Map(LowCardinality(String), String)))"
            + " ENGINE = MergeTree PARTITION BY toDate(Timestamp)"
            + " ORDER BY (ServiceName, SpanName, toUnixTimestamp(Timestamp), TraceId)");
    ClickHouseSink sink = (ClickHouseSink) exporters("older_peer").buildSink();
    try (TelemetryRetention telemetry = telemetry(sink)) {
      telemetry
          .openTelemetry()
          .getTracer("scoped")
          .spanBuilder("after-migration")
          .startSpan()
          .end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(sink.migrationSummary())
          .contains("added column ScopeName String")
          .contains("added column ScopeVersion String")
          .contains("`older_peer`.`otel_traces`.Duration is Int64, expected UInt64");
    }
    assertThat(
            front
                .query("SELECT ScopeName, Duration FROM older_peer.otel_traces")
                .get(0)
                .getString("ScopeName"))
        .isEqualTo("scoped");
    // the table kept its rows forever; adding a TTL would delete every writer's history, so
    // without the consent to shorten it keeps none
    assertThat(sink.migrationSummary())
        .contains("`older_peer`.`otel_traces` keeps its TTL (forever)")
        .contains("the default traces TTL asks for 7 days");
    assertThat(front.query("SHOW CREATE TABLE older_peer.otel_traces").get(0).getString(1))
        .doesNotContain("TTL");
  }

  @Test
  void severalInstancesMayStartAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int instance = i;
        Callable<Long> start =
            () -> {
              try (TelemetryRetention telemetry =
                  telemetry(
                      exporters("concurrent_start").tracesTtl(Duration.ofDays(14)).buildSink())) {
                telemetry
                    .openTelemetry()
                    .getTracer("c")
                    .spanBuilder("instance-" + instance)
                    .startSpan()
                    .end();
                telemetry.flush(Duration.ofSeconds(30));
                return telemetry.health().sinks().stream().mapToLong(h -> h.dropped()).sum();
              }
            };
        results.add(pool.submit(start));
      }
      for (Future<Long> result : results) {
        assertThat(result.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(front.count("SELECT count() FROM concurrent_start.otel_traces")).isEqualTo(4);
    assertThat(front.query("SHOW CREATE TABLE concurrent_start.otel_traces").get(0).getString(1))
        .contains("toIntervalDay(14)");
  }
}
