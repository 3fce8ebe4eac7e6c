/**
 * Traces as the trace views show them, whatever store they come from: a list of recent traces
 * ({@link TraceSummary}, chosen by a {@link TraceFilter}), one trace with its spans and log records
 * ({@link Trace}), and its waterfall drawn as text ({@link Waterfall}).
 */
package dev.otelretention.traces;
