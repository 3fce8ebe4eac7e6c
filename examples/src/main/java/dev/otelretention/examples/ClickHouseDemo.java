package dev.otelretention.examples;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.logs.ApplicationLogs;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports the shop workload to ClickHouse. Without {@code CLICKHOUSE_ENDPOINT} it starts the local
 * HTTP front of the embedded ClickHouse engine ({@code testing-clickhouse/src/main/node}), so no
 * server is needed; then it queries the tables the way a Grafana dashboard would. Run it for {@code
 * -Ddemo.seconds=N} (default 10).
 */
public final class ClickHouseDemo {
  private static final String FRONT = "testing-clickhouse/src/main/node/clickhouse-front.js";

  private ClickHouseDemo() {}

  /** Runs the demo. */
  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(Long.getLong("demo.seconds", 10));
    EnvironmentConfig system = EnvironmentConfig.fromSystem();
    String endpoint = system.get("clickhouse.endpoint");
    String password = system.get("clickhouse.password", "");
    LocalClickHouse front = null;
    if (endpoint == null) {
      password = "demo-password";
      front = LocalClickHouse.builder(Path.of(FRONT)).password(password).start();
      endpoint = front.endpoint();
      System.out.println("started the embedded ClickHouse engine behind " + endpoint);
    }
    try {
      Map<String, String> environment = new HashMap<>();
      environment.put("CLICKHOUSE_ENDPOINT", endpoint);
      environment.put("CLICKHOUSE_PASSWORD", password);
      environment.put("CLICKHOUSE_DATABASE", system.get("clickhouse.database", "otel"));
      environment.put("OTEL_SERVICE_NAME", "demo-shop");
      // the resource identity of the environment the demo runs in (service.instance.id, host.name)
      String resourceAttributes = system.get("otel.resource.attributes");
      if (resourceAttributes != null) {
        environment.put("OTEL_RESOURCE_ATTRIBUTES", resourceAttributes);
      }
      long requests;
      try (TelemetryRetention telemetry =
          TelemetryRetention.builder()
              .config(EnvironmentConfig.of(environment))
              .captureApplicationLogs(ApplicationLogs.Framework.LOGBACK)
              .closeOnJvmShutdown(false)
              .build()) {
        System.out.println("simulating a shop for " + duration.toSeconds() + " s");
        requests =
            ShopSimulation.run(
                telemetry.openTelemetry(), duration, () -> telemetry.flush(Duration.ofSeconds(30)));
        telemetry.flush(Duration.ofSeconds(30));
      }
      System.out.println("simulated " + requests + " requests");
      report(endpoint, password, environment.get("CLICKHOUSE_DATABASE"));
    } finally {
      if (front != null) {
        front.close();
      }
    }
  }

  private static void report(String endpoint, String password, String database) {
    try (Client client =
        new Client.Builder()
            .addEndpoint(endpoint)
            .setUsername("default")
            .setPassword(password)
            .build()) {
      System.out.println();
      for (String table :
          List.of(
              "otel_traces",
              "otel_traces_trace_id_ts",
              "otel_logs",
              "otel_metrics_sum",
              "otel_metrics_gauge",
              "otel_metrics_histogram")) {
        GenericRecord row =
            client.queryAll("SELECT count() AS c FROM " + database + "." + table).get(0);
        System.out.printf("  %-28s %,10d rows%n", table, row.getLong("c"));
      }
      System.out.println();
      System.out.println("slowest routes (p95 of server spans, ms):");
      for (GenericRecord row :
          client.queryAll(
              "SELECT SpanName, round(quantile(0.95)(Duration) / 1e6, 3) AS p95, countIf(StatusCode = 'Error') AS errors"
                  + " FROM "
                  + database
                  + ".otel_traces WHERE SpanKind = 'Server' GROUP BY SpanName ORDER BY p95 DESC")) {
        System.out.printf(
            "  %-24s p95 %8s ms  errors %d%n",
            row.getString("SpanName"), row.getString("p95"), row.getLong("errors"));
      }
      String ttl =
          client
              .queryAll(
                  "SELECT create_table_query AS q FROM system.tables WHERE database = '"
                      + database
                      + "' AND name = 'otel_traces'")
              .get(0)
              .getString("q")
              .replaceAll("(?s).*\\b(TTL [^S]*?)SETTINGS.*", "$1")
              .trim();
      System.out.println();
      System.out.println("retention of otel_traces: " + ttl);
    }
  }
}
