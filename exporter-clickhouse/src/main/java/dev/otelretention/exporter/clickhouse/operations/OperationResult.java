package dev.otelretention.exporter.clickhouse.operations;

import java.util.List;

/**
 * What an executed {@link OperationPlan} did: one outcome per statement, in order.
 *
 * @param summary the plan's summary
 * @param outcomes one line per statement, e.g. {@code BACKUP_CREATED 61 files, 8857 bytes (id ...)}
 *     or {@code ok}
 */
public record OperationResult(String summary, List<String> outcomes) {
  /** Copies the list. */
  public OperationResult {
    outcomes = List.copyOf(outcomes);
  }
}
