package dev.otelretention.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The order of an autoconfigured SDK's shutdown, with readers and exporters of the test's own. */
class AutoConfiguredShutdownTest {
  /** A reader whose shutdown ends when the test says so. */
  private static final class HeldReader implements MetricReader {
    final CompletableResultCode result = new CompletableResultCode();
    final AtomicInteger shutdowns = new AtomicInteger();

    @Override
    public void register(CollectionRegistration registration) {}

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      shutdowns.incrementAndGet();
      return result;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }
  }

  @Test
  void theSelfMonitoringClosesAfterTheLastReaderNotTheFirst() {
    AutoConfiguredShutdown shutdown = new AutoConfiguredShutdown();
    AtomicInteger closed = new AtomicInteger();
    shutdown.closeAfterLastCollection(closed::incrementAndGet);
    HeldReader first = new HeldReader();
    HeldReader second = new HeldReader();
    MetricReader orderedFirst = shutdown.metrics(first);
    MetricReader orderedSecond = shutdown.metrics(second);

    CompletableResultCode firstDone = orderedFirst.shutdown();
    CompletableResultCode secondDone = orderedSecond.shutdown();
    first.result.succeed();
    assertThat(firstDone.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(closed).as("closed while a reader still collects").hasValue(0);

    second.result.succeed();
    assertThat(secondDone.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(closed).hasValue(1);

    assertThat(orderedFirst.shutdown()).as("a second call").isSameAs(firstDone);
    assertThat(first.shutdowns).hasValue(1);
    assertThat(closed).hasValue(1);
  }

  @Test
  void aReaderShutsDownOnlyAfterTheSpanExportersHave() {
    AutoConfiguredShutdown shutdown = new AutoConfiguredShutdown();
    CompletableResultCode exporterStopped = new CompletableResultCode();
    SpanExporter held =
        shutdown.spans(
            new SpanExporter() {
              @Override
              public CompletableResultCode export(Collection<SpanData> spans) {
                return CompletableResultCode.ofSuccess();
              }

              @Override
              public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
              }

              @Override
              public CompletableResultCode shutdown() {
                return exporterStopped;
              }
            });
    HeldReader reader = new HeldReader();
    reader.result.succeed();
    CompletableResultCode readerDone = shutdown.metrics(reader).shutdown();
    assertThat(readerDone.join(200, TimeUnit.MILLISECONDS).isDone()).isFalse();
    assertThat(reader.shutdowns).as("the final collection waits").hasValue(0);

    held.shutdown();
    exporterStopped.succeed();
    assertThat(readerDone.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(reader.shutdowns).hasValue(1);
  }
}
