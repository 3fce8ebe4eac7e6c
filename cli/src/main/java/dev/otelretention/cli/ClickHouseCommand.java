package dev.otelretention.cli;

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

  @Override
  public final Integer call() throws Exception {
    try (ClickHouseOperations operations = clickhouse.connect()) {
      return run(operations, spec.commandLine().getOut());
    }
  }
}
