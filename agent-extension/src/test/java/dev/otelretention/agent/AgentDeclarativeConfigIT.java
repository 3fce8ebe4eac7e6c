package dev.otelretention.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import dev.otelretention.testing.datadog.FakeDatadog;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenTelemetry Java agent configured by a declarative configuration file ({@code
 * otel.config.file}), which calls no autoconfigure customizer: the extension's exporters are named
 * in the file, their settings and the export stage's ({@code retention}: the spool) come from it,
 * and a bad value is named by its key in the file.
 */
class AgentDeclarativeConfigIT {
  @TempDir Path dir;

  private Path file(String yaml) throws Exception {
    Path config = dir.resolve("otel-config.yaml");
    Files.writeString(config, yaml);
    return config;
  }

  @Test
  void theFileExporterIsNamedAndConfiguredInTheFile() throws Exception {
    Path telemetry = dir.resolve("telemetry-yaml");
    Path config =
        file(
            String.join(
                "\n",
                "file_format: \"1.0\"",
                "resource:",
                "  attributes:",
                "    - name: service.name",
                "      value: yaml-shop",
                "tracer_provider:",
                "  processors:",
                "    - batch:",
                "        schedule_delay: 200",
                "        exporter:",
                "          otlp_file_rotating:",
                "            directory: " + telemetry,
                "            max_size: 10MiB",
                ""));
    AgentRun run = AgentRun.run(dir, Map.of("otel.config.file", config.toString()));
    assertThat(run.exitCode).isZero();
    assertThat(run.output)
        .contains("done")
        .contains("exporters made from the declarative configuration file")
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("cannot start");
    String traces = Files.readString(telemetry.resolve("traces.jsonl"));
    assertThat(traces).contains("yaml-shop").contains("\"spanId\"");
  }

  @Test
  void theSpoolConfiguredInTheFileDeliversAnOutageOnceWithTheNextRun() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String yaml =
        String.join(
            "\n",
            "file_format: \"1.0\"",
            "resource:",
            "  attributes:",
            "    - name: service.name",
            "      value: ${RUN_NAME}",
            "tracer_provider:",
            "  processors:",
            "    - batch:",
            "        schedule_delay: 200",
            "        exporter:",
            "          otlp_spooled:",
            "            endpoint: http://127.0.0.1:" + port + "/v1/traces",
            "            protocol: http/protobuf",
            "            retention:",
            "              spool_enabled: true",
            "              spool_directory: " + dir.resolve("spool"),
            "");
    Path config = file(yaml);
    AgentRun before =
        AgentRun.run(
            dir, Map.of("otel.config.file", config.toString()), Map.of("RUN_NAME", "before"));
    assertThat(before.exitCode).isZero();
    assertThat(before.output)
        .contains("done")
        .contains("export failed, retrying: ")
        .contains("cannot reach 127.0.0.1:" + port);
    try (OtlpReceiver receiver = new OtlpReceiver(port)) {
      AgentRun after =
          AgentRun.run(
              dir, Map.of("otel.config.file", config.toString()), Map.of("RUN_NAME", "after"));
      assertThat(after.exitCode).isZero();
      List<String> counts =
          receiver.countsByService().entrySet().stream()
              .map(e -> e.getKey() + " " + e.getValue()[0] + " " + e.getValue()[1])
              .collect(Collectors.toList());
      assertThat(counts)
          .as("spans per run: service, spans received, distinct span ids")
          .containsExactly("after 5 5", "before 5 5");
      System.out.printf(
          "agent %s configured by a file, otlp_spooled with its spool: %s%n",
          System.getProperty("agent.version"), counts);
    }
  }

  @Test
  void aBadValueIsNamedByItsKeyInTheFile() throws Exception {
    Path config =
        file(
            String.join(
                "\n",
                "file_format: \"1.0\"",
                "tracer_provider:",
                "  processors:",
                "    - batch:",
                "        exporter:",
                "          otlp_file_rotating:",
                "            directory: " + dir.resolve("bad"),
                "            max_age: 7",
                ""));
    AgentRun run = AgentRun.run(dir, Map.of("otel.config.file", config.toString()));
    assertThat(run.exitCode).as("a bad exporter never takes the application down").isZero();
    assertThat(run.output)
        .contains("done")
        .contains("otlp_file_rotating.max_age=7: a duration needs its unit");
  }

  @Test
  void clickHouseTablesGetTheRetentionOfTheFile() throws Exception {
    try (LocalClickHouse clickhouse =
            LocalClickHouse.builder(
                    Path.of(
                        "..", "testing-clickhouse", "src", "main", "node", "clickhouse-front.js"))
                .password("yaml-secret")
                .start();
        Client client =
            new Client.Builder()
                .addEndpoint(clickhouse.endpoint())
                .setUsername("default")
                .setPassword("yaml-secret")
                .compressServerResponse(false)
                .build()) {
      Path config =
          file(
              String.join(
                  "\n",
                  "file_format: \"1.0\"",
                  "resource:",
                  "  attributes:",
                  "    - name: service.name",
                  "      value: yaml-clickhouse",
                  "tracer_provider:",
                  "  processors:",
                  "    - batch:",
                  "        schedule_delay: 200",
                  "        exporter:",
                  "          clickhouse:",
                  "            endpoint: " + clickhouse.endpoint(),
                  "            password: ${CLICKHOUSE_SECRET}",
                  "            database: yaml_ch",
                  "            traces_ttl: 3d",
                  ""));
      AgentRun run =
          AgentRun.run(
              dir,
              Map.of("otel.config.file", config.toString()),
              Map.of("CLICKHOUSE_SECRET", "yaml-secret"));
      assertThat(run.exitCode).isZero();
      assertThat(run.output).contains("done").doesNotContain("cannot start");
      assertThat(
              client
                  .queryAll(
                      "SELECT count() AS c FROM yaml_ch.otel_traces"
                          + " WHERE ServiceName = 'yaml-clickhouse'")
                  .get(0)
                  .getLong("c"))
          .isEqualTo(5);
      assertThat(client.queryAll("SHOW CREATE TABLE yaml_ch.otel_traces").get(0).getString(1))
          .contains("TTL toDateTime(Timestamp) + toIntervalDay(3)");
    }
  }

  @Test
  void datadogIsNamedInTheFile() throws Exception {
    try (FakeDatadog datadog = new FakeDatadog()) {
      Path config =
          file(
              String.join(
                  "\n",
                  "file_format: \"1.0\"",
                  "resource:",
                  "  attributes:",
                  "    - name: service.name",
                  "      value: yaml-datadog",
                  "tracer_provider:",
                  "  processors:",
                  "    - batch:",
                  "        schedule_delay: 200",
                  "        exporter:",
                  "          datadog:",
                  "            api_key: " + FakeDatadog.API_KEY,
                  "            agent_url: " + datadog.url(),
                  ""));
      AgentRun run = AgentRun.run(dir, Map.of("otel.config.file", config.toString()));
      assertThat(run.exitCode).isZero();
      assertThat(run.output).contains("done").doesNotContain("cannot start");
      assertThat(datadog.violations).isEmpty();
      assertThat(datadog.spans)
          .hasSize(5)
          .allSatisfy(span -> assertThat(span.get("service")).isEqualTo("yaml-datadog"));
    }
  }
}
