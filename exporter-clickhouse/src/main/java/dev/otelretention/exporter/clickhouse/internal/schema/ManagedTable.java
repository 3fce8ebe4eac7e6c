package dev.otelretention.exporter.clickhouse.internal.schema;

import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable.Column;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * A table whose columns and TTL the schema manager keeps in line with the configuration, and which
 * the retention report and the operations cover: a telemetry table or a metric rollup.
 *
 * @param name the table name queries use
 * @param storageName the table that stores the rows ({@code <name>_local} on a cluster)
 * @param columns the columns it must have
 * @param timeColumn the column its TTL and time range are computed from
 * @param ttl how long rows are kept, zero for ever
 * @param ttlExpression the TTL expression the configuration asks for, empty for none
 * @param ttlTime the time expression the TTL adds its interval to, e.g. {@code
 *     toDateTime(Timestamp)}
 * @param ttlSetting how the configured TTL was set, as the person wrote it ({@code
 *     OTEL_RETENTION_CLICKHOUSE_TRACES_TTL=1d}, {@code tracesTtl(1d)}, or the default), for
 *     messages
 * @param partitionUnit what one partition holds
 * @param aggregating whether rows with the same key are merged into one (AggregatingMergeTree), so
 *     that only a {@code FINAL} read has a stable row count
 * @param aliasColumns the columns computed when read that it must have, added where missing
 */
public record ManagedTable(
    String name,
    String storageName,
    List<Column> columns,
    String timeColumn,
    Duration ttl,
    String ttlExpression,
    String ttlTime,
    String ttlSetting,
    PartitionUnit partitionUnit,
    boolean aggregating,
    List<TelemetryTable.AliasColumn> aliasColumns) {

  /** The span of one partition, as its {@code PARTITION BY} expression makes it. */
  public enum PartitionUnit {
    /** {@code toDate(...)}: partitions named {@code 2026-11-24}. */
    DAY,
    /** {@code toStartOfWeek(...)}: partitions named after their Sunday. */
    WEEK,
    /** {@code toYYYYMM(...)}: partitions named {@code 202611}. */
    MONTH;

    /** The first and last day of the partition named {@code partition}. */
    public LocalDate[] days(String partition) {
      switch (this) {
        case MONTH -> {
          YearMonth month = YearMonth.parse(partition, DateTimeFormatter.ofPattern("yyyyMM"));
          return new LocalDate[] {month.atDay(1), month.atEndOfMonth()};
        }
        case WEEK -> {
          LocalDate sunday = LocalDate.parse(partition);
          return new LocalDate[] {sunday, sunday.plusDays(6)};
        }
        default -> {
          LocalDate day = LocalDate.parse(partition);
          return new LocalDate[] {day, day};
        }
      }
    }

    /**
     * The names of every partition that overlaps {@code from} to {@code to}, whether or not it
     * exists.
     */
    public List<String> names(LocalDate from, LocalDate to) {
      List<String> names = new ArrayList<>();
      switch (this) {
        case MONTH -> {
          for (YearMonth m = YearMonth.from(from);
              !m.isAfter(YearMonth.from(to));
              m = m.plusMonths(1)) {
            names.add(m.format(DateTimeFormatter.ofPattern("yyyyMM")));
          }
        }
        case WEEK -> {
          for (LocalDate d = from.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
              !d.isAfter(to);
              d = d.plusWeeks(1)) {
            names.add(d.toString());
          }
        }
        default -> {
          for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            names.add(d.toString());
          }
        }
      }
      return names;
    }
  }
}
