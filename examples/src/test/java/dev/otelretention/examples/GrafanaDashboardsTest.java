package dev.otelretention.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseColumn;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.logs.ApplicationLogs;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every panel of the shipped Grafana dashboards ({@code grafana/dashboards}) runs against the
 * embedded ClickHouse engine filled by the shop workload of the demos, with the dashboard's
 * variables and the ClickHouse data source plugin's macros expanded as the plugin expands them, and
 * returns rows of the types its panel needs.
 */
class GrafanaDashboardsTest {
  private static final String PASSWORD = "grafana";
  private static final String DATABASE = "grafana_panels";
  private static final Path DASHBOARDS = Path.of("..", "grafana", "dashboards");
  private static final int INTERVAL_SECONDS = 5;
  private static final Pattern MACRO = Pattern.compile("\\$__(\\w+)(?:\\(([^()]*)\\))?");

  private static LocalClickHouse clickhouse;
  private static Client client;
  private static Instant from;
  private static Instant to;

  @BeforeAll
  static void runTheShopIntoClickHouse() throws Exception {
    clickhouse =
        LocalClickHouse.builder(Path.of("../testing-clickhouse/src/main/node/clickhouse-front.js"))
            .password(PASSWORD)
            .start();
    client =
        new Client.Builder()
            .addEndpoint(clickhouse.endpoint())
            .setUsername("default")
            .setPassword(PASSWORD)
            .build();
    from = Instant.now().minus(Duration.ofMinutes(5));
    Map<String, String> environment = new HashMap<>();
    environment.put("CLICKHOUSE_ENDPOINT", clickhouse.endpoint());
    environment.put("CLICKHOUSE_PASSWORD", PASSWORD);
    environment.put("CLICKHOUSE_DATABASE", DATABASE);
    environment.put("OTEL_SERVICE_NAME", "demo-shop");
    environment.put("OTEL_RETENTION_METRIC_INTERVAL", "1s");
    environment.put("OTEL_RETENTION_MEMORY_LIMIT", "64MiB");
    // a batch queue too small for the shop's bursts, so that the loss panels have losses
    environment.put("OTEL_RETENTION_BATCH_SIZE", "8");
    environment.put("OTEL_RETENTION_QUEUE_SIZE", "8");
    // a limit every table is over, so that the alert panel has alerts to show
    environment.put("OTEL_RETENTION_CAPACITY_MAX_PROJECTED_BYTES", "1B");
    environment.put("OTEL_RETENTION_CAPACITY_MIN_FREE_RATIO", "0.01");
    environment.put("OTEL_RETENTION_CAPACITY_INTERVAL", "1s");
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment))
            .captureApplicationLogs(ApplicationLogs.Framework.LOGBACK)
            .closeOnJvmShutdown(false)
            .build()) {
      ShopSimulation.run(
          telemetry.openTelemetry(),
          Duration.ofSeconds(6),
          () -> telemetry.flush(Duration.ofSeconds(30)));
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
    }
    to = Instant.now().plus(Duration.ofMinutes(1));
  }

  @AfterAll
  static void stop() {
    client.close();
    clickhouse.close();
  }

  /** The panel's SQL as the plugin sends it for the range {@code [from, to]}. */
  static String expand(String sql, Instant from, Instant to, int intervalSeconds) {
    String withVariables = sql.replace("${database}", DATABASE);
    Matcher macro = MACRO.matcher(withVariables);
    StringBuilder expanded = new StringBuilder();
    while (macro.find()) {
      String argument = macro.group(2) == null ? "" : macro.group(2).trim();
      String replacement =
          switch (macro.group(1)) {
            case "timeFilter" ->
                argument
                    + " >= toDateTime("
                    + from.getEpochSecond()
                    + ") AND "
                    + argument
                    + " <= toDateTime("
                    + to.getEpochSecond()
                    + ")";
            case "timeInterval" ->
                "toStartOfInterval(toDateTime("
                    + argument
                    + "), INTERVAL "
                    + Math.max(1, intervalSeconds)
                    + " second)";
            case "interval_s" -> Integer.toString(Math.max(1, intervalSeconds));
            case "fromTime" -> "toDateTime(" + from.getEpochSecond() + ")";
            case "toTime" -> "toDateTime(" + to.getEpochSecond() + ")";
            default -> throw new AssertionError("a macro the test does not know: " + macro.group());
          };
      macro.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
    }
    macro.appendTail(expanded);
    return expanded.toString();
  }

  private static List<JsonNode> dashboards() throws Exception {
    List<JsonNode> dashboards = new ArrayList<>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        dashboards.add(new ObjectMapper().readTree(file.toFile()));
      }
    }
    return dashboards;
  }

  private static boolean numeric(ClickHouseColumn column) {
    String type =
        column.getOriginalTypeName().replaceAll("^(Nullable|LowCardinality)\\((.*)\\)$", "$2");
    return type.matches("U?Int\\d+|Float\\d+|Decimal.*");
  }

  private static boolean time(ClickHouseColumn column) {
    return column.getOriginalTypeName().startsWith("DateTime");
  }

  @Test
  void theDashboardsMacroExpansionIsThePlugins() {
    Instant start = Instant.ofEpochSecond(1_700_000_000);
    Instant end = Instant.ofEpochSecond(1_700_003_600);
    assertThat(
            expand(
                "SELECT $__timeInterval(TimeUnix) AS t FROM ${database}.x WHERE $__timeFilter(TimeUnix)",
                start,
                end,
                30))
        .isEqualTo(
            "SELECT toStartOfInterval(toDateTime(TimeUnix), INTERVAL 30 second) AS t FROM "
                + DATABASE
                + ".x WHERE TimeUnix >= toDateTime(1700000000) AND TimeUnix <= toDateTime(1700003600)");
  }

  @Test
  void everyPanelReturnsRowsOfTheTypesItsVisualisationNeeds() throws Exception {
    List<JsonNode> dashboards = dashboards();
    assertThat(dashboards)
        .extracting(d -> d.get("uid").asText())
        .containsExactly(
            "otel-retention-pipeline", "otel-retention-pools", "otel-retention-retention");
    int panels = 0;
    StringBuilder sample = new StringBuilder();
    for (JsonNode dashboard : dashboards) {
      for (JsonNode panel : dashboard.get("panels")) {
        String name = dashboard.get("uid").asText() + " / " + panel.get("title").asText();
        assertThat(panel.get("datasource").get("type").asText())
            .isEqualTo("grafana-clickhouse-datasource");
        JsonNode target = panel.get("targets").get(0);
        assertThat(target.get("editorType").asText()).isEqualTo("sql");
        String sql = expand(target.get("rawSql").asText(), from, to, INTERVAL_SECONDS);
        assertThat(sql).as(name).doesNotContain("$__").doesNotContain("${");
        List<GenericRecord> rows = client.queryAll(sql);
        assertThat(rows).as(name + " returns rows").isNotEmpty();
        TableSchema schema = rows.get(0).getSchema();
        List<ClickHouseColumn> columns = schema.getColumns();
        boolean timeSeries = panel.get("type").asText().equals("timeseries");
        assertThat(target.get("format").asInt()).as(name).isEqualTo(timeSeries ? 0 : 1);
        if (timeSeries) {
          assertThat(time(columns.get(0))).as(name + ": a time column first").isTrue();
        }
        assertThat(columns.stream().skip(1).anyMatch(GrafanaDashboardsTest::numeric))
            .as(name + ": a numeric value column, in " + columns)
            .isTrue();
        sample.append(name).append('\n');
        for (GenericRecord row : rows.subList(0, Math.min(3, rows.size()))) {
          List<String> values = new ArrayList<>();
          for (int i = 1; i <= columns.size(); i++) {
            values.add(row.getString(i));
          }
          sample.append("  ").append(String.join(" | ", values)).append('\n');
        }
        panels++;
      }
    }
    assertThat(panels).isEqualTo(23);
    // -Dgrafana.sample=FILE keeps the first rows of every panel, for the README
    String keep = System.getProperty("grafana.sample");
    if (keep != null) {
      Files.writeString(Path.of(keep), sample);
    }
  }
}
