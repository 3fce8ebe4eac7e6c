package dev.otelretention.cli;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * A command over the ClickHouse operations: connects with the shared options, runs, disconnects.
 */
abstract class ClickHouseCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClickHouseOptions clickhouse;

  /** Runs the command on an open connection; returns the exit status. */
  abstract int run(ClickHouseOperations operations, PrintWriter out) throws Exception;

  /** Checks this command's own option values before anything connects; none by default. */
  void checkOptions() {}

  @Override
  public final Integer call() throws Exception {
    checkOptions();
    if (!clickhouse.configured(EnvironmentConfig.fromSystem())) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "a ClickHouse endpoint is required: --clickhouse-endpoint URL, or CLICKHOUSE_ENDPOINT");
    }
    try (ClickHouseOperations operations = clickhouse.connect()) {
      return run(operations, spec.commandLine().getOut());
    }
  }
}
