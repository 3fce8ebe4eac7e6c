package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadog.api.client.v2.model.MetricPayload;
import com.datadog.api.client.v2.model.MetricSeries;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.metrics.TestMetricData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Series read with Datadog's own model of a metrics payload ({@code MetricPayload} of {@code
 * datadog-api-client}), and their names and tags checked against Datadog's documented rules.
 */
class SeriesModelTest {
  private static final JsonMapper STRICT =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final String LONG_NAME = "a".repeat(230);

  private static List<MetricSeries> encode(Collection<MetricData> metrics) throws Exception {
    DatadogSettings settings =
        DatadogExporters.builder().apiKey("0123456789abcdef0123456789abcdef").settings();
    List<MetricSeries> series = new ArrayList<>();
    for (JsonChunks.Chunk chunk :
        new SeriesEncoder(settings)
            .encode(metrics, System.currentTimeMillis() * 1_000_000L)
            .chunks()) {
      series.addAll(STRICT.readValue(chunk.body(), MetricPayload.class).getSeries());
    }
    return series;
  }

  /**
   * The SDK drops NaN measurements itself; a replayed file or another source can still hold one.
   */
  @Test
  void nonFiniteValuesAreLeftOutAndCounted() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    List<MetricData> metrics = new ArrayList<>();
    for (String name : List.of("ratio", "spread", "load")) {
      double value =
          switch (name) {
            case "ratio" -> Double.NaN;
            case "spread" -> Double.POSITIVE_INFINITY;
            default -> 0.5;
          };
      metrics.add(
          TestMetricData.builder()
              .setName(name)
              .setDescription("")
              .setUnit("")
              .setDoubleGaugeData(
                  GaugeData.createDoubleGaugeData(
                      List.of(
                          DoublePointData.create(now, now, Attributes.empty(), value, List.of()))))
              .build());
    }
    DatadogSettings settings =
        DatadogExporters.builder().apiKey("0123456789abcdef0123456789abcdef").settings();
    SeriesEncoder.Result result = new SeriesEncoder(settings).encode(metrics, now);
    assertThat(result.nonFinite()).isEqualTo(2);
    assertThat(result.series()).isEqualTo(1);
    MetricPayload payload = STRICT.readValue(result.chunks().get(0).body(), MetricPayload.class);
    assertThat(payload.getSeries()).extracting(MetricSeries::getMetric).containsExactly("load");
    assertThat(payload.getSeries().get(0).getPoints().get(0).getValue()).isEqualTo(0.5);
  }

  @Test
  void namesAndTagsFollowDatadogsRules() throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.createDelta();
    try (SdkMeterProvider provider =
        SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      Meter meter = provider.get("shop");
      meter.counterBuilder("my-metric/Name_With-Dash").build().add(1);
      meter.counterBuilder(LONG_NAME).build().add(1);
      meter
          .counterBuilder("orders")
          .build()
          .add(
              3,
              Attributes.builder()
                  .put("123", "456")
                  .put("trailing", "")
                  .put("rocket", "go \uD83D\uDE80 now")
                  .put("service", "from-attribute")
                  .put("Region", "EU West")
                  .build());
      List<MetricSeries> series = encode(reader.collectAllMetrics());

      assertThat(series)
          .extracting(MetricSeries::getMetric)
          .contains("my_metric_Name_With_Dash", "orders")
          .allSatisfy(name -> assertThat(name).matches("[A-Za-z][A-Za-z0-9_.]{0,199}"));
      assertThat(series)
          .extracting(MetricSeries::getMetric)
          .anySatisfy(
              name -> assertThat(name).hasSize(Tags.MAX_METRIC_NAME_LENGTH).startsWith("aaa"));
      List<String> orderTags =
          series.stream()
              .filter(s -> s.getMetric().equals("orders"))
              .findFirst()
              .orElseThrow()
              .getTags();
      assertThat(orderTags)
          .contains(
              "trailing",
              "rocket:go_now",
              "otel.attributes.service:from-attribute",
              "region:eu_west")
          .doesNotContain("")
          .allSatisfy(
              tag ->
                  assertThat(tag)
                      .hasSizeLessThanOrEqualTo(200)
                      .matches("\\p{Ll}.*")
                      .doesNotEndWith(":"));
      assertThat(
              orderTags.stream()
                  .filter(tag -> tag.startsWith("service:"))
                  .collect(Collectors.toList()))
          .hasSize(1);
    }
  }
}
