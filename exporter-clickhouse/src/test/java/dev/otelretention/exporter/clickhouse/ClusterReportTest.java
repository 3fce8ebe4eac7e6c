package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport;
import dev.otelretention.sink.CapacityProbe.CapacitySample;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reports on a cluster: a shard that is down is left out and named instead of failing the report,
 * and free disk is added up over every server. The tables are written through the test cluster of
 * one live shard; the reports then read them through the clusters of the front's configuration that
 * have a second shard: one down ({@link ClickHouseFront#CLUSTER_SHARD_DOWN}), or the engine under a
 * second name ({@link ClickHouseFront#CLUSTER_TWO_SERVERS}).
 */
class ClusterReportTest {
  private static final String DATABASE = "cluster_report";

  @BeforeAll
  static void writeSpans() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("cluster-report")
            .addSink(settings(ClickHouseFront.CLUSTER).buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("report");
      for (int i = 0; i < 7; i++) {
        tracer.spanBuilder("GET /cart").startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(front.count("SELECT count() FROM " + DATABASE + ".otel_traces_local")).isEqualTo(7);
  }

  private static ClickHouseExporters.Builder settings(String cluster) throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    return ClickHouseExporters.builder()
        .endpoint(front.endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(DATABASE)
        .cluster(cluster);
  }

  @Test
  void aShardThatIsDownIsNamedAndTheOthersAreCounted() throws Exception {
    RetentionReport report;
    try (ClickHouseOperations operations =
        ClickHouseOperations.connect(
            settings(ClickHouseFront.CLUSTER_SHARD_DOWN).createSchema(false).buildSettings())) {
      report = operations.inspection().report(7);
    }
    String missing = "shard 2 (" + ClickHouseFront.SHARD_DOWN + ":9000)";
    assertThat(report.missingShards()).containsExactly(missing);
    RetentionReport.TableReport traces =
        report.tables().stream()
            .filter(t -> t.table().equals("otel_traces"))
            .findFirst()
            .orElseThrow();
    assertThat(traces.rows()).as("the rows of the shard that answered").isEqualTo(7);
    assertThat(report.toTable())
        .contains("NOT COUNTED: " + missing + " did not answer; its rows, parts and disks");
    assertThat(report.toJson()).contains("\"missingShards\":[\"" + missing + "\"]");
  }

  @Test
  void aSweepThatCannotReadEveryShardDoesNotHoldTheStart() throws Exception {
    ClickHouseSettings settings = settings(ClickHouseFront.CLUSTER_SHARD_DOWN).buildSettings();
    try (ClickHouseConnection connection =
        new ClickHouseConnection(settings.connection(), Duration.ofSeconds(10))) {
      SchemaManager.MigrationReport report =
          new SchemaManager(connection, settings.schema(), true).ensure();
      assertThat(report.unreconciled())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("expired partitions not dropped from 8 tables, the first")
                      .contains("otel_traces_local")
                      .contains("All connection tries failed")
                      .contains("exports go on"));
    }
  }

  @Test
  void everyShardAnsweringLeavesNothingOut() throws Exception {
    try (ClickHouseOperations operations =
        ClickHouseOperations.connect(settings(ClickHouseFront.CLUSTER).buildSettings())) {
      RetentionReport report = operations.inspection().report(7);
      assertThat(report.missingShards()).isEmpty();
      assertThat(report.toTable()).doesNotContain("NOT COUNTED");
      assertThat(report.toJson()).contains("\"missingShards\":[]");
    }
  }

  @Test
  void freeDiskIsAddedUpOverEveryServerOfTheCluster() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    long oneServer = front.count("SELECT total_space FROM system.disks WHERE name = 'default'");
    List<CapacitySample> samples;
    try (ClickHouseOperations operations =
        ClickHouseOperations.connect(
            settings(ClickHouseFront.CLUSTER_TWO_SERVERS).createSchema(false).buildSettings())) {
      samples = operations.inspection().capacitySamples(7);
    }
    CapacitySample disk =
        samples.stream()
            .filter(sample -> sample.store().equals("disk:default"))
            .findFirst()
            .orElseThrow();
    assertThat(disk.totalBytes()).as("the engine counted once per server").isEqualTo(2 * oneServer);
    assertThat(disk.freeBytes()).isPositive().isLessThanOrEqualTo(disk.totalBytes());

    try (ClickHouseOperations operations =
        ClickHouseOperations.connect(
            settings(ClickHouseFront.CLUSTER_SHARD_DOWN).createSchema(false).buildSettings())) {
      CapacitySample withShardDown =
          operations.inspection().capacitySamples(7).stream()
              .filter(sample -> sample.store().equals("disk:default"))
              .findFirst()
              .orElseThrow();
      assertThat(withShardDown.totalBytes())
          .as("the server that is down is left out")
          .isEqualTo(oneServer);
    }
  }
}
