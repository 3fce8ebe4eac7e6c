package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.metrics.TestMetricData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each of the five metric types, with exemplars and both temporalities, read back column by column.
 */
class MetricTypesTest {
  private static final Resource RESOURCE =
      Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "metrics-svc"));
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("meter").setVersion("2.0").build();
  private static final Attributes POINT =
      Attributes.of(AttributeKey.stringKey("b"), "2", AttributeKey.stringKey("a"), "1");
  // Recent times: rows older than the TTL (90 days by default) would be dropped by the engine's TTL
  // merges.
  private static final long TIME =
      System.currentTimeMillis() * 1_000_000L - 1_000_000_000L + 123_456_789L;
  private static final long START = TIME - 60_000_000_000L;
  private static final SpanContext SPAN =
      SpanContext.create(
          "0af7651916cd43dd8448eb211c80319c",
          "b7ad6b7169203331",
          TraceFlags.getSampled(),
          TraceState.getDefault());

  private static TestMetricData.Builder metric(String name) {
    return TestMetricData.builder()
        .setResource(RESOURCE)
        .setInstrumentationScopeInfo(SCOPE)
        .setName(name)
        .setDescription(name + " description")
        .setUnit("1");
  }

  @Test
  void everyMetricTypeLandsInItsTable() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    List<DoubleExemplarData> exemplars =
        List.of(
            DoubleExemplarData.create(
                Attributes.of(AttributeKey.stringKey("user"), "u1"), TIME - 5, SPAN, 7.5));
    List<MetricData> metrics =
        List.of(
            metric("gauge.long")
                .setLongGaugeData(
                    GaugeData.createLongGaugeData(
                        List.of(LongPointData.create(START, TIME, POINT, 42))))
                .build(),
            metric("sum.double.delta")
                .setDoubleSumData(
                    SumData.createDoubleSumData(
                        false,
                        AggregationTemporality.DELTA,
                        List.of(DoublePointData.create(START, TIME, POINT, -2.5, exemplars))))
                .build(),
            metric("histogram")
                .setHistogramData(
                    HistogramData.create(
                        AggregationTemporality.CUMULATIVE,
                        List.of(
                            HistogramPointData.create(
                                START,
                                TIME,
                                POINT,
                                12.5,
                                true,
                                0.5,
                                true,
                                9.0,
                                List.of(1.0, 5.0),
                                List.of(2L, 0L, 1L)))))
                .build(),
            metric("histogram.exponential")
                .setExponentialHistogramData(
                    ExponentialHistogramData.create(
                        AggregationTemporality.DELTA,
                        List.of(
                            ExponentialHistogramPointData.create(
                                3,
                                -4.5,
                                2,
                                true,
                                -9.0,
                                true,
                                4.0,
                                ExponentialHistogramBuckets.create(3, 5, List.of(1L, 0L, 2L)),
                                ExponentialHistogramBuckets.create(3, -2, List.of(4L)),
                                START,
                                TIME,
                                POINT,
                                exemplars))))
                .build(),
            metric("summary")
                .setSummaryData(
                    SummaryData.create(
                        List.of(
                            SummaryPointData.create(
                                START,
                                TIME,
                                POINT,
                                10,
                                123.5,
                                List.of(
                                    ValueAtQuantile.create(0.5, 3.0),
                                    ValueAtQuantile.create(0.99, 40.25))))))
                .build());
    MetricExporter exporter =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("metric_types")
            .buildMetricExporter();
    assertThat(exporter.export(metrics).join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(exporter.flush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(20, TimeUnit.SECONDS);

    String common =
        "ServiceName, ScopeName, ScopeVersion, MetricDescription, toString(Attributes) AS attrs, "
            + "toUnixTimestamp64Nano(StartTimeUnix) AS start, toUnixTimestamp64Nano(TimeUnix) AS time";
    GenericRecord gauge =
        front.query("SELECT " + common + ", Value FROM metric_types.otel_metrics_gauge").get(0);
    assertThat(gauge.getString("ServiceName")).isEqualTo("metrics-svc");
    assertThat(gauge.getString("ScopeName")).isEqualTo("meter");
    assertThat(gauge.getString("ScopeVersion")).isEqualTo("2.0");
    assertThat(gauge.getString("MetricDescription")).isEqualTo("gauge.long description");
    assertThat(gauge.getString("attrs")).isEqualTo("{'a':'1','b':'2'}");
    assertThat(gauge.getLong("start")).isEqualTo(START);
    assertThat(gauge.getLong("time")).isEqualTo(TIME);
    assertThat(gauge.getDouble("Value")).isEqualTo(42.0);

    GenericRecord sum =
        front
            .query(
                "SELECT Value, AggregationTemporality, IsMonotonic, toString(Exemplars.FilteredAttributes[1]) AS ex, "
                    + "Exemplars.Value[1] AS exValue, Exemplars.TraceId[1] AS exTrace, Exemplars.SpanId[1] AS exSpan, "
                    + "toUnixTimestamp64Nano(Exemplars.TimeUnix[1]) AS exTime FROM metric_types.otel_metrics_sum")
            .get(0);
    assertThat(sum.getDouble("Value")).isEqualTo(-2.5);
    assertThat(sum.getLong("AggregationTemporality")).isEqualTo(1);
    assertThat(sum.getBoolean("IsMonotonic")).isFalse();
    assertThat(sum.getString("ex")).isEqualTo("{'user':'u1'}");
    assertThat(sum.getDouble("exValue")).isEqualTo(7.5);
    assertThat(sum.getString("exTrace")).isEqualTo(SPAN.getTraceId());
    assertThat(sum.getString("exSpan")).isEqualTo(SPAN.getSpanId());
    assertThat(sum.getLong("exTime")).isEqualTo(TIME - 5);

    GenericRecord histogram =
        front
            .query(
                "SELECT Count, Sum, toString(BucketCounts) AS buckets, toString(ExplicitBounds) AS bounds, "
                    + "Min, Max, AggregationTemporality, length(Exemplars.Value) AS exemplars FROM metric_types.otel_metrics_histogram")
            .get(0);
    assertThat(histogram.getLong("Count")).isEqualTo(3);
    assertThat(histogram.getDouble("Sum")).isEqualTo(12.5);
    assertThat(histogram.getString("buckets")).isEqualTo("[2,0,1]");
    assertThat(histogram.getString("bounds")).isEqualTo("[1,5]");
    assertThat(histogram.getDouble("Min")).isEqualTo(0.5);
    assertThat(histogram.getDouble("Max")).isEqualTo(9.0);
    assertThat(histogram.getLong("AggregationTemporality")).isEqualTo(2);
    assertThat(histogram.getLong("exemplars")).isZero();

    GenericRecord exponential =
        front
            .query(
                "SELECT Count, Sum, Scale, ZeroCount, PositiveOffset, toString(PositiveBucketCounts) AS pos, "
                    + "NegativeOffset, toString(NegativeBucketCounts) AS neg, Min, Max FROM metric_types.otel_metrics_exponential_histogram")
            .get(0);
    assertThat(exponential.getLong("Count")).isEqualTo(9);
    assertThat(exponential.getDouble("Sum")).isEqualTo(-4.5);
    assertThat(exponential.getLong("Scale")).isEqualTo(3);
    assertThat(exponential.getLong("ZeroCount")).isEqualTo(2);
    assertThat(exponential.getLong("PositiveOffset")).isEqualTo(5);
    assertThat(exponential.getString("pos")).isEqualTo("[1,0,2]");
    assertThat(exponential.getLong("NegativeOffset")).isEqualTo(-2);
    assertThat(exponential.getString("neg")).isEqualTo("[4]");
    assertThat(exponential.getDouble("Min")).isEqualTo(-9.0);
    assertThat(exponential.getDouble("Max")).isEqualTo(4.0);

    GenericRecord summary =
        front
            .query(
                "SELECT Count, Sum, toString(ValueAtQuantiles.Quantile) AS q, "
                    + "toString(ValueAtQuantiles.Value) AS v FROM metric_types.otel_metrics_summary")
            .get(0);
    assertThat(summary.getLong("Count")).isEqualTo(10);
    assertThat(summary.getDouble("Sum")).isEqualTo(123.5);
    assertThat(summary.getString("q")).isEqualTo("[0.5,0.99]");
    assertThat(summary.getString("v")).isEqualTo("[3,40.25]");
  }
}
