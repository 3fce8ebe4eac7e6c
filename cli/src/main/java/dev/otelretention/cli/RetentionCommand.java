package dev.otelretention.cli;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code retention}: the one way a table every instance writes gets a shorter TTL. Exporters keep a
 * longer live TTL unless told they may shorten it; this shows what goes and asks for {@code
 * --confirm}.
 */
@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    description = {
      "Set how long tables keep their rows (their TTL), keeping their moves to other volumes.",
      "Shortening deletes the rows of every writer: the plan lists the partitions that go now,"
          + " with their rows, and counts the rows that go later; it runs only with --confirm."
          + " Lengthening runs at once."
    })
final class RetentionCommand extends PlannedCommand {
  @Option(
      names = "--ttl",
      required = true,
      paramLabel = "DURATION",
      description = "how long rows are kept, with a unit: 36h, 7d, 90d; 0 keeps them forever")
  String ttl;

  private Duration parsedTtl;

  /** A TTL without its unit is a usage error, reported before anything connects. */
  @Override
  void checkOptions() {
    try {
      parsedTtl = EnvironmentConfig.parseDuration("--ttl", ttl);
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, ttl);
    }
  }

  @Override
  OperationPlan plan(ClickHouseOperations operations) throws Exception {
    return operations.partitionMoves().planTtl(tables, parsedTtl);
  }
}
