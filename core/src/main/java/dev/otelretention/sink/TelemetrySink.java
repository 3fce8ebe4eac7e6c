package dev.otelretention.sink;

import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * One destination for telemetry (rotating files, ClickHouse, Datadog, ...). An exporter module
 * implements this interface; core wires the exporters it creates into the SDK, so core never
 * depends on an exporter module. Each {@code create*} method is called once, by {@code
 * TelemetryRetention.build()}.
 */
public interface TelemetrySink {
  /**
   * A short lowercase name such as {@code file} or {@code clickhouse}; used in metrics and log
   * lines.
   */
  String name();

  /**
   * A one-line human description of where data goes, e.g. {@code rotating OTLP/JSON files in
   * /var/tel}.
   */
  String description();

  /**
   * Creates the span exporter; the returned exporter records its outcomes in {@code
   * context.stats(...)}.
   */
  SpanExporter createSpanExporter(SinkContext context);

  /**
   * Creates the metric exporter; the returned exporter records its outcomes in {@code
   * context.stats(...)}.
   */
  MetricExporter createMetricExporter(SinkContext context);

  /**
   * Creates the log-record exporter; the returned exporter records its outcomes in {@code
   * context.stats(...)}.
   */
  LogRecordExporter createLogRecordExporter(SinkContext context);

  /**
   * A probe of the space the sink's data takes, for capacity metrics and alerts, or {@code null}
   * when the sink keeps nothing (default). Called once, after the exporters were created.
   */
  default CapacityProbe capacityProbe(SinkContext context) {
    return null;
  }
}
