package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport;
import dev.otelretention.sink.SinkContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.metrics.TestMetricData;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-minute and per-hour rollups filled by the engine's materialized views: over the covered
 * window they give the same totals as the raw points.
 */
class MetricRollupTest {
  private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("rollups");

  @SuppressWarnings("TimeInStaticInitializer") // one reference time for the whole class
  private static final Instant START =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(5));

  private static final Instant END = START.plus(Duration.ofHours(3));
  private static ClickHouseFront front;

  @BeforeAll
  static void exportThreeHoursOfPoints() throws Exception {
    front = ClickHouseFront.get();
    Random random = new Random(7);
    List<MetricData> metrics = new ArrayList<>();
    for (String host : List.of("a", "b")) {
      Resource resource =
          Resource.create(
              Attributes.of(
                  AttributeKey.stringKey("service.name"),
                  "shop",
                  AttributeKey.stringKey("host.name"),
                  host));
      for (String route : List.of("/cart", "/pay")) {
        Attributes attributes = Attributes.of(AttributeKey.stringKey("route"), route);
        List<LongPointData> gauge = new ArrayList<>();
        List<DoublePointData> delta = new ArrayList<>();
        List<LongPointData> cumulative = new ArrayList<>();
        List<HistogramPointData> histogram = new ArrayList<>();
        long total = 0;
        // a point every 20 s for 3 h, plus points on both sides of the window that the totals must
        // leave out
        for (Instant t = START.minusSeconds(60);
            t.isBefore(END.plusSeconds(60));
            t = t.plusSeconds(20)) {
          long nanos = t.toEpochMilli() * 1_000_000L + random.nextInt(1_000_000);
          long start = nanos - 20_000_000_000L;
          long increment = random.nextInt(50);
          total += increment;
          gauge.add(LongPointData.create(start, nanos, attributes, random.nextInt(1000) - 200));
          delta.add(DoublePointData.create(start, nanos, attributes, increment * 0.5, List.of()));
          cumulative.add(
              LongPointData.create(start - 3_600_000_000_000L, nanos, attributes, total));
          long low = random.nextInt(5);
          long mid = random.nextInt(5);
          long high = random.nextInt(3);
          histogram.add(
              HistogramPointData.create(
                  start,
                  nanos,
                  attributes,
                  low * 0.5 + mid * 3 + high * 10.0,
                  true,
                  0.25,
                  true,
                  12.0,
                  List.of(1.0, 5.0),
                  List.of(low, mid, high)));
        }
        metrics.add(
            metric(resource, "queue.depth")
                .setLongGaugeData(GaugeData.createLongGaugeData(gauge))
                .build());
        metrics.add(
            metric(resource, "bytes.sent")
                .setDoubleSumData(
                    SumData.createDoubleSumData(true, AggregationTemporality.DELTA, delta))
                .build());
        metrics.add(
            metric(resource, "requests")
                .setLongSumData(
                    SumData.createLongSumData(true, AggregationTemporality.CUMULATIVE, cumulative))
                .build());
        metrics.add(
            metric(resource, "latency")
                .setHistogramData(HistogramData.create(AggregationTemporality.DELTA, histogram))
                .build());
      }
    }
    MetricExporter exporter = exporters().buildMetricExporter();
    assertThat(exporter.export(metrics).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.flush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(30, TimeUnit.SECONDS);
  }

  private static ClickHouseExporters.Builder exporters() {
    return ClickHouseExporters.builder()
        .endpoint(front.endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database("rollups")
        .metricRollups(true);
  }

  private static TestMetricData.Builder metric(Resource resource, String name) {
    return TestMetricData.builder()
        .setResource(resource)
        .setInstrumentationScopeInfo(SCOPE)
        .setName(name)
        .setDescription(name)
        .setUnit("1");
  }

  private static String window(String column) {
    return column
        + " >= toDateTime64("
        + START.getEpochSecond()
        + ", 9) AND "
        + column
        + " < toDateTime64("
        + END.getEpochSecond()
        + ", 9)";
  }

  private static List<String> rows(String sql) {
    return front.query(sql).stream().map(MetricRollupTest::row).collect(Collectors.toList());
  }

  private static String row(GenericRecord record) {
    List<String> values = new ArrayList<>();
    for (int i = 1; i <= record.getSchema().getColumns().size(); i++) {
      values.add(record.getString(i));
    }
    return String.join(" | ", values);
  }

  @Test
  void gaugesAndSumsTotalTheSameAsTheRawPoints() {
    for (String table : List.of("otel_metrics_gauge", "otel_metrics_sum")) {
      String key =
          "MetricName, toString(ResourceAttributes) AS resource, toString(Attributes) AS attributes";
      List<String> raw =
          rows(
              "SELECT "
                  + key
                  + ", count(), sum(Value), min(Value), max(Value), argMin(Value, TimeUnix),"
                  + " argMax(Value, TimeUnix) FROM rollups."
                  + table
                  + " WHERE "
                  + window("TimeUnix")
                  + " GROUP BY MetricName, resource, attributes ORDER BY MetricName, resource, attributes");
      assertThat(raw).hasSize(table.endsWith("gauge") ? 4 : 8);
      for (String resolution : List.of("_1m", "_1h")) {
        List<String> rollup =
            rows(
                "SELECT "
                    + key
                    + ", sum(Points), sum(Sum), min(Min), max(Max), argMinMerge(First),"
                    + " argMaxMerge(Last) FROM rollups."
                    + table
                    + resolution
                    + " WHERE "
                    + window("TimeUnix")
                    + " GROUP BY MetricName, resource, attributes ORDER BY MetricName, resource, attributes");
        assertThat(rollup).as(table + resolution).isEqualTo(raw);
      }
    }
    // the increase of a cumulative counter over each hour: the last value of the hour less the last
    // of the one before
    List<String> rawIncrease =
        rows(
            "SELECT toString(toStartOfHour(TimeUnix)) AS hour, toString(Attributes) AS attributes,"
                + " toString(ResourceAttributes) AS resource, argMax(Value, TimeUnix) FROM rollups.otel_metrics_sum"
                + " WHERE MetricName = 'requests' AND "
                + window("TimeUnix")
                + " GROUP BY hour, attributes, resource"
                + " ORDER BY hour, attributes, resource");
    List<String> rollupIncrease =
        rows(
            "SELECT toString(TimeUnix) AS hour, toString(Attributes) AS attributes,"
                + " toString(ResourceAttributes) AS resource, argMaxMerge(Last) FROM rollups.otel_metrics_sum_1h"
                + " WHERE MetricName = 'requests' AND AggregationTemporality = 2 AND "
                + window("TimeUnix")
                + " GROUP BY hour, attributes, resource ORDER BY hour, attributes, resource");
    assertThat(rollupIncrease).hasSize(12).isEqualTo(rawIncrease);
  }

  @Test
  void histogramsTotalTheSameBucketsAsTheRawPoints() {
    String raw =
        "SELECT toString(toStartOfHour(TimeUnix)) AS hour, toString(Attributes) AS attributes, count(), sum(Count),"
            + " sum(Sum), min(Min), max(Max), toString(sumForEach(BucketCounts)), argMax(Count, TimeUnix)"
            + " FROM rollups.otel_metrics_histogram WHERE "
            + window("TimeUnix")
            + " GROUP BY hour, attributes ORDER BY hour, attributes";
    List<String> expected = rows(raw);
    assertThat(expected).hasSize(6);
    List<String> minutes =
        rows(
            "SELECT toString(toStartOfHour(TimeUnix)) AS hour, toString(Attributes) AS attributes,"
                + " sum(Points), sum(Count), sum(Sum), min(Min), max(Max), toString(sumForEachMerge(BucketCounts)),"
                + " argMaxMerge(LastCount) FROM rollups.otel_metrics_histogram_1m WHERE "
                + window("TimeUnix")
                + " GROUP BY hour, attributes ORDER BY hour, attributes");
    assertThat(minutes).isEqualTo(expected);
    List<String> hours =
        rows(
            "SELECT toString(TimeUnix) AS hour, toString(Attributes) AS attributes,"
                + " sum(Points), sum(Count), sum(Sum), min(Min), max(Max), toString(sumForEachMerge(BucketCounts)),"
                + " argMaxMerge(LastCount) FROM rollups.otel_metrics_histogram_1h WHERE "
                + window("TimeUnix")
                + " GROUP BY hour, attributes ORDER BY hour, attributes");
    assertThat(hours).isEqualTo(expected);
  }

  @Test
  void rollupsKeepTheirOwnTtlAndAreMigratedAndReported() throws Exception {
    assertThat(front.query("SHOW CREATE TABLE rollups.otel_metrics_sum_1m").get(0).getString(1))
        .contains("ENGINE = AggregatingMergeTree")
        .contains("TTL TimeUnix + toIntervalDay(30)");
    assertThat(
            front.query("SHOW CREATE TABLE rollups.otel_metrics_histogram_1h").get(0).getString(1))
        .contains("PARTITION BY toYYYYMM(TimeUnix)")
        .contains("TTL TimeUnix + toIntervalDay(400)");
    assertThat(
            front.count(
                "SELECT count() FROM rollups.otel_metrics_gauge_1h WHERE " + window("TimeUnix")))
        .as("one row per hour, series and resource once merged")
        .isBetween(12L, 200L);

    ClickHouseSink changed =
        (ClickHouseSink)
            exporters()
                .minuteRollupTtl(Duration.ofDays(14))
                .hourRollupTtl(Duration.ZERO)
                .allowTtlShortening(true)
                .buildSink();
    MetricExporter exporter = changed.createMetricExporter(SinkContext.standalone("clickhouse"));
    long now = System.currentTimeMillis() * 1_000_000L;
    MetricData point =
        metric(Resource.getDefault(), "after.change")
            .setLongGaugeData(
                GaugeData.createLongGaugeData(
                    List.of(LongPointData.create(now - 1, now, Attributes.empty(), 1))))
            .build();
    assertThat(exporter.export(List.of(point)).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.flush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(30, TimeUnit.SECONDS);
    assertThat(changed.migrationSummary())
        .contains(
            "`rollups`.`otel_metrics_gauge_1m`: TTL TimeUnix + toIntervalDay(30) -> TimeUnix + toIntervalDay(14)")
        .contains(
            "`rollups`.`otel_metrics_histogram_1h`: removed TTL TimeUnix + toIntervalDay(400)");
    assertThat(front.query("SHOW CREATE TABLE rollups.otel_metrics_sum_1h").get(0).getString(1))
        .doesNotContain("TTL");

    try (ClickHouseOperations operations =
        ClickHouseOperations.connect(
            exporters().minuteRollupTtl(Duration.ofDays(14)).hourRollupTtl(Duration.ZERO))) {
      RetentionReport report = operations.inspection().report(1);
      RetentionReport.TableReport minutes =
          report.tables().stream()
              .filter(t -> t.table().equals("otel_metrics_sum_1m"))
              .findFirst()
              .orElseThrow();
      assertThat(minutes.rows()).isPositive();
      assertThat(minutes.ttlDrift()).isFalse();
      assertThat(minutes.liveTtl()).isEqualTo("TimeUnix + toIntervalDay(14)");
      assertThat(report.toTable()).contains("otel_metrics_histogram_1h");
    }
  }
}
