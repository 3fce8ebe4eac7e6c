package dev.otelretention.exporter.clickhouse;

/**
 * How span kinds and status codes are written to {@code otel_traces}, and whether the scope is also
 * copied into {@code SpanAttributes}.
 */
public enum SpanValueStyle {
  /**
   * As the Collector's ClickHouse exporter writes them since collector-contrib PR #34799 (2024-08):
   * {@code SpanKind} {@code Server}, {@code Client}, {@code Internal}, {@code Producer}, {@code
   * Consumer}, {@code Unspecified}; {@code StatusCode} {@code Unset}, {@code Ok}, {@code Error};
   * the scope only in {@code ScopeName}/{@code ScopeVersion}. The default: a table shared with a
   * current Collector answers one query for both.
   */
  CURRENT,
  /**
   * As the Collector wrote them before, and this exporter until now: {@code SPAN_KIND_SERVER},
   * {@code STATUS_CODE_ERROR}, and {@code otel.scope.name}/{@code otel.scope.version} also in
   * {@code SpanAttributes}; for dashboards that query those values.
   */
  LEGACY
}
