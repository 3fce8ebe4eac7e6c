package dev.otelretention.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.capacity.CapacityStatus;
import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.sink.CapacityProbe;
import dev.otelretention.sink.CapacityProbe.CapacitySample;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.testing.InMemoryNetworkSink;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Capacity thresholds turn a sink's measurements into alert metrics on the self-monitoring meter.
 */
class CapacityMonitorTest {
  /** The in-memory network sink, plus a probe that returns what the test sets. */
  static final class ProbedSink implements TelemetrySink {
    final InMemoryNetworkSink delegate = new InMemoryNetworkSink();
    final List<CapacitySample> samples = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public String name() {
      return "memory";
    }

    @Override
    public String description() {
      return "in-memory lists with a capacity probe";
    }

    @Override
    public SpanExporter createSpanExporter(SinkContext context) {
      return delegate.createSpanExporter(context);
    }

    @Override
    public MetricExporter createMetricExporter(SinkContext context) {
      return delegate.createMetricExporter(context);
    }

    @Override
    public LogRecordExporter createLogRecordExporter(SinkContext context) {
      return delegate.createLogRecordExporter(context);
    }

    @Override
    public CapacityProbe capacityProbe(SinkContext context) {
      return () -> {
        if (failing) {
          throw new IllegalStateException("store unreachable");
        }
        return List.copyOf(samples);
      };
    }
  }

  private static long alert(List<MetricData> metrics, String store, String check) {
    long value = -1;
    for (MetricData metric : metrics) {
      if (!metric.getName().equals("otel_retention.capacity.alert")) {
        continue;
      }
      for (LongPointData point : metric.getLongGaugeData().getPoints()) {
        Attributes attributes = point.getAttributes();
        if (store.equals(attributes.get(CapacityMonitor.STORE))
            && check.equals(attributes.get(CapacityMonitor.CHECK))) {
          value = point.getValue();
        }
      }
    }
    return value;
  }

  @Test
  void thresholdsTurnIntoAlertMetrics() {
    ProbedSink sink = new ProbedSink();
    sink.samples.add(CapacitySample.storage("otel_traces", 5_000, 80_000, 9_000));
    sink.samples.add(CapacitySample.storage("otel_logs", 1_000, 2_000, 100));
    sink.samples.add(CapacitySample.storage("traces.jsonl", 1_000, -1, Double.NaN));
    sink.samples.add(CapacitySample.disk("disk:default", 400, 10_000));
    CapacityThresholds thresholds =
        CapacityThresholds.builder()
            .maxProjectedBytes(50_000)
            .maxGrowthBytesPerDay(5_000)
            .minFreeBytes(1_000)
            .minFreeRatio(0.02)
            .interval(Duration.ofHours(1))
            .build();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(sink)
            .capacityAlerts(thresholds)
            .closeOnJvmShutdown(false)
            .build()) {
      List<CapacityStatus> statuses = telemetry.checkCapacity();
      assertThat(statuses).hasSize(4);
      assertThat(statuses.get(0).alerts()).containsExactly("projected_bytes", "growth_rate");
      assertThat(statuses.get(1).alerts()).isEmpty();
      assertThat(statuses.get(3).alerts()).containsExactly("free_bytes");
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      List<MetricData> metrics = new ArrayList<>(sink.delegate.metrics);
      assertThat(alert(metrics, "otel_traces", "projected_bytes")).isEqualTo(1);
      assertThat(alert(metrics, "otel_traces", "growth_rate")).isEqualTo(1);
      assertThat(alert(metrics, "otel_logs", "projected_bytes")).isZero();
      assertThat(alert(metrics, "disk:default", "free_bytes")).isEqualTo(1);
      assertThat(alert(metrics, "disk:default", "free_ratio")).as("4% free is above 2%").isZero();
      assertThat(alert(metrics, "traces.jsonl", "projected_bytes"))
          .as("no projection, no check")
          .isEqualTo(-1);
      assertThat(metrics)
          .extracting(MetricData::getName)
          .contains(
              "otel_retention.capacity.used",
              "otel_retention.capacity.projected",
              "otel_retention.capacity.growth",
              "otel_retention.capacity.free",
              "otel_retention.capacity.free_ratio");

      // the store shrinks: the alert ends; a failing probe keeps the last figures
      sink.samples.set(0, CapacitySample.storage("otel_traces", 5_000, 10_000, 100));
      assertThat(telemetry.checkCapacity().get(0).alerts()).isEmpty();
      sink.failing = true;
      assertThat(telemetry.checkCapacity()).hasSize(4);
      sink.delegate.metrics.clear();
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(alert(new ArrayList<>(sink.delegate.metrics), "otel_traces", "projected_bytes"))
          .isZero();
    }
  }

  @Test
  void aCollectionBeforeTheFirstMeasurementMeasuresFirst() {
    // a short-lived process can be collected at shutdown before the first scheduled check has run
    AtomicInteger probes = new AtomicInteger();
    CapacityProbe probe =
        () -> {
          probes.incrementAndGet();
          return List.of(
              CapacitySample.storage("otel_traces", 5_000, 80_000, 9_000),
              CapacitySample.disk("disk:default", 400, 10_000));
        };
    CapacityThresholds thresholds =
        CapacityThresholds.builder().minFreeRatio(0.02).interval(Duration.ofHours(1)).build();
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meterProvider =
            SdkMeterProvider.builder().registerMetricReader(reader).build();
        CapacityMonitor monitor = new CapacityMonitor(Map.of("files", probe), thresholds)) {
      monitor.register(meterProvider.get("test"));
      List<MetricData> metrics = new ArrayList<>(reader.collectAllMetrics());
      assertThat(metrics)
          .extracting(MetricData::getName)
          .containsExactlyInAnyOrder(
              "otel_retention.capacity.used",
              "otel_retention.capacity.projected",
              "otel_retention.capacity.growth",
              "otel_retention.capacity.free",
              "otel_retention.capacity.free_ratio",
              "otel_retention.capacity.alert");
      assertThat(alert(metrics, "disk:default", "free_ratio")).isZero();
      reader.collectAllMetrics();
      assertThat(probes.get()).as("measured once, later by the schedule").isEqualTo(1);

      monitor.close();
      assertThat(reader.collectAllMetrics())
          .as("the last figures are still reported after close, nothing is measured")
          .hasSize(6);
      assertThat(probes.get()).isEqualTo(1);
    }
  }

  @Test
  void aClosedMonitorMeasuresNothing() {
    AtomicInteger probes = new AtomicInteger();
    CapacityProbe probe =
        () -> {
          probes.incrementAndGet();
          return List.of(CapacitySample.disk("disk:default", 400, 10_000));
        };
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      CapacityMonitor monitor =
          new CapacityMonitor(
              Map.of("files", probe),
              CapacityThresholds.builder()
                  .minFreeRatio(0.02)
                  .interval(Duration.ofHours(1))
                  .build());
      monitor.register(meterProvider.get("test"));
      monitor.close();
      assertThat(reader.collectAllMetrics()).isEmpty();
      assertThat(probes.get()).isZero();
    }
  }

  @Test
  void noThresholdsNoMonitor() {
    ProbedSink sink = new ProbedSink();
    sink.samples.add(CapacitySample.storage("otel_traces", 5_000, 80_000, 9_000));
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(sink)
            .closeOnJvmShutdown(false)
            .build()) {
      assertThat(telemetry.checkCapacity()).isEmpty();
      assertThat(telemetry.capacity()).isEmpty();
    }
  }

  @Test
  void thresholdsComeFromTheEnvironmentAndAreValidated() {
    Map<String, String> environment = new HashMap<>();
    environment.put("otel.retention.capacity.max-projected-bytes", "50GB");
    environment.put("otel.retention.capacity.min-free-ratio", "0.1");
    environment.put("otel.retention.capacity.interval", "30s");
    CapacityThresholds thresholds =
        CapacityThresholds.fromEnvironment(EnvironmentConfig.of(environment));
    assertThat(thresholds.maxProjectedBytes()).as("binary multiples").isEqualTo(50L << 30);
    assertThat(thresholds.minFreeRatio()).isEqualTo(0.1);
    assertThat(thresholds.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(thresholds.minFreeBytes()).isZero();
    assertThat(CapacityThresholds.fromEnvironment(EnvironmentConfig.of(Map.of()))).isNull();
    environment.put("otel.retention.capacity.min-free-ratio", "ten percent");
    assertThatThrownBy(() -> CapacityThresholds.fromEnvironment(EnvironmentConfig.of(environment)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("min-free-ratio must be a number from 0 to 1");
    assertThatThrownBy(() -> CapacityThresholds.builder().minFreeRatio(1.5))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> CapacityThresholds.builder().interval(Duration.ofMillis(10)))
        .isInstanceOf(ConfigException.class);
  }
}
