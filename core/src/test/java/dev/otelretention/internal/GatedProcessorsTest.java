package dev.otelretention.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.Signal;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate in front of the SDK's batch processor, on the path of every {@code span.end()}. */
class GatedProcessorsTest {
  /**
   * {@code ReadableSpan.getAttributes()} of the SDK's span copies and sorts every attribute; called
   * on every {@code span.end()} it was a third of what the whole pipeline allocated.
   */
  @Test
  void admittingASpanDoesNotCopyItsAttributes() {
    List<SpanData> exported = new ArrayList<>();
    SpanExporter collecting =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> spans) {
            exported.addAll(spans);
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    QueueGate gate = new QueueGate(Signal.TRACES, MemoryLimiter.unlimited(), 10);
    SpanProcessor gated =
        GatedProcessors.spans(
            SimpleSpanProcessor.create(GatedProcessors.releasing(collecting, gate)),
            gate,
            collecting);
    SpanProcessor refusingAttributeCopies =
        new SpanProcessor() {
          @Override
          public void onStart(Context parentContext, ReadWriteSpan span) {
            gated.onStart(parentContext, span);
          }

          @Override
          public boolean isStartRequired() {
            return gated.isStartRequired();
          }

          @Override
          public void onEnd(ReadableSpan span) {
            gated.onEnd(withoutAttributeCopies(span));
          }

          @Override
          public boolean isEndRequired() {
            return true;
          }
        };
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(refusingAttributeCopies).build()) {
      Span span =
          provider.get("test").spanBuilder("GET /orders").setAttribute("a", "b").startSpan();
      span.end();
    }
    assertThat(exported).hasSize(1);
    assertThat(exported.get(0).getAttributes().size()).isEqualTo(1);
    assertThat(gate.accepted()).isEqualTo(1);
    assertThat(gate.queued()).isZero();
  }

  /** The span, whose {@code getAttributes()} fails the test. */
  private static ReadableSpan withoutAttributeCopies(ReadableSpan span) {
    return (ReadableSpan)
        Proxy.newProxyInstance(
            ReadableSpan.class.getClassLoader(),
            new Class<?>[] {ReadableSpan.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getAttributes")) {
                throw new AssertionError("the gate copied the span's attributes");
              }
              try {
                return method.invoke(span, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
