package dev.otelretention.traces;

import java.time.Duration;
import java.time.Instant;

/**
 * One trace in a list of traces.
 *
 * @param traceId the trace id
 * @param rootName the name of its root span (the earliest span without a parent, else its earliest
 *     span)
 * @param service the service of that span
 * @param start when its first span started
 * @param duration from its first span's start to its last span's end
 * @param spans how many spans it has
 * @param errors how many of them have status ERROR
 */
public record TraceSummary(
    String traceId,
    String rootName,
    String service,
    Instant start,
    Duration duration,
    long spans,
    long errors) {}
