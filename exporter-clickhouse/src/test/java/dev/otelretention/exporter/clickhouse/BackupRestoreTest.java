package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.operations.BackupPlanner.RestoreMode;
import dev.otelretention.exporter.clickhouse.operations.BackupTarget;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan.OperationResult;
import dev.otelretention.exporter.clickhouse.operations.PartitionRange;
import dev.otelretention.exporter.clickhouse.operations.TableChecksum;
import dev.otelretention.exporter.clickhouse.operations.TableInspection.PartitionInfo;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backup and restore round trips, partition ranges, archives and confirmations, against the real
 * engine.
 */
class BackupRestoreTest {
  @SuppressWarnings("TimeInStaticInitializer") // one reference time for the whole class
  private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

  private static ClickHouseFront front;

  @BeforeAll
  static void startFront() throws Exception {
    front = ClickHouseFront.get();
  }

  private static ClickHouseExporters.Builder exporters(String database) {
    return ClickHouseExporters.builder()
        .endpoint(front.endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(database);
  }

  /** Spans and logs on each of the last three days, and the SDK's own metrics. */
  private static void exportThreeDays(ClickHouseExporters.Builder exporters, String tag) {
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(exporters.buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("backup");
      Logger logger = telemetry.openTelemetry().getLogsBridge().get("backup");
      for (int day = 0; day < 3; day++) {
        Instant time = Instant.now().minus(Duration.ofDays(day));
        for (int i = 0; i < 20; i++) {
          tracer
              .spanBuilder(tag + "-span-" + day + "-" + i)
              .setStartTimestamp(time)
              .startSpan()
              .end(time.plusMillis(i));
          logger
              .logRecordBuilder()
              .setTimestamp(time)
              .setBody(tag + " log " + day + " " + i)
              .emit();
        }
      }
      telemetry
          .openTelemetry()
          .getMeterProvider()
          .get("backup")
          .counterBuilder("backups.made")
          .build()
          .add(3);
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
  }

  private static BackupTarget newDiskTarget() {
    return BackupTarget.disk("backups", "test-" + UUID.randomUUID());
  }

  @Test
  void backUpDropRestoreGivesTheSameRowsAndChecksums() throws Exception {
    ClickHouseExporters.Builder exporters = exporters("backup_round_trip");
    exportThreeDays(exporters, "original");
    try (ClickHouseOperations operations = ClickHouseOperations.connect(exporters)) {
      List<TableChecksum> before = operations.inspection().checksums(List.of(), null);
      assertThat(before)
          .extracting(TableChecksum::table)
          .contains("otel_traces", "otel_logs", "otel_traces_trace_id_ts");
      assertThat(before.get(0).rows()).isEqualTo(60);

      BackupTarget target = newDiskTarget();
      OperationPlan backup = operations.backups().planBackup(target, List.of(), null);
      assertThat(backup.destructive()).isFalse();
      assertThat(backup.statements()).hasSize(1);
      assertThat(backup.statements().get(0))
          .startsWith("BACKUP TABLE `backup_round_trip`.`otel_traces`, TABLE")
          .endsWith(" TO Disk('backups', '" + target.toString().split("'")[3] + "')");
      OperationResult result = operations.execute(backup, false);
      assertThat(result.outcomes().get(0)).startsWith("BACKUP_CREATED ");
      assertThat(
              front.backupsDirectory().resolve(target.toString().split("'")[3]).resolve(".backup"))
          .exists();

      // a disaster: two tables gone
      front.execute("DROP TABLE backup_round_trip.otel_traces SYNC");
      front.execute("DROP TABLE backup_round_trip.otel_logs SYNC");
      OperationPlan restore =
          operations
              .backups()
              .planRestore(
                  target, List.of("otel_traces", "otel_logs"), null, RestoreMode.INTO_EMPTY);
      assertThat(restore.destructive()).isFalse();
      assertThat(restore.warnings())
          .anyMatch(w -> w.startsWith("otel_traces keeps rows for 7 days"));
      assertThat(operations.execute(restore, false).outcomes().get(0)).startsWith("RESTORED ");
      assertThat(operations.inspection().checksums(List.of(), null)).isEqualTo(before);

      // restoring over tables that hold data: the engine refuses unless the mode says what to do
      ExportException refused =
          Assertions.assertThrows(
              ExportException.class,
              () ->
                  operations.execute(
                      operations
                          .backups()
                          .planRestore(target, List.of("otel_logs"), null, RestoreMode.INTO_EMPTY),
                      false));
      assertThat(refused.getMessage()).contains("already contains some data");

      // new rows after the backup; REPLACE puts every table back as it was backed up
      exportThreeDays(exporters, "later");
      assertThat(operations.inspection().checksums(List.of("otel_traces"), null).get(0).rows())
          .isEqualTo(120);
      OperationPlan replace =
          operations.backups().planRestore(target, List.of(), null, RestoreMode.REPLACE);
      assertThat(replace.destructive()).isTrue();
      assertThat(replace.statements())
          .contains("DROP TABLE IF EXISTS `backup_round_trip`.`otel_logs` SYNC");
      assertThatThrownBy(() -> operations.execute(replace, false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is destructive");
      assertThat(operations.inspection().checksums(List.of("otel_traces"), null).get(0).rows())
          .as("nothing ran")
          .isEqualTo(120);
      operations.execute(replace, true);
      assertThat(operations.inspection().checksums(List.of(), null)).isEqualTo(before);

      // the same target cannot take a second backup
      ExportException exists =
          Assertions.assertThrows(
              ExportException.class,
              () ->
                  operations.execute(
                      operations.backups().planBackup(target, List.of(), null), false));
      assertThat(exists.getMessage()).contains("already exists");
    }
  }

  @Test
  void partitionRangesBackUpDropAndRestoreSingleDays() throws Exception {
    ClickHouseExporters.Builder exporters = exporters("backup_partitions");
    exportThreeDays(exporters, "day");
    LocalDate yesterday = TODAY.minusDays(1);
    PartitionRange range = new PartitionRange(yesterday, yesterday);
    try (ClickHouseOperations operations = ClickHouseOperations.connect(exporters)) {
      assertThat(operations.inspection().partitions("otel_traces", null))
          .extracting(PartitionInfo::partition)
          .containsExactly(TODAY.minusDays(2).toString(), yesterday.toString(), TODAY.toString());
      List<PartitionInfo> day = operations.inspection().partitions("otel_traces", range);
      assertThat(day)
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.rows()).isEqualTo(20);
                assertThat(p.partitionId()).isEqualTo(yesterday.toString().replace("-", ""));
                assertThat(p.disks()).containsExactly("default");
              });
      List<TableChecksum> before =
          operations.inspection().checksums(List.of("otel_traces", "otel_logs"), range);
      assertThat(before).extracting(TableChecksum::rows).containsExactly(20L, 20L);

      BackupTarget target = newDiskTarget();
      OperationPlan backup =
          operations.backups().planBackup(target, List.of("otel_traces", "otel_logs"), range);
      assertThat(backup.statements().get(0))
          .isEqualTo(
              "BACKUP TABLE `backup_partitions`.`otel_traces` PARTITIONS '"
                  + yesterday
                  + "', TABLE `backup_partitions`.`otel_logs` PARTITIONS '"
                  + yesterday
                  + "' TO "
                  + target);
      operations.execute(backup, false);

      OperationPlan drop =
          operations.partitionMoves().planDrop(List.of("otel_traces", "otel_logs"), range);
      assertThat(drop.destructive()).isTrue();
      assertThat(drop.warnings()).containsExactly("40 rows are deleted for good");
      operations.execute(drop, true);
      assertThat(operations.inspection().checksums(List.of("otel_traces", "otel_logs"), range))
          .extracting(TableChecksum::rows)
          .containsExactly(0L, 0L);
      assertThat(operations.inspection().checksums(List.of("otel_traces"), null).get(0).rows())
          .isEqualTo(40);

      operations.execute(
          operations
              .backups()
              .planRestore(target, List.of("otel_traces", "otel_logs"), range, RestoreMode.REPLACE),
          true);
      assertThat(operations.inspection().checksums(List.of("otel_traces", "otel_logs"), range))
          .isEqualTo(before);
      assertThat(operations.inspection().checksums(List.of("otel_traces"), null).get(0).rows())
          .isEqualTo(60);
    }
  }

  @Test
  void archiveMovesPartitionsOutAndBack() throws Exception {
    ClickHouseExporters.Builder exporters = exporters("backup_archive");
    exportThreeDays(exporters, "archived");
    PartitionRange old = new PartitionRange(TODAY.minusDays(30), TODAY.minusDays(2));
    try (ClickHouseOperations operations = ClickHouseOperations.connect(exporters)) {
      List<TableChecksum> before = operations.inspection().checksums(List.of("otel_logs"), null);
      OperationPlan archive = operations.partitionMoves().planArchive(List.of("otel_logs"), old);
      assertThat(archive.statements())
          .containsExactly(
              "CREATE TABLE IF NOT EXISTS `backup_archive`.`otel_logs_archive` AS `backup_archive`.`otel_logs`",
              "ALTER TABLE `backup_archive`.`otel_logs_archive` REMOVE TTL",
              "ALTER TABLE `backup_archive`.`otel_logs` MOVE PARTITION ID '"
                  + TODAY.minusDays(2).toString().replace("-", "")
                  + "' TO TABLE `backup_archive`.`otel_logs_archive`");
      assertThatThrownBy(() -> operations.execute(archive, false))
          .isInstanceOf(IllegalStateException.class);
      operations.execute(archive, true);
      assertThat(front.count("SELECT count() FROM backup_archive.otel_logs")).isEqualTo(40);
      assertThat(front.count("SELECT count() FROM backup_archive.otel_logs_archive")).isEqualTo(20);
      assertThat(
              front.query("SHOW CREATE TABLE backup_archive.otel_logs_archive").get(0).getString(1))
          .doesNotContain("TTL");
      // a second archive run finds the archive table as it left it
      assertThat(operations.partitionMoves().planArchive(List.of("otel_logs"), old).isEmpty())
          .isTrue();

      // copied back, the archive keeps its rows
      OperationPlan copy =
          operations.partitionMoves().planUnarchive(List.of("otel_logs"), old, true);
      assertThat(copy.statements())
          .containsExactly(
              "ALTER TABLE `backup_archive`.`otel_logs` ATTACH PARTITION ID '"
                  + TODAY.minusDays(2).toString().replace("-", "")
                  + "' FROM `backup_archive`.`otel_logs_archive`");
      assertThat(copy.warnings()).noneMatch(w -> w.contains("already has rows"));
      operations.execute(copy, true);
      assertThat(operations.inspection().checksums(List.of("otel_logs"), null)).isEqualTo(before);
      assertThat(front.count("SELECT count() FROM backup_archive.otel_logs_archive")).isEqualTo(20);
      assertThat(
              operations.partitionMoves().planUnarchive(List.of("otel_logs"), old, true).warnings())
          .anyMatch(
              w -> w.startsWith("otel_logs already has rows in partition " + TODAY.minusDays(2)));

      // moved back: the live table has them once more only after the copy is dropped
      operations.execute(operations.partitionMoves().planDrop(List.of("otel_logs"), old), true);
      operations.execute(
          operations.partitionMoves().planUnarchive(List.of("otel_logs"), old), true);
      assertThat(operations.inspection().checksums(List.of("otel_logs"), null)).isEqualTo(before);
      assertThat(front.count("SELECT count() FROM backup_archive.otel_logs_archive")).isZero();
    }
  }

  @Test
  void partitionsMoveToTheColdVolume() throws Exception {
    ClickHouseExporters.Builder exporters = exporters("backup_moves").storagePolicy("tiered");
    exportThreeDays(exporters, "moved");
    try (ClickHouseOperations operations = ClickHouseOperations.connect(exporters)) {
      PartitionRange older = new PartitionRange(TODAY.minusDays(2), TODAY.minusDays(1));
      OperationPlan move =
          operations
              .partitionMoves()
              .planMove(List.of("otel_traces"), older, TtlMove.Target.VOLUME, "cold");
      assertThat(move.statements()).hasSize(2).allMatch(s -> s.endsWith(" TO VOLUME 'cold'"));
      operations.execute(move, true);
      assertThat(operations.inspection().partitions("otel_traces", null))
          .extracting(p -> p.disks().get(0))
          .containsExactly("cold", "cold", "hot");
    }
  }

  @Test
  void secretsNeverShowAndBadInputIsRefused() throws Exception {
    BackupTarget s3 =
        BackupTarget.s3(
            "https://bucket.s3.example.com/otel/nightly", "AKIDEXAMPLE", "wJalrXUtnFEMI-secret");
    assertThat(s3.toString())
        .isEqualTo("S3('https://bucket.s3.example.com/otel/nightly', 'AKIDEXAMPLE', '******')");
    try (ClickHouseOperations operations =
        ClickHouseOperations.connect(exporters("backup_secrets"))) {
      OperationPlan plan =
          operations.backups().planRestore(s3, List.of("otel_logs"), null, RestoreMode.INTO_EMPTY);
      assertThat(plan.describe()).contains("'******'").doesNotContain("wJalrXUtnFEMI-secret");
      assertThat(plan.statements().get(0)).doesNotContain("wJalrXUtnFEMI-secret");
      assertThatThrownBy(() -> operations.inspection().partitions("otel_nope", null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown table 'otel_nope'")
          .hasMessageContaining("otel_metrics_summary");
    }
    assertThatThrownBy(() -> BackupTarget.disk("backups", "../etc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackupTarget.disk("back ups", "x"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> BackupTarget.parse("ftp://x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("disk:NAME:PATH, file:PATH or s3:URL");
    assertThat(BackupTarget.parse("disk:backups:nightly/2026-11-24"))
        .isEqualTo(BackupTarget.disk("backups", "nightly/2026-11-24"));
    assertThatThrownBy(() -> new PartitionRange(TODAY, TODAY.minusDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
