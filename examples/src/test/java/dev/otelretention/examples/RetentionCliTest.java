package dev.otelretention.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.LocalClickHouse;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.sink.EnvironmentConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code otel-retention report} against the embedded ClickHouse engine and a directory of rotating files. */
class RetentionCliTest {
  @TempDir Path dir;

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = RetentionCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {Integer.toString(status), out.toString(), err.toString()};
  }

  @Test
  void reportsClickHouseTablesAndFiles() throws Exception {
    try (LocalClickHouse clickhouse = LocalClickHouse.builder(Path.of("../exporter-clickhouse/src/test/node/clickhouse-front.js"))
        .password("cli").start()) {
      try (TelemetryRetention telemetry = TelemetryRetention.builder().config(EnvironmentConfig.of(Map.of()))
          .addSink(ClickHouseExporters.builder().endpoint(clickhouse.endpoint()).password("cli").database("cli_db").buildSink())
          .addSink(RotatingFileExporters.builder().directory(dir).buildSink())
          .batchTimeout(Duration.ofMillis(20)).closeOnJvmShutdown(false).build()) {
        for (int i = 0; i < 5; i++) {
          telemetry.openTelemetry().getTracer("cli").spanBuilder("span-" + i).startSpan().end();
        }
        assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      }
      String[] json = run("report", "--clickhouse-endpoint", clickhouse.endpoint(), "--clickhouse-password", "cli",
          "--database", "cli_db", "--json");
      assertThat(json[0]).isEqualTo("0");
      JsonNode report = new ObjectMapper().readTree(json[1]);
      JsonNode traces = report.path("tables").get(0);
      assertThat(traces.path("table").asText()).isEqualTo("otel_traces");
      assertThat(traces.path("rows").asLong()).isEqualTo(5);
      assertThat(traces.path("ttlDrift").asBoolean()).isFalse();

      String[] table = run("report", "--clickhouse-endpoint", clickhouse.endpoint(), "--clickhouse-password", "cli",
          "--database", "cli_db", "--files", dir.toString());
      assertThat(table[0]).isEqualTo("0");
      assertThat(table[1]).contains("otel_traces").contains("traces.jsonl").contains("metrics.jsonl");
    }
  }

  @Test
  void saysWhatIsMissing() {
    String[] result = run("report");
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[2]).contains("--clickhouse-endpoint");
    assertThat(run("--help")[1]).contains("report");
  }
}
