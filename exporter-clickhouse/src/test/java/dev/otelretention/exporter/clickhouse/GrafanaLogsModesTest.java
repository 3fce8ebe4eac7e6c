package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The logs queries of the Grafana ClickHouse plugin's two OTel modes run on the logs table: the
 * logs list, the log-volume histogram and the logs of a trace. OTel 1.2.9 filters and groups by
 * {@code TimestampTime}, which the Collector's newest logs table dropped; OTel 1.3.0 uses {@code
 * Timestamp}. The plugin's "auto" mode picks 1.2.9 when the table has a {@code TimestampTime}
 * column. The queries are written here in the shapes the plugin's SQL generator gives them (its
 * column maps per mode, its time filters, ordering and the log-volume query), with its macros
 * expanded as the plugin expands them.
 */
class GrafanaLogsModesTest {
  private static ClickHouseFront front;
  private static Instant from;

  @BeforeAll
  static void startFront() throws Exception {
    front = ClickHouseFront.get();
    from = Instant.now().minus(Duration.ofMinutes(5));
  }

  /** The plugin's logs queries of one mode: the time column it filters by, and its time field. */
  private static List<String> queries(String database, String filterTime, String traceId) {
    String table = "\"" + database + "\".\"otel_logs\"";
    // the time filter names the filter column; in 1.3.0 that is Timestamp under its alias
    String timeFilter = "( " + filterTime + " >= $__fromTime AND " + filterTime + " <= $__toTime )";
    String orderBy =
        filterTime.equals("timestamp") ? "timestamp DESC" : "(" + filterTime + ", timestamp) DESC";
    String volumeTime = filterTime.equals("timestamp") ? "Timestamp" : filterTime;
    String list =
        "SELECT Timestamp as \"timestamp\", Body as \"body\", SeverityText as \"level\", TraceId as"
            + " \"traceID\", LogAttributes as \"labels\" FROM "
            + table
            + " WHERE "
            + timeFilter
            + " ORDER BY "
            + orderBy
            + " LIMIT 1000";
    String volume =
        "SELECT $__timeInterval("
            + volumeTime
            + ") as time, sum(multiSearchAny(toString(\"SeverityText\"), ['info', 'INFO'])) as"
            + " info, sum(multiSearchAny(toString(\"SeverityText\"), ['error', 'ERROR'])) as error"
            + " FROM "
            + table
            + " WHERE ( time >= $__fromTime AND time <= $__toTime ) GROUP BY time ORDER BY time ASC";
    String ofTrace =
        "SELECT Timestamp as \"timestamp\", Body as \"body\", SeverityText as \"level\", TraceId as"
            + " \"traceID\" FROM "
            + table
            + " WHERE "
            + timeFilter
            + " AND ( traceID = '"
            + traceId
            + "' ) ORDER BY "
            + orderBy
            + " LIMIT 1000";
    return List.of(list, volume, ofTrace);
  }

  /** The plugin's macros, as it expands them: the dashboard's time range and a 5 s interval. */
  private static String expand(String sql) {
    return sql.replace("$__fromTime", "toDateTime(" + from.getEpochSecond() + ")")
        .replace("$__toTime", "toDateTime(" + (Instant.now().getEpochSecond() + 60) + ")")
        .replaceAll(
            "\\$__timeInterval\\(([^)]*)\\)",
            "toStartOfInterval(toDateTime($1), INTERVAL 5 second)");
  }

  /** Runs the exporter on {@code database} and sends two logs of one trace; its trace id. */
  private static String sendLogs(String database) {
    String traceId;
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("grafana-modes")
            .addSink(
                ClickHouseExporters.builder()
                    .endpoint(front.endpoint())
                    .password(ClickHouseFront.PASSWORD)
                    .database(database)
                    .buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Span span = telemetry.openTelemetry().getTracer("shop").spanBuilder("GET /cart").startSpan();
      traceId = span.getSpanContext().getTraceId();
      try (var scope = span.makeCurrent()) {
        var logger = telemetry.openTelemetry().getLogsBridge().get("shop");
        logger
            .logRecordBuilder()
            .setSeverity(io.opentelemetry.api.logs.Severity.INFO)
            .setSeverityText("INFO")
            .setBody("cart read")
            .emit();
        logger
            .logRecordBuilder()
            .setSeverity(io.opentelemetry.api.logs.Severity.ERROR)
            .setSeverityText("ERROR")
            .setBody("cart lost")
            .emit();
      } finally {
        span.end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    return traceId;
  }

  private static void bothModesWork(String database, String traceId) {
    for (String filterTime : List.of("TimestampTime", "timestamp")) {
      List<String> queries = queries(database, filterTime, traceId);
      List<GenericRecord> list = front.query(expand(queries.get(0)));
      assertThat(list)
          .as(filterTime + " logs list")
          .extracting(r -> r.getString("body"))
          .containsExactlyInAnyOrder("cart read", "cart lost");
      List<GenericRecord> volume = front.query(expand(queries.get(1)));
      assertThat(volume.stream().mapToLong(r -> r.getLong("info") + r.getLong("error")).sum())
          .as(filterTime + " log volume")
          .isEqualTo(2);
      assertThat(front.query(expand(queries.get(2))))
          .as(filterTime + " logs of the trace")
          .hasSize(2);
    }
  }

  @Test
  void bothModesWorkOnTheLogsTableWeCreate() {
    String traceId = sendLogs("grafana_ours");

    // the plugin's auto mode takes 1.2.9 when the table has the column
    assertThat(
            front.count(
                "SELECT count() FROM system.columns WHERE database = 'grafana_ours'"
                    + " AND table = 'otel_logs' AND name = 'TimestampTime'"
                    + " AND default_kind = 'ALIAS'"))
        .isEqualTo(1);
    bothModesWork("grafana_ours", traceId);
  }

  @Test
  void theCollectorsNewestLogsTableGetsTheColumnAndWorksInBothModes() throws Exception {
    String database = "grafana_peer";
    front.execute("CREATE DATABASE IF NOT EXISTS " + database);
    front.execute(UpstreamSchemaTest.render("logs_table.sql", database, "otel_logs", true));
    String orphanTrace = "0af7651916cd43dd8448eb211c80319c";
    // the peer's own table breaks the plugin's 1.2.9 mode
    assertThatThrownBy(
            () -> front.query(expand(queries(database, "TimestampTime", orphanTrace).get(0))))
        .hasStackTraceContaining("Unknown expression or function identifier `TimestampTime`");

    String traceId = sendLogs(database);

    bothModesWork(database, traceId);
  }
}
