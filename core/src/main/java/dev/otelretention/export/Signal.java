package dev.otelretention.export;

/** The three OpenTelemetry signals, with the item names the exporter semantic conventions use. */
public enum Signal {
  /** Spans. */
  TRACES("span", "traces"),
  /** Metric data points. */
  METRICS("metric_data_point", "metrics"),
  /** Log records. */
  LOGS("log", "logs");

  private final String itemName;
  private final String fileName;

  Signal(String itemName, String fileName) {
    this.itemName = itemName;
    this.fileName = fileName;
  }

  /**
   * The item name used in self-monitoring metric names, e.g. {@code span} in {@code
   * otel.sdk.exporter.span.exported}.
   */
  public String itemName() {
    return itemName;
  }

  /** The lowercase plural name, e.g. {@code traces}; used for file and table names. */
  public String baseName() {
    return fileName;
  }
}
