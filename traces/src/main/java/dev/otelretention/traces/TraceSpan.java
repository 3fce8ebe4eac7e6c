package dev.otelretention.traces;

import java.util.Map;
import java.util.Objects;

/**
 * One span of a trace.
 *
 * @param traceId the trace id, 32 lowercase hex digits
 * @param spanId the span id, 16 lowercase hex digits
 * @param parentSpanId the parent's span id, empty for a root span
 * @param name the span name
 * @param service the {@code service.name} of its resource, empty when it has none
 * @param startEpochNanos start time
 * @param endEpochNanos end time
 * @param error whether its status is ERROR
 * @param statusMessage the status description, empty when none
 * @param attributes the span attributes, values as text
 */
public record TraceSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    String service,
    long startEpochNanos,
    long endEpochNanos,
    boolean error,
    String statusMessage,
    Map<String, String> attributes) {

  public TraceSpan {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    parentSpanId = parentSpanId == null ? "" : parentSpanId;
    name = name == null ? "" : name;
    service = service == null ? "" : service;
    statusMessage = statusMessage == null ? "" : statusMessage;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** End less start, never negative. */
  public long durationNanos() {
    return Math.max(0, endEpochNanos - startEpochNanos);
  }
}
