package dev.otelretention.exporter.datadog;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.function.UnaryOperator;

/**
 * A span exporter that hands its delegate each batch as {@code map} makes it (spans left out, or
 * their resource rewritten); a batch that {@code map} empties is done without reaching it.
 */
final class MappedSpanExporter implements SpanExporter {
  private final SpanExporter delegate;
  private final UnaryOperator<Collection<SpanData>> map;

  MappedSpanExporter(SpanExporter delegate, UnaryOperator<Collection<SpanData>> map) {
    this.delegate = delegate;
    this.map = map;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    Collection<SpanData> mapped = map.apply(spans);
    if (mapped.isEmpty() && !spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    return delegate.export(mapped);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
