package dev.otelretention.exporter.clickhouse;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters.SpanValueStyle;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseDestinations;
import dev.otelretention.exporter.clickhouse.internal.FailoverReport;
import dev.otelretention.exporter.clickhouse.internal.LiveTables;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import dev.otelretention.exporter.clickhouse.internal.TableInspector;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import dev.otelretention.sink.CapacityProbe;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The ClickHouse sink: one client shared by the three signals, each behind the core export stage
 * (sending queue, retries, request timeout, memory bound, self-monitoring). The schema is created
 * or migrated before the first insert. Create it with {@link
 * ClickHouseExporters.Builder#buildSink()}; it keeps the immutable {@link ClickHouseSettings} made
 * there.
 */
final class ClickHouseSink implements TelemetrySink {
  /**
   * Request timeouts one batch may take: a batch is an insert per table it fills (spans also feed
   * the trace-id lookup, metrics their rollups), sent one after the other.
   */
  private static final int REQUESTS_PER_BATCH = 2;

  private final ClickHouseSettings settings;
  private final Schema schema;
  private ClickHouseConnection connection;
  private SchemaManager schemaManager;
  private ClickHouseDestinations destinations;
  private ScheduledExecutorService sweeper;
  private int openStages;
  private SchemaManager.MigrationReport lastMigration;

  private ClickHouseSink(ClickHouseSettings settings) {
    this.settings = settings;
    this.schema = settings.schema();
  }

  /**
   * A sink with these settings; {@link ClickHouseExporters.Builder#buildSink()} is the usual way.
   */
  public static ClickHouseSink create(ClickHouseSettings settings) {
    return new ClickHouseSink(Objects.requireNonNull(settings, "settings"));
  }

  @Override
  public String name() {
    return "clickhouse";
  }

  @Override
  public String description() {
    return "ClickHouse at "
        + settings.displayEndpoint()
        + ", database "
        + settings.database()
        + ", "
        + (settings.connection().compression().equals("none")
            ? "uncompressed"
            : settings.connection().compression())
        + " inserts"
        + (settings.schema().jsonAttributes() ? ", JSON attributes" : "")
        + " (kept: traces "
        + retention(TelemetryTable.TRACES)
        + ", logs "
        + retention(TelemetryTable.LOGS)
        + ", metrics "
        + retention(TelemetryTable.METRICS_SUM)
        + ")";
  }

  private String retention(TelemetryTable table) {
    return Schema.describeRetention(schema.ttl(table));
  }

  private synchronized ClickHouseDestinations destinations(SinkContext context) {
    if (destinations == null) {
      connection = new ClickHouseConnection(settings.connection(), context.requestTimeout());
      schemaManager = new SchemaManager(connection, schema, settings.createSchema());
      destinations =
          new ClickHouseDestinations(
              connection,
              schemaManager,
              settings.spanValues() == SpanValueStyle.LEGACY,
              settings.asyncInsert(context.profile()),
              settings.cluster() != null);
      if (settings.createSchema()) {
        sweeper = startSweeper(schemaManager);
      }
    }
    return destinations;
  }

  private <T, E> E staged(SinkContext context, SinkContext.StagedExporter<T, E> exporter) {
    synchronized (this) {
      openStages++;
    }
    return exporter
        .senders(settings.senders())
        .requestTimeout(context.requestTimeout().multipliedBy(REQUESTS_PER_BATCH))
        .onStopped(this::stageStopped)
        .build();
  }

  /**
   * Drops expired partitions in the background, off the export threads: a sweep lists partitions
   * and may drop several, which an insert should not wait for. The first check comes a minute after
   * start; {@link SchemaManager#sweepIfDue()} then sweeps once an hour after the start-up sweep.
   */
  private static ScheduledExecutorService startSweeper(SchemaManager manager) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "otel-retention-clickhouse-sweeper");
              thread.setDaemon(true);
              return thread;
            });
    // a failure that escaped would end the schedule without a word: log it and sweep again later;
    // the executor's shutdown cancels the schedule
    ScheduledFuture<?> unused =
        executor.scheduleWithFixedDelay(
            () -> {
              try {
                manager.sweepIfDue();
              } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(ClickHouseSink.class.getName())
                    .log(
                        java.util.logging.Level.WARNING,
                        "otel-retention: the ClickHouse partition sweep failed; it runs again later",
                        e);
              }
            },
            SWEEP_CHECK.toMillis(),
            SWEEP_CHECK.toMillis(),
            TimeUnit.MILLISECONDS);
    return executor;
  }

  private static final Duration SWEEP_CHECK = Duration.ofMinutes(1);

  /** Stops the sweeper and waits for a sweep under way, so that none runs after close. */
  private static void stopSweeper(ScheduledExecutorService executor, Duration wait) {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        java.util.logging.Logger.getLogger(ClickHouseSink.class.getName())
            .warning(
                "otel-retention: the ClickHouse partition sweep did not end within "
                    + EnvironmentConfig.format(wait)
                    + "; its connection is closed under it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void stageStopped() {
    if (--openStages == 0 && connection != null) {
      if (sweeper != null) {
        stopSweeper(sweeper, Duration.ofSeconds(10));
        sweeper = null;
      }
      lastMigration = schemaManager.report();
      connection.close();
      connection = null;
      destinations = null;
      schemaManager = null;
    }
  }

  @Override
  public SpanExporter createSpanExporter(SinkContext context) {
    FailoverReport failovers = new FailoverReport();
    return staged(
        context,
        failovers.reportTo(
            context.spanExporter(
                "clickhouse_span_exporter", destinations(context).spans(failovers))));
  }

  @Override
  public MetricExporter createMetricExporter(SinkContext context) {
    FailoverReport failovers = new FailoverReport();
    return staged(
        context,
        failovers.reportTo(
            context.metricExporter(
                "clickhouse_metric_exporter",
                destinations(context).metrics(failovers),
                AggregationTemporalitySelector.alwaysCumulative())));
  }

  @Override
  public LogRecordExporter createLogRecordExporter(SinkContext context) {
    FailoverReport failovers = new FailoverReport();
    return staged(
        context,
        failovers.reportTo(
            context.logRecordExporter(
                "clickhouse_log_exporter", destinations(context).logs(failovers))));
  }

  /**
   * Measures each table (compressed bytes, the projection at its TTL and the last 7 days' ingest,
   * bytes per day) and each disk of the server (free and total bytes), over a connection of its
   * own.
   */
  @Override
  public CapacityProbe capacityProbe(SinkContext context) {
    return () -> {
      try (ClickHouseConnection probeConnection =
          new ClickHouseConnection(settings.connection(), Duration.ofMinutes(5))) {
        return new TableInspector(probeConnection, schema, new LiveTables(probeConnection, schema))
            .capacitySamples(7);
      }
    };
  }

  /**
   * The result of the schema migration, or {@code null} before the first export reached the server.
   */
  public synchronized String migrationSummary() {
    SchemaManager manager = schemaManager;
    SchemaManager.MigrationReport report = manager == null ? lastMigration : manager.report();
    return report == null ? null : report.toString();
  }

  /** The settings this sink was built with. */
  public ClickHouseSettings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "ClickHouseSink{" + description() + "}";
  }
}
