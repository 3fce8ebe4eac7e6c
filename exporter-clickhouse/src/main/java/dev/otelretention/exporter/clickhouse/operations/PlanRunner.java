package dev.otelretention.exporter.clickhouse.operations;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan.OperationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs an {@link OperationPlan} statement by statement, following each backup or restore until it
 * ends.
 */
final class PlanRunner {
  private static final long FIRST_POLL_MILLIS = 50;
  private static final long LONGEST_POLL_MILLIS = 1000;

  private final ClickHouseConnection connection;

  PlanRunner(ClickHouseConnection connection) {
    this.connection = connection;
  }

  OperationResult run(OperationPlan plan, boolean confirmed, Duration timeout)
      throws ExportException {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(timeout, "timeout");
    if (plan.destructive() && !confirmed) {
      throw new IllegalStateException(
          "'" + plan.summary() + "' is destructive: review the plan and confirm it");
    }
    List<String> outcomes = new ArrayList<>();
    for (OperationPlan.Step step : plan.steps()) {
      try {
        outcomes.add(run(step, timeout));
      } catch (ExportException e) {
        throw e.isRetryable()
            ? ExportException.retryable(e.errorType(), plan.mask(e.getMessage()), null)
            : ExportException.permanent(e.errorType(), plan.mask(e.getMessage()), null);
      }
    }
    return new OperationResult(plan.summary(), outcomes);
  }

  private String run(OperationPlan.Step step, Duration timeout) throws ExportException {
    if (step.kind() == OperationPlan.Kind.BACKUP_OR_RESTORE) {
      return follow(
          connection.query(step.sql() + " ASYNC", Map.of()).get(0).getString("id"), timeout);
    }
    connection.execute(step.sql());
    return "ok";
  }

  private String follow(String id, Duration timeout) throws ExportException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> parameters = Map.of("id", id);
    long pause = FIRST_POLL_MILLIS;
    while (true) {
      List<GenericRecord> rows =
          connection.query(
              "SELECT status, error, num_files, total_size FROM system.backups"
                  + " WHERE id = {id:String}",
              parameters);
      String status = rows.isEmpty() ? "UNKNOWN" : rows.get(0).getString("status");
      if (status.endsWith("_FAILED") || status.endsWith("_CANCELLED")) {
        throw ExportException.permanent(
            "clickhouse_" + status.toLowerCase(Locale.ROOT),
            status + ": " + firstLine(rows.get(0).getString("error")),
            null);
      }
      if (status.equals("BACKUP_CREATED") || status.equals("RESTORED")) {
        return String.format(
            Locale.ROOT,
            "%s %,d files, %,d bytes (id %s)",
            status,
            rows.get(0).getLong("num_files"),
            rows.get(0).getLong("total_size"),
            id);
      }
      if (System.nanoTime() > deadline) {
        throw ExportException.retryable(
            "timeout",
            status
                + " still running after "
                + EnvironmentConfig.format(timeout)
                + " (id "
                + id
                + ")",
            null);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ExportException.retryable("interrupted", "interrupted while waiting for " + id, e);
      }
      pause = Math.min(LONGEST_POLL_MILLIS, pause * 2);
    }
  }

  /** The engine's error without its stack trace. */
  private static String firstLine(String error) {
    int newline = error.indexOf('\n');
    int stack = error.indexOf(", Stack trace");
    return error.substring(0, stack >= 0 ? stack : newline >= 0 ? newline : error.length());
  }
}
