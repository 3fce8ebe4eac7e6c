package dev.otelretention.hikaricp;

/** Which metric names pool monitoring emits. */
public enum MetricNaming {
  /**
   * The OpenTelemetry semantic conventions ({@code db.client.connection.*}) plus this library's
   * extensions.
   */
  SEMANTIC_CONVENTIONS,
  /**
   * The names of the original Python monitoring ({@code gauge_db_pool_connections_total}, ...) with
   * its {@code engine_name} and {@code pool_mode} attributes, so existing dashboards keep working.
   */
  LEGACY,
  /** Both sets at once, for a migration period. */
  BOTH;

  boolean semantic() {
    return this != LEGACY;
  }

  boolean legacy() {
    return this != SEMANTIC_CONVENTIONS;
  }
}
