package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.sink.SinkContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records a server outage, once per outage, as a failed attempt of an exporter whose insert went to
 * another server, naming the server that is down, so that health and the exporter metrics show it
 * while the data still flows. Not API.
 */
public final class FailoverReport implements ClickHouseConnection.FailoverListener {
  private volatile ExportStats stats;
  private final Map<String, Long> reported = new ConcurrentHashMap<>();

  /** Reports to the statistics of {@code exporter}, which this listener's destination feeds. */
  public <T, E> SinkContext.StagedExporter<T, E> reportTo(
      SinkContext.StagedExporter<T, E> exporter) {
    this.stats = exporter.stats();
    return exporter;
  }

  @Override
  public void failedOver(String failed, long outage, ExportException error, String next) {
    Long before = reported.put(failed, outage);
    ExportStats to = stats;
    if (to != null && (before == null || before != outage)) {
      to.recordFailedAttempt(
          0,
          error.errorType(),
          "ClickHouse server "
              + failed
              + " is down ("
              + error.getMessage()
              + "); inserts go to "
              + next,
          0);
    }
  }
}
