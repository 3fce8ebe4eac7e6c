package dev.otelretention.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code otel-retention} against the embedded ClickHouse engine and a directory of rotating files.
 */
class OtelRetentionCliTest {
  private static final String PASSWORD = "cli";

  @SuppressWarnings("TimeInStaticInitializer") // one reference time for the whole class
  private static final LocalDate YESTERDAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);

  @TempDir static Path server;
  @TempDir Path dir;
  private static LocalClickHouse clickhouse;

  @BeforeAll
  static void startClickHouse() throws Exception {
    Path backups = Files.createDirectories(server.resolve("backups"));
    Path config = server.resolve("server.xml");
    Files.writeString(
        config,
        "<clickhouse>\n"
            + "  <storage_configuration><disks><backups><type>local</type><path>"
            + backups
            + "/</path></backups></disks>"
            + "</storage_configuration>\n"
            + "  <backups><allowed_disk>backups</allowed_disk><allowed_path>"
            + backups
            + "/</allowed_path></backups>\n"
            + "</clickhouse>\n");
    clickhouse =
        LocalClickHouse.builder(Path.of("../testing-clickhouse/src/main/node/clickhouse-front.js"))
            .password(PASSWORD)
            .dataDirectory(Files.createDirectories(server.resolve("data")))
            .configFile(config)
            .start();
  }

  @AfterAll
  static void stopClickHouse() {
    clickhouse.close();
  }

  private static String[] run(String... args) {
    return CliRuns.run(args);
  }

  private static String[] runOn(String database, String... args) {
    return CliRuns.runOn(clickhouse.endpoint(), PASSWORD, database, args);
  }

  /**
   * Spans today and yesterday, into ClickHouse (database {@code database}) and rotating files in
   * {@code dir}.
   */
  private void export(String database) {
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(
                ClickHouseExporters.builder()
                    .endpoint(clickhouse.endpoint())
                    .password(PASSWORD)
                    .database(database)
                    .buildSink())
            .addSink(RotatingFileExporters.builder().directory(dir).buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("cli");
      Instant yesterday = Instant.now().minus(Duration.ofDays(1));
      for (int i = 0; i < 5; i++) {
        tracer.spanBuilder("span-" + i).startSpan().end();
        tracer
            .spanBuilder("old-" + i)
            .setStartTimestamp(yesterday)
            .startSpan()
            .end(yesterday.plusMillis(1));
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
  }

  @Test
  void reportsClickHouseTablesAndFiles() throws Exception {
    export("cli_report");
    String[] json = runOn("cli_report", "report", "--json");
    assertThat(json[0]).isEqualTo("0");
    JsonNode report = new ObjectMapper().readTree(json[1]);
    JsonNode traces = report.path("tables").get(0);
    assertThat(traces.path("table").asText()).isEqualTo("otel_traces");
    assertThat(traces.path("rows").asLong()).isEqualTo(10);
    assertThat(traces.path("ttlDrift").asBoolean()).isFalse();

    String[] table = runOn("cli_report", "report", "--files", dir.toString());
    assertThat(table[0]).isEqualTo("0");
    assertThat(table[1]).contains("otel_traces").contains("traces.jsonl").contains("metrics.jsonl");
  }

  @Test
  void reportsIngestPerServiceAndInstance() throws Exception {
    for (int instance = 1; instance <= 2; instance++) {
      try (TelemetryRetention telemetry =
          TelemetryRetention.builder()
              .config(
                  EnvironmentConfig.of(
                      Map.of(
                          "OTEL_RESOURCE_ATTRIBUTES",
                          "service.instance.id=checkout-" + instance,
                          "HOSTNAME",
                          "node-" + instance)))
              .serviceName("checkout")
              .addSink(
                  ClickHouseExporters.builder()
                      .endpoint(clickhouse.endpoint())
                      .password(PASSWORD)
                      .database("cli_sources")
                      .buildSink())
              .batchTimeout(Duration.ofMillis(20))
              .closeOnJvmShutdown(false)
              .build()) {
        Tracer tracer = telemetry.openTelemetry().getTracer("cli");
        // the second instance is the noisy one
        for (int i = 0; i < 10 * instance * instance; i++) {
          tracer.spanBuilder("span-" + i).startSpan().end();
        }
        assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      }
    }
    String[] json = runOn("cli_sources", "report", "--json", "--by-source", "--top", "5");
    assertThat(json[0]).as(json[2]).isEqualTo("0");
    List<JsonNode> traces = new ArrayList<>();
    for (String line : json[1].split("\\R")) {
      JsonNode node = new ObjectMapper().readTree(line);
      if (node.has("source") && node.path("source").path("table").asText().equals("otel_traces")) {
        traces.add(node.path("source"));
      }
    }
    assertThat(traces).hasSize(2);
    assertThat(traces.get(0).path("instance").asText()).isEqualTo("checkout-2");
    assertThat(traces.get(0).path("host").asText()).isEqualTo("node-2");
    assertThat(traces.get(0).path("rows").asLong()).isEqualTo(40);
    assertThat(traces.get(1).path("instance").asText()).isEqualTo("checkout-1");
    assertThat(traces.get(0).path("share").asDouble()).isEqualTo(0.8);

    String[] table = runOn("cli_sources", "report", "--by-source");
    assertThat(table[0]).isEqualTo("0");
    assertThat(table[1]).containsPattern("otel_traces +checkout +checkout-2 +node-2 +40 +80\\.0%");
  }

  @Test
  void backupDropRestoreRoundTripWithConfirmations() {
    export("cli_backup");
    String[] before = runOn("cli_backup", "checksums", "--tables", "otel_traces,otel_logs");
    assertThat(before[1]).contains("otel_traces").contains("10 rows");

    String[] backup = runOn("cli_backup", "backup", "--target", "disk:backups:cli-round-trip");
    assertThat(backup[0]).as(backup[2]).isEqualTo("0");
    assertThat(backup[1])
        .contains("BACKUP TABLE `cli_backup`.`otel_traces`")
        .contains("done 1/1: BACKUP_CREATED");

    String[] unconfirmed =
        runOn(
            "cli_backup",
            "drop",
            "--tables",
            "otel_traces",
            "--since",
            YESTERDAY.toString(),
            "--until",
            YESTERDAY.toString());
    assertThat(unconfirmed[0]).isEqualTo(Integer.toString(OtelRetentionCli.NOT_CONFIRMED));
    assertThat(unconfirmed[1])
        .contains("[destructive]")
        .contains("5 rows are deleted for good")
        .contains(
            "ALTER TABLE `cli_backup`.`otel_traces` DROP PARTITION ID '"
                + YESTERDAY.toString().replace("-", "")
                + "'");
    assertThat(unconfirmed[2]).contains("nothing was run").contains("--confirm");
    assertThat(runOn("cli_backup", "checksums", "--tables", "otel_traces")[1]).contains("10 rows");
    String[] dry =
        runOn(
            "cli_backup",
            "drop",
            "--tables",
            "otel_traces",
            "--since",
            YESTERDAY.toString(),
            "--until",
            YESTERDAY.toString(),
            "--dry-run",
            "--confirm");
    assertThat(dry[0]).isEqualTo("0");
    assertThat(runOn("cli_backup", "checksums", "--tables", "otel_traces")[1])
        .as("dry run")
        .contains("10 rows");

    String[] dropped =
        runOn(
            "cli_backup",
            "drop",
            "--tables",
            "otel_traces",
            "--since",
            YESTERDAY.toString(),
            "--until",
            YESTERDAY.toString(),
            "--confirm");
    assertThat(dropped[0]).isEqualTo("0");
    assertThat(runOn("cli_backup", "checksums", "--tables", "otel_traces")[1]).contains(" 5 rows");

    String[] restored =
        runOn(
            "cli_backup",
            "restore",
            "--target",
            "disk:backups:cli-round-trip",
            "--tables",
            "otel_traces",
            "--since",
            YESTERDAY.toString(),
            "--until",
            YESTERDAY.toString(),
            "--mode",
            "replace",
            "--confirm");
    assertThat(restored[0]).as(restored[2]).isEqualTo("0");
    assertThat(restored[1]).contains("done 1/1: RESTORED");
    assertThat(runOn("cli_backup", "checksums", "--tables", "otel_traces,otel_logs")[1])
        .isEqualTo(before[1]);

    String[] partitions = runOn("cli_backup", "partitions", "--table", "otel_traces");
    assertThat(partitions[1]).contains(YESTERDAY.toString()).contains("default");
    String[] archive =
        runOn(
            "cli_backup",
            "archive",
            "--since",
            YESTERDAY.toString(),
            "--until",
            YESTERDAY.toString(),
            "--tables",
            "otel_traces",
            "--dry-run");
    assertThat(archive[1])
        .contains("CREATE TABLE IF NOT EXISTS `cli_backup`.`otel_traces_archive`")
        .contains("MOVE PARTITION ID");
  }

  @Test
  void replayLoadsEachFileOnceWithAProgressBar() {
    export("cli_direct");
    String[] planned = runOn("cli_replayed", "replay", "--files", dir.toString(), "--dry-run");
    assertThat(planned[0]).as(planned[2]).isEqualTo("0");
    assertThat(planned[1]).contains("pending  traces.jsonl").contains("0 items loaded");
    String[] loaded = runOn("cli_replayed", "replay", "--files", dir.toString());
    assertThat(loaded[0]).as(loaded[2]).isEqualTo("0");
    assertThat(loaded[1]).contains("loaded   traces.jsonl").contains("10 items");
    assertThat(loaded[2]).contains("[##############################] 100%");
    assertThat(runOn("cli_replayed", "checksums", "--tables", "otel_traces,otel_logs")[1])
        .isEqualTo(
            runOn("cli_direct", "checksums", "--tables", "otel_traces,otel_logs")[1].replace(
                "cli_direct", "cli_replayed"));
    String[] again = runOn("cli_replayed", "replay", "--files", dir.toString());
    assertThat(again[1]).contains("skipped  traces.jsonl").contains("0 items loaded");
  }

  @Test
  void retentionIsShortenedOnlyAfterItsPlanIsConfirmedAndLengthenedAtOnce() {
    export("cli_retention");
    String[] longer =
        runOn("cli_retention", "retention", "--tables", "otel_traces", "--ttl", "30d");
    assertThat(longer[0]).as(longer[2]).isEqualTo("0");
    assertThat(longer[1])
        .doesNotContain("[destructive]")
        .contains(
            "ALTER TABLE `cli_retention`.`otel_traces` MODIFY TTL toDateTime(Timestamp) +"
                + " toIntervalDay(30)")
        .contains("done 1/1");

    String[] unconfirmed =
        runOn("cli_retention", "retention", "--tables", "otel_traces", "--ttl", "12h");
    assertThat(unconfirmed[0]).isEqualTo(Integer.toString(OtelRetentionCli.NOT_CONFIRMED));
    assertThat(unconfirmed[1])
        .contains("[destructive]")
        .contains("otel_traces: partition " + YESTERDAY + " goes now, all 5 rows of it")
        .contains("otel_traces keeps rows for 12 hours instead of 30 days: 5 rows are deleted")
        .contains("DROP PARTITION ID '" + YESTERDAY.toString().replace("-", "") + "'")
        .contains("MODIFY TTL toDateTime(Timestamp) + toIntervalHour(12)");
    assertThat(unconfirmed[2]).contains("nothing was run");
    String[] dry =
        runOn(
            "cli_retention",
            "retention",
            "--tables",
            "otel_traces",
            "--ttl",
            "12h",
            "--dry-run",
            "--confirm");
    assertThat(dry[0]).isEqualTo("0");
    assertThat(runOn("cli_retention", "checksums", "--tables", "otel_traces")[1])
        .contains("10 rows");

    String[] confirmed =
        runOn("cli_retention", "retention", "--tables", "otel_traces", "--ttl", "12h", "--confirm");
    assertThat(confirmed[0]).as(confirmed[2]).isEqualTo("0");
    assertThat(runOn("cli_retention", "checksums", "--tables", "otel_traces")[1])
        .contains(" 5 rows");
    assertThat(runOn("cli_retention", "report")[1])
        .contains("live table has toDateTime(Timestamp) + toIntervalHour(12)");

    String[] bare = runOn("cli_retention", "retention", "--ttl", "7");
    assertThat(bare[0]).as("a usage error").isEqualTo("2");
    assertThat(bare[2]).contains("--ttl=7: a duration needs its unit; write 7d for days");
  }

  @Test
  void saysWhatIsMissingOrWrong() {
    String[] result = run("report");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("--clickhouse-endpoint");
    assertThat(run("--help")[1])
        .contains("report")
        .contains("backup")
        .contains("restore")
        .contains("replay");
    String[] unknown = runOn("cli_errors", "partitions", "--table", "otel_nothing");
    assertThat(unknown[0]).isEqualTo("1");
    assertThat(unknown[2]).contains("error: unknown table 'otel_nothing'");
    String[] badMode =
        runOn("cli_errors", "restore", "--target", "disk:backups:x", "--mode", "overwrite");
    assertThat(badMode[2]).contains("--mode must be into-empty, replace or append");
    assertThat(run("drop", "--clickhouse-endpoint", "http://127.0.0.1:1")[2])
        .contains("Missing required argument");
    if (System.getenv("CLICKHOUSE_ENDPOINT") == null
        && System.getProperty("clickhouse.endpoint") == null) {
      String[] nowhere = run("retention", "--ttl", "7d");
      assertThat(nowhere[0]).isEqualTo("2");
      assertThat(nowhere[2])
          .contains(
              "a ClickHouse endpoint is required: --clickhouse-endpoint URL, or CLICKHOUSE_ENDPOINT");
    }
  }
}
