package dev.otelretention.traces;

/**
 * A log record of a trace.
 *
 * @param epochNanos when it happened (its observed time when it has no timestamp)
 * @param spanId the span it was recorded in, empty when none
 * @param severity its severity text, or the severity number's name
 * @param body its body as text
 * @param service the {@code service.name} of its resource, empty when it has none
 */
public record TraceLog(
    long epochNanos, String spanId, String severity, String body, String service) {

  public TraceLog {
    spanId = spanId == null ? "" : spanId;
    severity = severity == null ? "" : severity;
    body = body == null ? "" : body;
    service = service == null ? "" : service;
  }
}
