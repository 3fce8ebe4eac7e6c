package dev.otelretention.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * Cheap, deterministic estimates of the heap an item occupies, used for memory accounting. They depend only
 * on values that do not change once an item is finished (name, attribute count, body), so the estimate made
 * when an item enters a queue equals the one made when it leaves.
 */
public final class TelemetrySizes {
  private static final long SPAN_BASE = 320;
  private static final long LOG_BASE = 256;
  private static final long METRIC_BASE = 256;
  private static final long POINT = 160;
  private static final long ATTRIBUTE = 96;

  private TelemetrySizes() {}

  /** Estimate for a span with this name and attributes. */
  public static long span(String name, Attributes attributes) {
    return SPAN_BASE + 2L * name.length() + ATTRIBUTE * attributes.size();
  }

  /** Estimate for a finished span. */
  public static long span(SpanData span) {
    return span(span.getName(), span.getAttributes());
  }

  /** Estimate for a log record with this body and attributes. */
  public static long log(Value<?> body, Attributes attributes) {
    long bodySize = 0;
    if (body != null) {
      Object value = body.getValue();
      bodySize = value instanceof String ? 2L * ((String) value).length() : 64;
    }
    return LOG_BASE + bodySize + ATTRIBUTE * attributes.size();
  }

  /** Estimate for a finished log record. */
  public static long log(LogRecordData log) {
    return log(log.getBodyValue(), log.getAttributes());
  }

  /** Estimate for one metric with all its points. */
  public static long metric(MetricData metric) {
    return METRIC_BASE + POINT * metric.getData().getPoints().size();
  }
}
