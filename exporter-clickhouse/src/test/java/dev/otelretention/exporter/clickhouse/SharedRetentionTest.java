package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager.MigrationReport;
import dev.otelretention.testing.LogCapture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A table every instance of a fleet writes keeps its retention when one instance is configured with
 * a shorter one: the instance warns, the rows stay, and its sweep follows the table's TTL. The
 * table holds 48 hours of spans, ten an hour, under a 30-day TTL, as in the report that found it.
 */
class SharedRetentionTest {
  private static final String DATABASE = "shared_retention";

  private static Map<String, String> instance(String... settings) throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("CLICKHOUSE_ENDPOINT", ClickHouseFront.get().endpoint());
    environment.put("CLICKHOUSE_PASSWORD", ClickHouseFront.PASSWORD);
    environment.put("CLICKHOUSE_DATABASE", DATABASE);
    for (int i = 0; i < settings.length; i += 2) {
      environment.put(settings[i], settings[i + 1]);
    }
    return environment;
  }

  private static MigrationReport start(Map<String, String> environment) throws Exception {
    ClickHouseSettings built =
        ClickHouseExporters.builder().configure(EnvironmentConfig.of(environment)).buildSettings();
    try (ClickHouseConnection connection =
        new ClickHouseConnection(built.connection(), Duration.ofSeconds(60))) {
      return new SchemaManager(connection, built.schema(), true).ensure();
    }
  }

  private static void dropDatabase(ClickHouseFront front) throws Exception {
    front.execute("DROP DATABASE IF EXISTS " + DATABASE + " SYNC");
  }

  private static long spans(ClickHouseFront front) {
    return front.count("SELECT count() FROM " + DATABASE + ".otel_traces");
  }

  private static String tableTtl(ClickHouseFront front) {
    return front
        .query(
            "SELECT create_table_query FROM system.tables WHERE database = '"
                + DATABASE
                + "' AND name = 'otel_traces'")
        .get(0)
        .getString("create_table_query");
  }

  /** A fresh table with a 30-day TTL and 480 spans over the last 48 hours. */
  private static ClickHouseFront tableWithTwoDays() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    dropDatabase(front);
    start(instance("OTEL_RETENTION_CLICKHOUSE_TRACES_TTL", "30d"));
    front.execute(
        "INSERT INTO "
            + DATABASE
            + ".otel_traces (Timestamp, TraceId, SpanId, SpanName, ServiceName)"
            + " SELECT now64(9) - toIntervalSecond(number * 360 + 60), hex(number), hex(number),"
            + " 'op', 'svc' FROM numbers(480)");
    assertThat(spans(front)).isEqualTo(480);
    return front;
  }

  @Test
  void aBareNumberOfSecondsIsRefusedBeforeAnythingIsTouched() throws Exception {
    ClickHouseFront front = tableWithTwoDays();
    assertThatThrownBy(() -> start(instance("OTEL_RETENTION_CLICKHOUSE_TRACES_TTL", "86400")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("OTEL_RETENTION_CLICKHOUSE_TRACES_TTL=86400: ")
        .hasMessageContaining("needs its unit")
        .hasMessageContaining("86400s");
    assertThat(spans(front)).isEqualTo(480);
    assertThat(tableTtl(front)).contains("toIntervalDay(30)");
  }

  @Test
  void oneInstanceWithAShorterTtlLeavesTheTableAndItsRowsAlone() throws Exception {
    ClickHouseFront front = tableWithTwoDays();
    MigrationReport report;
    try (LogCapture warnings =
        LogCapture.of(
            "dev.otelretention", Level.WARNING, r -> Level.WARNING.equals(r.getLevel()))) {
      report = start(instance("OTEL_RETENTION_CLICKHOUSE_TRACES_TTL", "1d"));
      List<String> messages = warnings.messages();
      assertThat(messages)
          .filteredOn(m -> m.contains("otel_traces`"))
          .singleElement()
          .satisfies(
              m ->
                  assertThat(m)
                      .contains("keeps its TTL (30 days)")
                      .contains("OTEL_RETENTION_CLICKHOUSE_TRACES_TTL=1d asks for 1 day")
                      .contains("otel-retention retention --tables otel_traces --ttl 1d")
                      .contains("OTEL_RETENTION_CLICKHOUSE_ALLOW_TTL_SHORTENING=true"));
    }
    assertThat(report.applied()).noneMatch(line -> line.contains("otel_traces`: TTL"));
    assertThat(report.applied()).noneMatch(line -> line.contains("dropped partition"));
    assertThat(tableTtl(front)).contains("toIntervalDay(30)");
    assertThat(spans(front)).isEqualTo(480);

    // the same instance's later sweeps follow the table, not its own setting
    ClickHouseSettings built =
        ClickHouseExporters.builder()
            .configure(EnvironmentConfig.of(instance("OTEL_RETENTION_CLICKHOUSE_TRACES_TTL", "1d")))
            .buildSettings();
    try (ClickHouseConnection connection =
        new ClickHouseConnection(built.connection(), Duration.ofSeconds(60))) {
      SchemaManager manager = new SchemaManager(connection, built.schema(), true);
      manager.ensure();
      assertThat(manager.sweepNow().applied()).isEmpty();
    }
    front.execute("OPTIMIZE TABLE " + DATABASE + ".otel_traces FINAL");
    assertThat(spans(front)).isEqualTo(480);
  }

  @Test
  void shorteningWithConsentDeletesWhatIsPastTheNewTtl() throws Exception {
    ClickHouseFront front = tableWithTwoDays();
    MigrationReport report =
        start(
            instance(
                "OTEL_RETENTION_CLICKHOUSE_TRACES_TTL",
                "1d",
                "OTEL_RETENTION_CLICKHOUSE_ALLOW_TTL_SHORTENING",
                "true"));
    assertThat(report.applied())
        .anySatisfy(line -> assertThat(line).endsWith("toDateTime(Timestamp) + toIntervalDay(1)"));
    assertThat(tableTtl(front)).contains("toIntervalDay(1)");
    front.execute("OPTIMIZE TABLE " + DATABASE + ".otel_traces FINAL");
    // the table's parts keep the expiry they were written with until their partition expires
    // whole; what the sweep dropped is whole days, never a row younger than a day
    assertThat(
            front.count(
                "SELECT count() FROM "
                    + DATABASE
                    + ".otel_traces WHERE Timestamp > now() - toIntervalDay(1)"))
        .isBetween(230L, 240L);
    assertThat(spans(front)).as("a day's partition past the new TTL is gone").isLessThan(480);
  }

  @Test
  void aLongerTtlIsAppliedWithoutConsent() throws Exception {
    ClickHouseFront front = tableWithTwoDays();
    MigrationReport report = start(instance("OTEL_RETENTION_CLICKHOUSE_TRACES_TTL", "90d"));
    assertThat(report.applied())
        .anySatisfy(line -> assertThat(line).endsWith("toDateTime(Timestamp) + toIntervalDay(90)"));
    assertThat(tableTtl(front)).contains("toIntervalDay(90)");
    assertThat(spans(front)).isEqualTo(480);
  }

  @Test
  void keepingForeverIsLengtheningAndAddingATtlIsShortening() throws Exception {
    ClickHouseFront front = tableWithTwoDays();
    start(instance("OTEL_RETENTION_CLICKHOUSE_TRACES_TTL", "0"));
    assertThat(tableTtl(front)).doesNotContain("TTL");
    MigrationReport report = start(instance("OTEL_RETENTION_CLICKHOUSE_TRACES_TTL", "7d"));
    assertThat(report.unreconciled())
        .anySatisfy(line -> assertThat(line).contains("keeps its TTL (forever)"));
    assertThat(tableTtl(front)).doesNotContain("TTL");
    assertThat(spans(front)).isEqualTo(480);
  }
}
