package dev.otelretention.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.export.ExportDestination;
import dev.otelretention.export.Signal;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StagedExporterTest {
  @Test
  void aStagedSpanExporterSendsThroughTheDestinationAndCountsInTheContextsStatistics() {
    SinkContext context = SinkContext.standalone("memory");
    List<SpanData> sent = new CopyOnWriteArrayList<>();
    AtomicBoolean stopped = new AtomicBoolean();
    ExportDestination<SpanData> destination = sent::addAll;
    SinkContext.StagedExporter<SpanData, SpanExporter> staged =
        context
            .spanExporter("memory_span_exporter", destination)
            .onStopped(() -> stopped.set(true));
    SpanExporter exporter = staged.build();

    assertThat(
            exporter.export(List.of(span("a"), span("b"))).join(10, TimeUnit.SECONDS).isSuccess())
        .isTrue();
    assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    assertThat(sent).extracting(SpanData::getName).containsExactly("a", "b");
    assertThat(stopped).isTrue();
    assertThat(context.registeredStats()).containsExactly(staged.stats());
    assertThat(staged.stats().signal()).isEqualTo(Signal.TRACES);
    assertThat(staged.stats().exported()).isEqualTo(2);
  }

  @Test
  void aStagedMetricExporterAsksForTheGivenTemporalityAndIsBuiltOnce() {
    SinkContext context = SinkContext.standalone("memory");
    ExportDestination<MetricData> destination = batch -> {};
    SinkContext.StagedExporter<MetricData, MetricExporter> staged =
        context.metricExporter(
            "memory_metric_exporter", destination, AggregationTemporalitySelector.deltaPreferred());
    MetricExporter exporter = staged.build();
    try {
      assertThat(exporter.getAggregationTemporality(InstrumentType.COUNTER))
          .isEqualTo(AggregationTemporality.DELTA);
      assertThatThrownBy(staged::build)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("built already");
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private static SpanData span(String name) {
    return TestSpanData.builder()
        .setName(name)
        .setKind(SpanKind.INTERNAL)
        .setSpanContext(
            SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setStartEpochNanos(1_000_000_000L)
        .setEndEpochNanos(2_000_000_000L)
        .setStatus(StatusData.unset())
        .setHasEnded(true)
        .build();
  }
}
