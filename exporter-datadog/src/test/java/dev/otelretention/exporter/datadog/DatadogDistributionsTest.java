package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.datadog.api.client.v2.model.MetricSeries;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.otelretention.config.ConfigException;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.Base2ExponentialHistogramOptions;
import io.opentelemetry.sdk.metrics.ExplicitBucketHistogramOptions;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.metrics.TestMetricData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Histograms as Datadog distributions: sketches in the {@code SketchPayload} of Datadog's {@code
 * agent-payload} protobuf, decoded by protobuf in the fake intake, and percentiles read back from
 * their keys with the Agent's own formula for the value of a key, gamma^(k - 1338) with gamma = 1 +
 * 2/128, written out here apart from the exporter's code.
 */
class DatadogDistributionsTest {
  private static final double GAMMA = 1 + 2.0 / 128;

  /** A value and the value of its key differ by at most gamma^½ - 1: the sketch's accuracy. */
  private static final double SKETCH_ACCURACY = Math.sqrt(GAMMA) - 1;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FakeDatadog datadog;

  @BeforeEach
  void start() throws Exception {
    datadog = new FakeDatadog();
  }

  @AfterEach
  void stop() {
    datadog.close();
  }

  private DatadogExporters.Builder exporters() {
    return DatadogExporters.builder()
        .apiKey(FakeDatadog.API_KEY)
        .agentUrl(datadog.url())
        .metricsUrl(datadog.url())
        .logsUrl(datadog.url());
  }

  /** Records through an SDK whose histogram {@code latency} has {@code aggregation}. */
  private void record(
      DatadogExporters.Builder exporters, Aggregation aggregation, Consumer<DoubleHistogram> work) {
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .registerView(
                InstrumentSelector.builder().setName("latency").build(),
                View.builder().setAggregation(aggregation).build())
            .registerMetricReader(
                PeriodicMetricReader.builder(exporters.buildMetricExporter())
                    .setInterval(Duration.ofHours(1))
                    .build())
            .build();
    work.accept(provider.get("shop").histogramBuilder("latency").setUnit("ms").build());
    provider.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(datadog.violations).isEmpty();
  }

  private static Aggregation exponential(int maxBuckets, int maxScale) {
    return Aggregation.base2ExponentialBucketHistogram(
        Base2ExponentialHistogramOptions.builder()
            .setMaxBuckets(maxBuckets)
            .setMaxScale(maxScale)
            .build());
  }

  private static Aggregation explicit(List<Double> boundaries) {
    return Aggregation.explicitBucketHistogram(
        ExplicitBucketHistogramOptions.builder().setBucketBoundaries(boundaries).build());
  }

  /** The value of the sketch's key at rank q·(count - 1), by the Agent's formula. */
  private static double quantile(FakeDatadog.Sketch sketch, double q) {
    double rank = q * (sketch.count() - 1);
    long seen = 0;
    for (int i = 0; i < sketch.keys().length; i++) {
      seen += sketch.counts()[i];
      if (seen > rank) {
        int key = sketch.keys()[i];
        double magnitude = key == 0 ? 0 : Math.pow(GAMMA, Math.abs(key) - 1338);
        return key < 0 ? -magnitude : magnitude;
      }
    }
    throw new AssertionError("rank " + rank + " beyond the sketch");
  }

  private static double trueQuantile(double[] sorted, double q) {
    return sorted[(int) Math.floor(q * (sorted.length - 1))];
  }

  private FakeDatadog.Sketch onlySketch() {
    assertThat(datadog.sketches).hasSize(1);
    return datadog.sketches.get(0);
  }

  @Test
  void percentilesOfAnExponentialHistogramAreWithinTheSketchAccuracy() {
    double[] values = new double[20_000];
    Random random = new Random(42);
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(Math.log(50) + random.nextGaussian());
    }
    // 16,000 buckets hold these values at scale 10, whose buckets are 0.07 % wide
    record(
        exporters(),
        exponential(16_000, 20),
        histogram -> Arrays.stream(values).forEach(histogram::record));

    FakeDatadog.Sketch sketch = onlySketch();
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    assertThat(sketch.metric()).isEqualTo("latency");
    assertThat(sketch.count()).isEqualTo(values.length);
    assertThat(sketch.sum()).isCloseTo(Arrays.stream(values).sum(), within(1e-6));
    assertThat(sketch.min()).isEqualTo(sorted[0]);
    assertThat(sketch.max()).isEqualTo(sorted[sorted.length - 1]);
    double bucketWidth = Math.pow(2, Math.scalb(1.0, -10)) - 1;
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      double expected = trueQuantile(sorted, q);
      assertThat(quantile(sketch, q))
          .as("p%s", q * 100)
          .isCloseTo(expected, within(expected * (SKETCH_ACCURACY + bucketWidth)));
    }
  }

  /** The SDK records no negative value in a histogram; a replayed file or another source can. */
  @Test
  void negativeValuesAndZerosKeepTheirPlace() {
    long now = System.currentTimeMillis() * 1_000_000L;
    // scale 3: bucket i holds (2^(i/8), 2^((i+1)/8)]; 20 lies in bucket 34, 40 in bucket 42
    MetricData histogram =
        TestMetricData.builder()
            .setResource(RESOURCE)
            .setName("latency")
            .setDescription("")
            .setUnit("ms")
            .setExponentialHistogramData(
                ExponentialHistogramData.create(
                    AggregationTemporality.DELTA,
                    List.of(
                        ExponentialHistogramPointData.create(
                            3,
                            300 * 40.0 - 300 * 20.0,
                            300,
                            true,
                            -20,
                            true,
                            40,
                            ExponentialHistogramBuckets.create(3, 42, List.of(300L)),
                            ExponentialHistogramBuckets.create(3, 34, List.of(300L)),
                            now - 1_000_000_000L,
                            now,
                            Attributes.empty(),
                            List.of()))))
            .build();
    MetricExporter exporter = exporters().buildMetricExporter();
    assertThat(exporter.export(List.of(histogram)).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    assertThat(datadog.violations).isEmpty();
    FakeDatadog.Sketch sketch = onlySketch();
    assertThat(sketch.count()).isEqualTo(900);
    assertThat(sketch.min()).isEqualTo(-20);
    assertThat(sketch.max()).isEqualTo(40);
    // values spread within their buckets (about 9 % wide at scale 3), then narrowed to min and max
    assertThat(quantile(sketch, 0.1)).isBetween(-20 * (1 + SKETCH_ACCURACY), -19.0);
    assertThat(quantile(sketch, 0.5)).isZero();
    assertThat(quantile(sketch, 0.9)).isBetween(37.0, 40 * (1 + SKETCH_ACCURACY));
  }

  @Test
  void anExplicitBucketHistogramPlacesEachPercentileInItsBucket() {
    List<Double> bounds = List.of(10.0, 100.0, 1000.0);
    double[] values = new double[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i < 600 ? 5 + i % 5 : (i < 960 ? 50 + i % 40 : 500 + i % 400);
    }
    record(
        exporters(),
        explicit(bounds),
        histogram -> Arrays.stream(values).forEach(histogram::record));

    FakeDatadog.Sketch sketch = onlySketch();
    assertThat(sketch.count()).isEqualTo(1000);
    assertThat(sketch.sum()).isEqualTo(Arrays.stream(values).sum());
    // p50 is in (min, 10], p95 in (10, 100], p99 in (100, max]
    assertThat(quantile(sketch, 0.5))
        .isBetween(5 * (1 - SKETCH_ACCURACY), 10 * (1 + SKETCH_ACCURACY));
    assertThat(quantile(sketch, 0.95))
        .isBetween(10 * (1 - SKETCH_ACCURACY), 100 * (1 + SKETCH_ACCURACY));
    assertThat(quantile(sketch, 0.99))
        .isBetween(100 * (1 - SKETCH_ACCURACY), 899 * (1 + SKETCH_ACCURACY));
  }

  @Test
  void countersModeSendsOneCountPerBucketWithItsBounds() throws Exception {
    record(
        exporters().histogramMode("counters"),
        explicit(List.of(0.5, 5.0)),
        histogram -> {
          histogram.record(0.1);
          histogram.record(1);
          histogram.record(2);
          histogram.record(9);
        });

    assertThat(datadog.sketches).isEmpty();
    List<MetricSeries> buckets = new ArrayList<>();
    for (var entry : datadog.series) {
      buckets.add(JSON.treeToValue(entry, MetricSeries.class));
    }
    assertThat(buckets)
        .allSatisfy(series -> assertThat(series.getMetric()).isEqualTo("latency.bucket"));
    assertThat(buckets)
        .extracting(
            series ->
                series.getTags().stream().filter(tag -> tag.contains("_bound:")).sorted().toList()
                    + "="
                    + series.getPoints().get(0).getValue())
        .containsExactlyInAnyOrder(
            "[lower_bound:-inf, upper_bound:0.5]=1.0",
            "[lower_bound:0.5, upper_bound:5]=2.0",
            "[lower_bound:5, upper_bound:inf]=1.0");
  }

  @Test
  void aggregationMetricsWithoutBuckets() {
    record(
        exporters().histogramMode("nobuckets").sendAggregationMetrics(true),
        explicit(List.of(1.0)),
        histogram -> {
          histogram.record(2);
          histogram.record(4);
        });

    assertThat(datadog.sketches).isEmpty();
    assertThat(datadog.series)
        .extracting(
            series ->
                series.path("metric").asText()
                    + "="
                    + series.path("points").get(0).path("value").asDouble()
                    + "/"
                    + series.path("type").asInt())
        .containsExactlyInAnyOrder(
            "latency.count=2.0/1", "latency.sum=6.0/1", "latency.min=2.0/3", "latency.max=4.0/3");
  }

  @Test
  void modesAreValidatedNamingTheSetting() {
    assertThatThrownBy(() -> exporters().histogramMode("buckets"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("histogramMode")
        .hasMessageContaining("distributions, counters, nobuckets");
    assertThatThrownBy(() -> exporters().histogramMode("nobuckets").buildSink())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sendAggregationMetrics");
    assertThatThrownBy(
            () ->
                DatadogExporters.builder()
                    .configure(
                        dev.otelretention.config.EnvironmentConfig.of(
                            java.util.Map.of(
                                "OTEL_RETENTION_DATADOG_CUMULATIVE_MONOTONIC_MODE", "delta"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OTEL_RETENTION_DATADOG_CUMULATIVE_MONOTONIC_MODE")
        .hasMessageContaining("to_delta, raw_value");
  }

  // ---- cumulative points, as a replayed file carries them ----

  private static final Resource RESOURCE = Resource.create(Attributes.empty());

  private static MetricData cumulativeSum(long startNanos, long timeNanos, long value) {
    return TestMetricData.builder()
        .setResource(RESOURCE)
        .setName("orders")
        .setDescription("")
        .setUnit("")
        .setLongSumData(
            SumData.createLongSumData(
                true,
                AggregationTemporality.CUMULATIVE,
                List.of(LongPointData.create(startNanos, timeNanos, Attributes.empty(), value))))
        .build();
  }

  private List<String> sendCumulative(DatadogExporters.Builder exporters, List<MetricData> points) {
    MetricExporter exporter = exporters.buildMetricExporter();
    for (MetricData point : points) {
      assertThat(exporter.export(List.of(point)).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(datadog.violations).isEmpty();
    return datadog.series.stream()
        .map(
            series ->
                series.path("points").get(0).path("value").asDouble()
                    + "/"
                    + series.path("type").asInt())
        .toList();
  }

  @Test
  void cumulativeSumsBecomeDeltasDroppingTheFirstPointOfASeriesOlderThanTheExporter() {
    long now = System.currentTimeMillis() * 1_000_000L;
    long before = now - 60_000_000_000L;
    long later = now + 1_000_000_000L;
    List<String> sent =
        sendCumulative(
            exporters(),
            List.of(
                cumulativeSum(before, now - 2_000_000_000L, 10),
                cumulativeSum(before, now - 1_000_000_000L, 15),
                // a restart of the source: a new start, after the exporter's own
                cumulativeSum(later, later + 1_000_000_000L, 4),
                cumulativeSum(later, later + 2_000_000_000L, 9)));

    assertThat(sent).containsExactly("5.0/1", "4.0/1", "5.0/1");
  }

  @Test
  void cumulativeSumModes() {
    long now = System.currentTimeMillis() * 1_000_000L;
    long before = now - 60_000_000_000L;
    List<MetricData> points =
        List.of(
            cumulativeSum(before, now - 2_000_000_000L, 10),
            cumulativeSum(before, now - 1_000_000_000L, 15));

    assertThat(sendCumulative(exporters().initialCumulativeMonotonicValue("keep"), points))
        .containsExactly("10.0/1", "5.0/1");
    datadog.series.clear();
    assertThat(sendCumulative(exporters().cumulativeMonotonicMode("raw_value"), points))
        .containsExactly("10.0/3", "15.0/3");
  }

  @Test
  void cumulativeHistogramsSendTheSketchOfWhatWasAdded() {
    long now = System.currentTimeMillis() * 1_000_000L;
    long start = now - 60_000_000_000L;
    MetricExporter exporter =
        exporters().initialCumulativeMonotonicValue("keep").buildMetricExporter();
    for (long[] counts : List.of(new long[] {2, 0, 0}, new long[] {2, 3, 1})) {
      long time = now - (counts[1] == 0 ? 2_000_000_000L : 1_000_000_000L);
      MetricData histogram =
          TestMetricData.builder()
              .setResource(RESOURCE)
              .setName("latency")
              .setDescription("")
              .setUnit("ms")
              .setHistogramData(
                  HistogramData.create(
                      AggregationTemporality.CUMULATIVE,
                      List.of(
                          HistogramPointData.create(
                              start,
                              time,
                              Attributes.empty(),
                              counts[0] * 5.0 + counts[1] * 50 + counts[2] * 500,
                              false,
                              0,
                              false,
                              0,
                              List.of(10.0, 100.0),
                              List.of(counts[0], counts[1], counts[2])))))
              .build();
      assertThat(exporter.export(List.of(histogram)).join(10, TimeUnit.SECONDS).isSuccess())
          .isTrue();
    }
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    assertThat(datadog.violations).isEmpty();
    assertThat(datadog.sketches).extracting(FakeDatadog.Sketch::count).containsExactly(2L, 4L);
    FakeDatadog.Sketch added = datadog.sketches.get(1);
    assertThat(added.sum()).isEqualTo(650);
    // the second point added three values in (10, 100] and one at the last bound, none below 10
    assertThat(quantile(added, 0)).isGreaterThan(10 * (1 - SKETCH_ACCURACY));
  }
}
