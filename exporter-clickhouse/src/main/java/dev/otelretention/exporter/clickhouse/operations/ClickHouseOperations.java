package dev.otelretention.exporter.clickhouse.operations;

import dev.otelretention.config.ConfigException;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.ClickHouseSettings;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan.OperationResult;
import java.time.Duration;
import java.util.Objects;

/**
 * Operations on the telemetry tables for operators, over a connection of their own, by job: {@link
 * #inspection()} reads (the retention report, capacity, partitions, checksums); {@link #backups()}
 * plans backups and restores; {@link #partitionMoves()} plans archiving, moving and dropping
 * partitions. Plans are shown first and then run with {@link #execute(OperationPlan, boolean)},
 * which refuses a destructive plan without a confirmation.
 *
 * <p>Tables are named as queries name them ({@code otel_traces}, {@code otel_metrics_sum_1m}, ...);
 * an empty list means every telemetry table (and rollup, when enabled) that exists.
 */
public final class ClickHouseOperations implements AutoCloseable {
  /**
   * How long one statement of an operation may take; an {@code ALTER} or a synchronous backup can
   * be slow.
   */
  private static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(5);

  /** How long {@link #execute(OperationPlan, boolean)} follows one backup or restore. */
  private static final Duration BACKUP_TIMEOUT = Duration.ofHours(1);

  private final ClickHouseConnection connection;
  private final TableInspection inspection;
  private final BackupPlanner backups;
  private final PartitionPlanner partitionMoves;
  private final PlanRunner runner;

  private ClickHouseOperations(ClickHouseSettings settings, boolean readOnly) {
    this.connection = new ClickHouseConnection(settings.connection(), STATEMENT_TIMEOUT, readOnly);
    OperationTables tables = new OperationTables(connection, settings.schema());
    this.inspection = new TableInspection(tables);
    this.backups = new BackupPlanner(tables);
    this.partitionMoves = new PartitionPlanner(tables);
    this.runner = readOnly ? null : new PlanRunner(connection);
  }

  /**
   * Connects with an exporter's settings (endpoint, credentials, database, table names and TTLs).
   */
  public static ClickHouseOperations connect(ClickHouseSettings settings) {
    return new ClickHouseOperations(Objects.requireNonNull(settings, "settings"), false);
  }

  /**
   * Connects for reading only: the inspection and the plans work, {@link #execute(OperationPlan,
   * boolean)} is refused, and the server is asked to refuse any change ({@code readonly = 2}), so
   * that a report cannot alter or drop anything whatever it runs.
   */
  public static ClickHouseOperations connectReadOnly(ClickHouseSettings settings) {
    return new ClickHouseOperations(Objects.requireNonNull(settings, "settings"), true);
  }

  /**
   * Connects for reading only, as {@link #connectReadOnly(ClickHouseSettings)}, with the settings
   * of an exporter builder.
   *
   * @throws ConfigException if no endpoint is set, or the settings are inconsistent
   */
  public static ClickHouseOperations connectReadOnly(ClickHouseExporters.Builder settings) {
    return connectReadOnly(Objects.requireNonNull(settings, "settings").buildSettings());
  }

  /**
   * Connects with the settings of an exporter builder, as {@link
   * ClickHouseExporters.Builder#buildSettings()} makes them now.
   *
   * @throws ConfigException if no endpoint is set, or the settings are inconsistent
   */
  public static ClickHouseOperations connect(ClickHouseExporters.Builder settings) {
    return connect(Objects.requireNonNull(settings, "settings").buildSettings());
  }

  /** Read-only views: the retention report, capacity samples, partitions, checksums. */
  public TableInspection inspection() {
    return inspection;
  }

  /** Plans of backups and restores. */
  public BackupPlanner backups() {
    return backups;
  }

  /** Plans of archiving, unarchiving, moving and dropping partitions. */
  public PartitionPlanner partitionMoves() {
    return partitionMoves;
  }

  /**
   * Runs {@code plan}, statement by statement; a backup or restore is started {@code ASYNC} and
   * followed in {@code system.backups} until it ends (at most an hour).
   *
   * @param confirmed must be true for a destructive plan, after it was shown to whoever asked for
   *     it
   * @throws IllegalStateException if the plan is destructive and not confirmed
   * @throws ExportException if a statement fails; the statements before it have run
   */
  public OperationResult execute(OperationPlan plan, boolean confirmed) throws ExportException {
    return execute(plan, confirmed, BACKUP_TIMEOUT);
  }

  /**
   * Runs {@code plan} as {@link #execute(OperationPlan, boolean)} does, waiting at most {@code
   * timeout} for each backup or restore.
   */
  public OperationResult execute(OperationPlan plan, boolean confirmed, Duration timeout)
      throws ExportException {
    if (runner == null) {
      throw new IllegalStateException(
          "otel-retention: these operations were connected read-only (connectReadOnly); they do not"
              + " run plans");
    }
    return runner.run(plan, confirmed, timeout);
  }

  @Override
  public void close() {
    connection.close();
  }
}
