package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.operations.BackupTarget;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backup}: tables, or their partitions of a range of days, to a backup target. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description =
        "Back up tables, or their partitions of a day range, to disk:NAME:PATH, file:PATH or s3:URL.")
final class BackupCommand extends PlannedCommand {
  @Option(
      names = "--target",
      required = true,
      description =
          "disk:NAME:PATH, file:PATH or s3:URL (S3 keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)")
  String target;

  @ArgGroup(exclusive = false)
  DayRange range;

  @Override
  OperationPlan plan(ClickHouseOperations operations) throws Exception {
    return operations.backups().planBackup(target(target), tables, DayRange.of(range));
  }

  /**
   * The target of {@code text}; an {@code s3:} target takes its keys from the standard AWS
   * variables.
   */
  static BackupTarget target(String text) {
    BackupTarget target = BackupTarget.parse(text);
    String key = System.getenv("AWS_ACCESS_KEY_ID");
    String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
    if (text.startsWith("s3:") && key != null && secret != null) {
      return BackupTarget.s3(text.substring(3), key, secret);
    }
    return target;
  }
}
