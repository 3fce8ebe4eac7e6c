package dev.otelretention.exporter.clickhouse;

import dev.otelretention.export.ExportDestination;
import dev.otelretention.export.ExportException;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The transports of the three signals: encode a batch as RowBinary and insert it, schema first. */
final class ClickHouseDestinations {
  private final ClickHouseConnection connection;
  private final SchemaManager schemaManager;
  private final Schema schema;
  /** One encoding buffer per sender thread, reused across batches. */
  private final ThreadLocal<RowBinaryOutput> buffers = ThreadLocal.withInitial(RowBinaryOutput::new);

  ClickHouseDestinations(ClickHouseConnection connection, SchemaManager schemaManager, Schema schema) {
    this.connection = connection;
    this.schemaManager = schemaManager;
    this.schema = schema;
  }

  ExportDestination<SpanData> spans() {
    return batch -> {
      schemaManager.ensure();
      RowBinaryOutput out = buffer();
      for (SpanData span : batch) {
        RowEncoders.span(out, span);
      }
      insert(TelemetryTable.TRACES, out);
    };
  }

  ExportDestination<LogRecordData> logs() {
    return batch -> {
      schemaManager.ensure();
      RowBinaryOutput out = buffer();
      for (LogRecordData log : batch) {
        RowEncoders.log(out, log);
      }
      insert(TelemetryTable.LOGS, out);
    };
  }

  /**
   * Metrics go to up to five tables per batch. A table that took its rows is remembered for the batch, so a
   * retry after a partial failure sends only the rest and no row is written twice.
   */
  ExportDestination<MetricData> metrics() {
    Map<List<MetricData>, Set<TelemetryTable>> done = Collections.synchronizedMap(new IdentityHashMap<>());
    return new ExportDestination<>() {
      @Override
      public void send(List<MetricData> batch) throws Exception {
        schemaManager.ensure();
        Map<TelemetryTable, List<MetricData>> byTable = new EnumMap<>(TelemetryTable.class);
        for (MetricData metric : batch) {
          byTable.computeIfAbsent(RowEncoders.tableOf(metric), t -> new ArrayList<>()).add(metric);
        }
        Set<TelemetryTable> finished = done.computeIfAbsent(batch, b -> EnumSet.noneOf(TelemetryTable.class));
        for (Map.Entry<TelemetryTable, List<MetricData>> entry : byTable.entrySet()) {
          if (finished.contains(entry.getKey())) {
            continue;
          }
          RowBinaryOutput out = buffer();
          int rows = 0;
          for (MetricData metric : entry.getValue()) {
            rows += RowEncoders.metric(out, metric);
          }
          if (rows > 0) {
            insert(entry.getKey(), out);
          }
          finished.add(entry.getKey());
        }
      }

      @Override
      public void finished(List<MetricData> batch) {
        done.remove(batch);
      }
    };
  }

  private RowBinaryOutput buffer() {
    RowBinaryOutput out = buffers.get();
    out.reset();
    return out;
  }

  private void insert(TelemetryTable table, RowBinaryOutput rows) throws ExportException {
    if (rows.size() == 0) {
      return;
    }
    connection.insert(schema.qualifiedName(table), table.columnNames(), rows);
  }
}
