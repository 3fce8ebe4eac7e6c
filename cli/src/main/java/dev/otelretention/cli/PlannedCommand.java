package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan.OperationResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A command that changes data, run the one way every such command runs: make the plan, show it,
 * then stop ({@code --dry-run} or nothing to do), refuse (destructive and no {@code --confirm}) or
 * execute it.
 */
abstract class PlannedCommand extends ClickHouseCommand {
  @Option(
      names = "--tables",
      split = ",",
      description = "tables to work on, e.g. otel_traces,otel_logs (default: all)")
  List<String> tables = new ArrayList<>();

  @Option(names = "--dry-run", description = "print what would run, with the SQL, and stop")
  boolean dryRun;

  @Option(names = "--confirm", description = "run a destructive operation (after reading its plan)")
  boolean confirm;

  /** The plan of this command; nothing may change yet. */
  abstract OperationPlan plan(ClickHouseOperations operations) throws Exception;

  @Override
  final int run(ClickHouseOperations operations, PrintWriter out) throws Exception {
    OperationPlan plan = plan(operations);
    out.print(plan.describe());
    if (dryRun || plan.isEmpty()) {
      return OtelRetentionCli.OK;
    }
    if (plan.destructive() && !confirm) {
      spec.commandLine()
          .getErr()
          .println(
              "destructive: nothing was run; read the plan above and run again with --confirm");
      return OtelRetentionCli.NOT_CONFIRMED;
    }
    OperationResult result = operations.execute(plan, confirm);
    for (int i = 0; i < result.outcomes().size(); i++) {
      out.println(
          "done " + (i + 1) + "/" + result.outcomes().size() + ": " + result.outcomes().get(i));
    }
    return OtelRetentionCli.OK;
  }
}
