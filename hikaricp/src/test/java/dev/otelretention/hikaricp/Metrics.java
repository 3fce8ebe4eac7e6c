package dev.otelretention.hikaricp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One collection of an in-memory reader, with lookups by metric name and attributes. */
final class Metrics {
  private final Collection<MetricData> data;

  private Metrics(Collection<MetricData> data) {
    this.data = data;
  }

  static Metrics collect(InMemoryMetricReader reader) {
    return new Metrics(reader.collectAllMetrics());
  }

  boolean has(String name) {
    return data.stream()
        .anyMatch(m -> m.getName().equals(name) && !m.getData().getPoints().isEmpty());
  }

  Optional<PointData> point(String name, Map<String, String> attributes) {
    return data.stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getData().getPoints().stream())
        .filter(
            p ->
                attributes.entrySet().stream()
                    .allMatch(
                        e ->
                            Objects.equals(
                                p.getAttributes().get(AttributeKey.stringKey(e.getKey())),
                                e.getValue())))
        .map(p -> (PointData) p)
        .findFirst();
  }

  long longValue(String name, Map<String, String> attributes) {
    return point(name, attributes)
        .map(p -> ((LongPointData) p).getValue())
        .orElseThrow(() -> new AssertionError("no " + name + " with " + attributes));
  }

  double doubleValue(String name, Map<String, String> attributes) {
    return point(name, attributes)
        .map(p -> ((DoublePointData) p).getValue())
        .orElseThrow(() -> new AssertionError("no " + name + " with " + attributes));
  }

  HistogramPointData histogram(String name, Map<String, String> attributes) {
    return point(name, attributes)
        .map(p -> (HistogramPointData) p)
        .orElseThrow(() -> new AssertionError("no " + name + " with " + attributes));
  }
}
