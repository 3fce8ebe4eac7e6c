package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.export.SpoolableDestination;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseDestinations;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous inserts: the settings reach the server (read from the front's request log, since the
 * embedded engine runs every insert at once and shows no async queue), a retried or re-spooled
 * insert is still stored once, PRODUCTION turns them on, and inserts into an older layout (an
 * {@code INSERT ... SELECT}, which the server cannot queue) stay synchronous.
 */
class AsyncInsertTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The settings of every insert into {@code database} (or {@code database`.`table}), in order. */
  private static List<JsonNode> insertSettings(ClickHouseFront front, String database)
      throws Exception {
    List<JsonNode> settings = new ArrayList<>();
    for (String line : Files.readAllLines(front.requestLog())) {
      JsonNode request = JSON.readTree(line);
      if (request.get("insert").asBoolean()
          && request.get("statement").asText().contains("`" + database + "`")) {
        settings.add(request.get("settings"));
      }
    }
    return settings;
  }

  private static ClickHouseExporters.Builder settings(ClickHouseFront front, String database) {
    return ClickHouseExporters.builder()
        .endpoint(front.endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(database);
  }

  private static List<SpanData> spans(int count) {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      spans.add(TestSpans.span("async-" + i));
    }
    return spans;
  }

  @Test
  void asyncInsertsWaitForTheServerAndAreStoredOnce() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseSettings built = settings(front, "async_on").asyncInsert(true).buildSettings();
    byte[] record = null;
    // the second send is another process reading the same spool record after a crash
    for (int process = 0; process < 2; process++) {
      try (ClickHouseConnection connection =
          new ClickHouseConnection(built.connection(), Duration.ofSeconds(10))) {
        SpoolableDestination<SpanData> spans =
            new ClickHouseDestinations(
                    connection,
                    new SchemaManager(connection, built.schema(), true),
                    false,
                    built.asyncInsert(Profile.DEVELOPMENT),
                    false)
                .spans(null);
        if (record == null) {
          record = spans.encode(spans(20));
        }
        spans.sendEncoded(record, "spool-async:1");
      }
    }
    assertThat(front.count("SELECT count() FROM async_on.otel_traces")).isEqualTo(20);
    List<JsonNode> inserts = insertSettings(front, "async_on");
    assertThat(inserts).hasSize(2);
    for (JsonNode insert : inserts) {
      assertThat(insert.path("async_insert").asText()).isEqualTo("1");
      assertThat(insert.path("wait_for_async_insert").asText()).isEqualTo("1");
      assertThat(insert.path("async_insert_deduplicate").asText()).isEqualTo("1");
      assertThat(insert.path("insert_deduplication_token").asText()).startsWith("spool-async:1");
    }
  }

  @Test
  void clusterInsertsWaitForTheShards() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseSettings built = settings(front, "async_cluster").buildSettings();
    try (ClickHouseConnection connection =
        new ClickHouseConnection(built.connection(), Duration.ofSeconds(10))) {
      // the flag a cluster() sink passes; the engine here has no cluster, the setting is the point
      new ClickHouseDestinations(
              connection, new SchemaManager(connection, built.schema(), true), false, true, true)
          .spans(null)
          .send(spans(3));
    }
    assertThat(insertSettings(front, "async_cluster"))
        .singleElement()
        .satisfies(
            insert -> {
              assertThat(insert.path("distributed_foreground_insert").asText()).isEqualTo("1");
              assertThat(insert.path("async_insert").asText()).isEqualTo("1");
            });
  }

  @Test
  void productionTurnsThemOnAndDevelopmentOff() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    for (Profile profile : Profile.values()) {
      String database = "async_" + profile.name().toLowerCase(java.util.Locale.ROOT);
      try (TelemetryRetention telemetry =
          TelemetryRetention.builder()
              .config(EnvironmentConfig.of(Map.of()))
              .profile(profile)
              .noSpool()
              .serviceName("async")
              .addSink(settings(front, database).buildSink())
              .batchTimeout(Duration.ofMillis(20))
              .closeOnJvmShutdown(false)
              .build()) {
        telemetry.openTelemetry().getTracer("a").spanBuilder("by-profile").startSpan().end();
        assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      }
      List<JsonNode> inserts = insertSettings(front, database);
      assertThat(inserts).as(profile + " inserts").isNotEmpty();
      assertThat(inserts)
          .as(profile + " async_insert")
          .allSatisfy(
              insert ->
                  assertThat(insert.path("async_insert").asText())
                      .isEqualTo(profile == Profile.PRODUCTION ? "1" : "0"));
    }
    assertThat(
            settings(front, "unused")
                .asyncInsert(false)
                .buildSettings()
                .asyncInsert(Profile.PRODUCTION))
        .isFalse();
    assertThat(
            settings(front, "unused")
                .configure(
                    EnvironmentConfig.of(Map.of("otel.exporter.clickhouse.async-insert", "true")),
                    "otel.exporter.clickhouse.")
                .buildSettings()
                .asyncInsert(Profile.DEVELOPMENT))
        .isTrue();
  }

  @Test
  void anOlderLayoutIsWrittenSynchronously() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    front.execute("CREATE DATABASE IF NOT EXISTS async_older");
    front.execute(
        "CREATE TABLE IF NOT EXISTS async_older.otel_logs (Timestamp DateTime64(9), Body String,"
            + " ServiceName LowCardinality(String)) ENGINE = MergeTree ORDER BY Timestamp");
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("async-older")
            .addSink(
                settings(front, "async_older").createSchema(false).asyncInsert(true).buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getLogsBridge().get("a").logRecordBuilder().setBody("x").emit();
      telemetry.flush(Duration.ofSeconds(20));
    }
    assertThat(front.count("SELECT count() FROM async_older.otel_logs WHERE Body = 'x'"))
        .isEqualTo(1);
    assertThat(insertSettings(front, "async_older`.`otel_logs"))
        .isNotEmpty()
        .allSatisfy(insert -> assertThat(insert.path("async_insert").asText()).isEmpty());
  }
}
