package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.TableChecksum;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code checksums}: row counts and checksums, to compare before a backup and after a restore. */
@Command(
    name = "checksums",
    mixinStandardHelpOptions = true,
    description =
        "Row count and checksum of each table, to compare before a backup and after a restore.")
final class ChecksumsCommand extends ClickHouseCommand {
  @Option(names = "--tables", split = ",", description = "tables (default: all)")
  List<String> tables = new ArrayList<>();

  @ArgGroup(exclusive = false)
  DayRange range;

  @Option(names = "--json", description = "print one JSON object per table instead of a table")
  boolean json;

  @Override
  int run(ClickHouseOperations operations, PrintWriter out) throws Exception {
    for (TableChecksum checksum : operations.inspection().checksums(tables, DayRange.of(range))) {
      if (json) {
        out.println(
            JsonLine.of("checksum")
                .with("table", checksum.table())
                .with("rows", checksum.rows())
                .with("checksum", checksum.checksum()));
        continue;
      }
      out.println(
          String.format(
              Locale.ROOT,
              "%-40s %,14d rows  checksum %s",
              checksum.table(),
              checksum.rows(),
              checksum.checksum()));
    }
    return OtelRetentionCli.OK;
  }
}
