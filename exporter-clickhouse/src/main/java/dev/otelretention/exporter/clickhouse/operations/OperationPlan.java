package dev.otelretention.exporter.clickhouse.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an operation will do, before it does it: a one-line summary, the SQL statements in the order
 * they run (secrets masked), warnings, and whether it is destructive. Destructive plans (dropping,
 * moving or replacing data, restoring over existing rows) run only with an explicit confirmation:
 * see {@link ClickHouseOperations#execute(OperationPlan, boolean)}. Made by the {@code plan*}
 * methods of {@link BackupPlanner} and {@link PartitionPlanner}.
 */
public final class OperationPlan {
  /** How a statement runs. */
  enum Kind {
    /** A statement whose result does not matter. */
    STATEMENT,
    /** {@code BACKUP} or {@code RESTORE}, run {@code ASYNC} and followed until it ends. */
    BACKUP_OR_RESTORE
  }

  /** One statement. */
  record Step(String sql, Kind kind) {}

  private final String summary;
  private final boolean destructive;
  private final List<Step> steps;
  private final List<String> warnings;
  private final String secret;

  private OperationPlan(
      String summary, boolean destructive, List<Step> steps, List<String> warnings, String secret) {
    this.summary = summary;
    this.destructive = destructive;
    this.steps = List.copyOf(steps);
    this.warnings = List.copyOf(warnings);
    this.secret = secret;
  }

  static Builder builder(String summary, boolean destructive) {
    return new Builder(summary, destructive);
  }

  /** One line saying what the operation does. */
  public String summary() {
    return summary;
  }

  /** Whether the operation removes, moves or overwrites data, and so needs a confirmation. */
  public boolean destructive() {
    return destructive;
  }

  /** The SQL statements in the order they run, with any secret masked. */
  public List<String> statements() {
    List<String> statements = new ArrayList<>();
    for (Step step : steps) {
      statements.add(mask(step.sql()));
    }
    return statements;
  }

  /**
   * Things to know before running it, e.g. that restored rows older than the TTL will be deleted
   * again.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** Whether there is nothing to do (e.g. no partition in the range). */
  public boolean isEmpty() {
    return steps.isEmpty();
  }

  List<Step> steps() {
    return steps;
  }

  /** {@code text} with the secret of the plan, if any, replaced by asterisks. */
  String mask(String text) {
    return secret == null || text == null ? text : text.replace(secret, "******");
  }

  /**
   * The summary, the warnings and the statements, one per line, as a person should read them before
   * confirming.
   */
  public String describe() {
    StringBuilder text =
        new StringBuilder(summary).append(destructive ? " [destructive]" : "").append('\n');
    for (String warning : warnings) {
      text.append("warning: ").append(warning).append('\n');
    }
    if (steps.isEmpty()) {
      text.append("nothing to do\n");
    }
    for (String statement : statements()) {
      text.append("  ").append(statement.replace("\n", "\n  ")).append(";\n");
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Collects the steps of a plan. */
  static final class Builder {
    private final String summary;
    private final boolean destructive;
    private final List<Step> steps = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private String secret;

    private Builder(String summary, boolean destructive) {
      this.summary = Objects.requireNonNull(summary, "summary");
      this.destructive = destructive;
    }

    Builder statement(String sql) {
      steps.add(new Step(sql, Kind.STATEMENT));
      return this;
    }

    Builder backupOrRestore(String sql) {
      steps.add(new Step(sql, Kind.BACKUP_OR_RESTORE));
      return this;
    }

    Builder warning(String warning) {
      warnings.add(warning);
      return this;
    }

    Builder secret(String secret) {
      this.secret = secret;
      return this;
    }

    OperationPlan build() {
      return new OperationPlan(summary, destructive, steps, warnings, secret);
    }
  }

  /**
   * What an executed {@link OperationPlan} did: one outcome per statement, in order.
   *
   * @param summary the plan's summary
   * @param outcomes one line per statement, e.g. {@code BACKUP_CREATED 61 files, 8857 bytes (id
   *     ...)} or {@code ok}
   */
  public record OperationResult(String summary, List<String> outcomes) {
    /** Copies the list. */
    public OperationResult {
      outcomes = List.copyOf(outcomes);
    }
  }
}
