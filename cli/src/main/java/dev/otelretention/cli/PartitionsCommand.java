package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.TableInspection.PartitionInfo;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code partitions}: the partitions of one table. */
@Command(
    name = "partitions",
    mixinStandardHelpOptions = true,
    description = "The partitions of a table: rows, bytes, disks.")
final class PartitionsCommand extends ClickHouseCommand {
  @Option(names = "--table", required = true, description = "the table, e.g. otel_traces")
  String table;

  @ArgGroup(exclusive = false)
  DayRange range;

  @Option(names = "--json", description = "print one JSON object per partition instead of a table")
  boolean json;

  @Override
  int run(ClickHouseOperations operations, PrintWriter out) throws Exception {
    if (json) {
      for (PartitionInfo partition :
          operations.inspection().partitions(table, DayRange.of(range))) {
        out.println(
            JsonLine.of("partition")
                .with("table", partition.table())
                .with("partition", partition.partition())
                .with("partitionId", partition.partitionId())
                .with("firstDay", partition.firstDay().toString())
                .with("lastDay", partition.lastDay().toString())
                .with("rows", partition.rows())
                .with("bytes", partition.bytes())
                .with("disks", partition.disks()));
      }
      return OtelRetentionCli.OK;
    }
    out.println(
        String.format(
            Locale.ROOT, "%-12s %-10s %14s %16s  %s", "partition", "id", "rows", "bytes", "disks"));
    for (PartitionInfo partition : operations.inspection().partitions(table, DayRange.of(range))) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-12s %-10s %,14d %,16d  %s",
              partition.partition(),
              partition.partitionId(),
              partition.rows(),
              partition.bytes(),
              String.join(",", partition.disks())));
    }
    return OtelRetentionCli.OK;
  }
}
