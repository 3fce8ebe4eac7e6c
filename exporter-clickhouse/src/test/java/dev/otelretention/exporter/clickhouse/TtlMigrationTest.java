package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager.MigrationReport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A shortened TTL on a table with 30 daily partitions, applied by several instances starting at
 * once with the consent to shorten: no mutation, no part rewritten that the change did not expire,
 * the expired partitions gone at once.
 */
class TtlMigrationTest {
  private static final String DATABASE = "ttl_migration";
  private static final int INSTANCES = 5;

  private static ClickHouseExporters.Builder settings(Duration tracesTtl) throws IOException {
    return ClickHouseExporters.builder()
        .endpoint(ClickHouseFront.get().endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(DATABASE)
        .tracesTtl(tracesTtl)
        .allowTtlShortening(true);
  }

  private static MigrationReport migrate(Duration tracesTtl) throws Exception {
    ClickHouseSettings built = settings(tracesTtl).buildSettings();
    try (ClickHouseConnection connection =
        new ClickHouseConnection(built.connection(), Duration.ofSeconds(60))) {
      return new SchemaManager(connection, built.schema(), true).ensure();
    }
  }

  /** Active part names of {@code otel_traces} by partition. */
  private static Map<String, List<String>> parts(ClickHouseFront front) {
    Map<String, List<String>> parts = new TreeMap<>();
    for (GenericRecord row :
        front.query(
            "SELECT partition, name FROM system.parts WHERE active AND database = '"
                + DATABASE
                + "' AND table = 'otel_traces' ORDER BY name")) {
      parts
          .computeIfAbsent(row.getString("partition"), p -> new ArrayList<>())
          .add(row.getString("name"));
    }
    return parts;
  }

  private static long mutations(ClickHouseFront front) {
    return front.count("SELECT count() FROM system.mutations WHERE database = '" + DATABASE + "'");
  }

  @Test
  void aShorterTtlRewritesNothingAndDropsExpiredDaysAtOnce() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    migrate(Duration.ofDays(30));
    // 30 daily partitions of spans, 4 per day at 03, 09, 15 and 21 h, today's the newest: anchored
    // to the day, not to now, so that a run shortly after midnight still fills exactly 30 days
    front.execute(
        "INSERT INTO "
            + DATABASE
            + ".otel_traces (Timestamp, TraceId, SpanId, SpanName, ServiceName)"
            + " SELECT toStartOfDay(now64(9)) + toIntervalHour(21) - toIntervalHour(number * 6),"
            + " hex(number), hex(number), 'op', 'svc' FROM numbers(120)");
    Map<String, List<String>> before = parts(front);
    assertThat(before).hasSize(30);
    long mutationsBefore = mutations(front);

    ExecutorService starts = Executors.newFixedThreadPool(INSTANCES);
    List<Future<MigrationReport>> reports = new ArrayList<>();
    List<Long> waits = new ArrayList<>();
    try {
      for (int i = 0; i < INSTANCES; i++) {
        reports.add(
            starts.submit(
                () -> {
                  long start = System.nanoTime();
                  MigrationReport report = migrate(Duration.ofDays(7));
                  synchronized (waits) {
                    waits.add((System.nanoTime() - start) / 1_000_000);
                  }
                  return report;
                }));
      }
      List<String> applied = new ArrayList<>();
      for (Future<MigrationReport> report : reports) {
        applied.addAll(report.get().applied());
      }
      assertThat(applied)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("otel_traces`: TTL")
                      .endsWith("toDateTime(Timestamp) + toIntervalDay(7)"));
      assertThat(applied).anySatisfy(line -> assertThat(line).contains("dropped partition"));
    } finally {
      starts.shutdownNow();
    }

    Map<String, List<String>> after = parts(front);
    long rewritten =
        after.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey()))).count();
    System.out.printf(
        "TTL 30 d -> 7 d by %d instances at once: %d partitions before, %d after, %d mutations,"
            + " %d kept partitions with rewritten parts, each instance's migration took %s ms%n",
        INSTANCES,
        before.size(),
        after.size(),
        mutations(front) - mutationsBefore,
        rewritten,
        waits);
    assertThat(mutations(front) - mutationsBefore).as("mutations started").isZero();
    assertThat(after).as("partitions kept").isNotEmpty().hasSizeLessThanOrEqualTo(9);
    after.forEach(
        (partition, names) ->
            assertThat(names)
                .as("parts of kept partition " + partition)
                .isEqualTo(before.get(partition)));
    assertThat(
            front.count(
                "SELECT count() FROM (SELECT toDate(Timestamp) AS day FROM "
                    + DATABASE
                    + ".otel_traces GROUP BY day"
                    + " HAVING max(Timestamp) < now() - toIntervalDay(7) - toIntervalMinute(10))"))
        .as("days whose every row was past the new TTL when the instances started")
        .isZero();
    assertThat(
            front.count(
                "SELECT count() FROM "
                    + DATABASE
                    + ".otel_traces WHERE Timestamp < now() - toIntervalDay(8)"))
        .as("rows more than a day past the new TTL (a day's partition goes when its last row does)")
        .isZero();
  }
}
