package dev.otelretention.internal.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * Cheap, deterministic estimates of the heap an item occupies, used for memory accounting. They
 * depend only on values that do not change once an item is finished (name, attribute count, body),
 * so the estimate made when an item enters a queue equals the one made when it leaves. Attribute
 * values are not looked at: reading them costs more than the rest of the accounting (they are
 * spread over the heap), so an attribute counts as a typical key and value; a string counts two
 * bytes per character.
 */
public final class TelemetrySizes {
  /**
   * A finished span in the SDK's batch queue and as export data: span, context, ids, attribute map,
   * wrappers.
   */
  private static final long SPAN_BASE = 900;

  private static final long LOG_BASE = 600;
  private static final long METRIC_BASE = 256;
  private static final long POINT = 160;
  private static final long ATTRIBUTE = 160;

  /**
   * Attributes assumed for a span waiting in the SDK's batch queue, whose attributes cannot be
   * counted there without copying them.
   */
  private static final int QUEUED_SPAN_ATTRIBUTES = 8;

  private TelemetrySizes() {}

  /**
   * Estimate for a span entering or leaving the SDK's batch queue, from its name alone: when a span
   * ends, the SDK hands its processors a span whose {@code getAttributes()} copies and sorts every
   * attribute (the cost of the rest of the pipeline, measured), so the queue counts a typical
   * {@value #QUEUED_SPAN_ATTRIBUTES} attributes per span instead.
   */
  public static long queuedSpan(String name) {
    return SPAN_BASE + 2L * name.length() + ATTRIBUTE * QUEUED_SPAN_ATTRIBUTES;
  }

  /** Estimate for a span with this name and attributes. */
  public static long span(String name, Attributes attributes) {
    return SPAN_BASE + 2L * name.length() + attributes(attributes);
  }

  private static long attributes(Attributes attributes) {
    return ATTRIBUTE * attributes.size();
  }

  private static long value(Object value) {
    if (value instanceof String string) {
      return 40 + 2L * string.length();
    }
    if (value instanceof List) {
      long size = 16;
      for (Object element : (List<?>) value) {
        size += 8 + value(element);
      }
      return size;
    }
    if (value instanceof Value) {
      return 24 + value(((Value<?>) value).getValue());
    }
    return 16;
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
      bodySize = value(value);
    }
    return LOG_BASE + bodySize + attributes(attributes);
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
