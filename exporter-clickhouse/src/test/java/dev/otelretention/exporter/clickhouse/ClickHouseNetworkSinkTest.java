package dev.otelretention.exporter.clickhouse;

import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.testing.NetworkSinkKit;
import java.util.List;
import java.util.Map;

/**
 * The network sink kit against the real ClickHouse engine. A batch sent again carries the same
 * deduplication token, so ClickHouse stores every span once.
 */
class ClickHouseNetworkSinkTest extends NetworkSinkKit {
  private static final String DATABASE = "kit";

  @Override
  protected Destination startDestination() throws Exception {
    ClickHouseFront front = ClickHouseFront.startNew();
    return new Destination() {
      @Override
      public void stop() {
        front.stop();
      }

      @Override
      public void start() throws Exception {
        front.start();
      }

      @Override
      public List<String> spanNames() {
        return strings("SELECT SpanName FROM " + DATABASE + ".otel_traces");
      }

      @Override
      public List<String> logBodies() {
        return strings("SELECT Body FROM " + DATABASE + ".otel_logs");
      }

      @Override
      public List<String> metricNames() {
        return strings("SELECT DISTINCT MetricName FROM " + DATABASE + ".otel_metrics_sum");
      }

      private List<String> strings(String sql) {
        return front.query(sql).stream().map(row -> row.getString(1)).toList();
      }

      @Override
      public List<String> sinkArguments() {
        return List.of(front.endpoint());
      }

      @Override
      public void close() {
        front.stop();
      }
    };
  }

  @Override
  protected TelemetrySink sink(List<String> arguments) {
    return ClickHouseExporters.builder()
        .endpoint(arguments.get(0))
        .password(ClickHouseFront.PASSWORD)
        .database(DATABASE)
        .buildSink();
  }

  @Override
  protected String autoconfigureName() {
    return "clickhouse";
  }

  @Override
  protected Map<String, String> autoconfigureProperties(Destination destination) {
    return Map.of(
        "otel.exporter.clickhouse.endpoint",
        destination.sinkArguments().get(0),
        "otel.exporter.clickhouse.password",
        ClickHouseFront.PASSWORD,
        "otel.exporter.clickhouse.database",
        DATABASE);
  }

  @Override
  protected boolean deduplicates() {
    return true;
  }
}
