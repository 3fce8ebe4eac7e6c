package dev.otelretention.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenTelemetry Java agent with the extension jar and {@code otel.*.exporter=clickhouse}
 * or {@code datadog}: the agent's JDBC and HTTP client spans arrive in the embedded ClickHouse
 * engine and at a fake Datadog Agent and intake that decode every payload.
 */
class AgentNetworkExportersIT {
  private static final String PASSWORD = "agent-secret";

  @TempDir Path dir;

  @Test
  void theAgentsSpansArriveInClickHouse() throws Exception {
    try (LocalClickHouse clickhouse =
            LocalClickHouse.builder(
                    Path.of(
                        "..", "testing-clickhouse", "src", "main", "node", "clickhouse-front.js"))
                .password(PASSWORD)
                .start();
        Client client =
            new Client.Builder()
                .addEndpoint(clickhouse.endpoint())
                .setUsername("default")
                .setPassword(PASSWORD)
                .compressServerResponse(false)
                .build()) {
      AgentRun run =
          AgentRun.run(
              dir,
              Map.of(
                  "otel.service.name", "agent-shop",
                  "otel.traces.exporter", "clickhouse",
                  "otel.metrics.exporter", "clickhouse",
                  "otel.logs.exporter", "clickhouse",
                  "otel.exporter.clickhouse.endpoint", clickhouse.endpoint(),
                  "otel.exporter.clickhouse.password", PASSWORD,
                  "otel.exporter.clickhouse.database", "agent"));
      assertThat(run.output)
          .as("application output")
          .contains("done")
          .doesNotContain("ConfigurationException")
          .doesNotContain("NoClassDefFoundError")
          .doesNotContain("SLF4J: No SLF4J providers");
      assertThat(run.exitCode).isZero();
      List<GenericRecord> rows =
          client.queryAll(
              "SELECT SpanName, SpanKind, SpanAttributes FROM agent.otel_traces WHERE ServiceName = 'agent-shop'");
      List<String> spans =
          rows.stream()
              .map(r -> r.getString("SpanName") + " " + r.getString("SpanKind"))
              .collect(Collectors.toList());
      assertThat(spans)
          .as("spans in otel_traces")
          .anyMatch(s -> s.toLowerCase(Locale.ROOT).contains("orders"));
      assertThat(spans).contains("GET Client");
      System.out.printf(
          "agent %s with the extension, ClickHouse: %d spans in otel_traces%n",
          System.getProperty("agent.version"), rows.size());
    }
  }

  @Test
  void withTheSpoolWhatAnAgentRunCouldNotSendArrivesWithTheNextRun() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "clickhouse");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.exporter.clickhouse.endpoint", "http://127.0.0.1:" + port);
    properties.put("otel.exporter.clickhouse.password", PASSWORD);
    properties.put("otel.exporter.clickhouse.database", "agent_spool");
    properties.put("otel.retention.spool.enabled", "true");
    properties.put("otel.retention.spool.directory", dir.resolve("spool").toString());
    // ClickHouse is down: the spans wait in the spool when the application exits
    properties.put("otel.service.name", "before-outage-end");
    AgentRun before = AgentRun.run(dir, properties);
    assertThat(before.exitCode).isZero();
    assertThat(before.output)
        .contains("done")
        .contains("clickhouse/traces: export failed, retrying: ")
        .contains("Connection refused")
        .doesNotContain("SLF4J");
    // the ClickHouse client's own warnings come through the library's rule (once per message a
    // minute, see ProblemLogSlf4jProviderTest); its endpoint selector's, which only echo the
    // exporter's line about the server, are left out
    assertThat(before.output.lines().filter(line -> line.contains("quarantined for")).count())
        .as("client warnings about the quarantined endpoint")
        .isZero();
    try (LocalClickHouse clickhouse =
            LocalClickHouse.builder(
                    Path.of(
                        "..", "testing-clickhouse", "src", "main", "node", "clickhouse-front.js"))
                .password(PASSWORD)
                .port(port)
                .start();
        Client client =
            new Client.Builder()
                .addEndpoint(clickhouse.endpoint())
                .setUsername("default")
                .setPassword(PASSWORD)
                .compressServerResponse(false)
                .build()) {
      properties.put("otel.service.name", "after-outage-end");
      AgentRun after = AgentRun.run(dir, properties);
      assertThat(after.exitCode).isZero();
      List<GenericRecord> rows =
          client.queryAll(
              "SELECT ServiceName, count() AS spans, uniqExact(SpanId) AS ids"
                  + " FROM agent_spool.otel_traces GROUP BY ServiceName ORDER BY ServiceName");
      List<String> counts =
          rows.stream()
              .map(
                  r ->
                      r.getString("ServiceName")
                          + " "
                          + r.getLong("spans")
                          + " "
                          + r.getLong("ids"))
              .collect(Collectors.toList());
      assertThat(counts)
          .as("spans per run: name, rows, distinct ids")
          .containsExactly("after-outage-end 5 5", "before-outage-end 5 5");
      System.out.printf(
          "agent %s with the extension and the spool, ClickHouse down during the first run:"
              + " service, rows, distinct span ids %s%n",
          System.getProperty("agent.version"), counts);
    }
  }

  @Test
  void theAgentsSpansArriveAtDatadogAndItsOwnRequestsAreNotTraced() throws Exception {
    try (FakeDatadog datadog = new FakeDatadog()) {
      Map<String, String> properties = new HashMap<>();
      properties.put("otel.service.name", "agent-shop");
      properties.put("otel.traces.exporter", "datadog");
      properties.put("otel.metrics.exporter", "datadog");
      properties.put("otel.logs.exporter", "datadog");
      properties.put("otel.exporter.datadog.api-key", FakeDatadog.API_KEY);
      properties.put("otel.exporter.datadog.agent-url", datadog.url());
      properties.put("otel.exporter.datadog.metrics-url", datadog.url());
      properties.put("otel.exporter.datadog.logs-url", datadog.url());
      properties.put("otel.bsp.schedule.delay", "200");
      properties.put("otel.metric.export.interval", "500");
      properties.put("app.linger.ms", "1000");
      properties.put("app.rounds", "3");
      AgentRun run = AgentRun.run(dir, properties);
      assertThat(run.output)
          .as("application output")
          .contains("done")
          .doesNotContain("ConfigurationException")
          .doesNotContain("NoClassDefFoundError");
      assertThat(run.exitCode).isZero();
      assertThat(datadog.violations).isEmpty();
      List<String> resources =
          datadog.spans.stream()
              .map(s -> String.valueOf(s.get("resource")))
              .collect(Collectors.toList());
      assertThat(resources)
          .as("spans at the fake Agent")
          .anyMatch(r -> r.toLowerCase(Locale.ROOT).contains("orders"));
      assertThat(resources).contains("GET");
      // the exporter sent several batches while the application ran: none of its requests became a
      // span
      assertThat(datadog.traceRequests()).isGreaterThan(1);
      assertThat(datadog.spans)
          .as("spans of the exporter's own requests to the Agent and intake")
          .noneMatch(
              span ->
                  String.valueOf(meta(span).get("url.full")).startsWith(datadog.url())
                      || String.valueOf(meta(span).get("otel.scope.name"))
                          .contains("java-http-client"));
      // nor a metric point: the agent's HTTP client metrics carry the server's port as a tag
      String fakePort = datadog.url().substring(datadog.url().lastIndexOf(':') + 1);
      assertThat(datadog.sketches)
          .as(
              "the application's own HTTP call is measured as a distribution, with the server's port")
          .anySatisfy(
              sketch -> {
                assertThat(sketch.metric()).isEqualTo("http.client.request.duration");
                assertThat(sketch.tags()).anyMatch(tag -> tag.startsWith("server.port:"));
              });
      assertThat(datadog.sketches)
          .as("distributions of the exporter's own requests")
          .noneMatch(
              sketch ->
                  sketch.metric().startsWith("http.client")
                      && sketch.tags().contains("server.port:" + fakePort));
      assertThat(datadog.series)
          .as("metric points of the exporter's own requests")
          .noneMatch(
              series ->
                  series.path("metric").asText().startsWith("http.client")
                      && series.path("tags").toString().contains("server.port:" + fakePort));
      System.out.printf(
          "agent %s with the extension, Datadog: %d spans at the Agent%n",
          System.getProperty("agent.version"), datadog.spans.size());
    }
  }

  @Test
  void withoutAnAgentEverySignalGoesToDatadogsOtlpIntake() throws Exception {
    try (FakeDatadog datadog = new FakeDatadog()) {
      Map<String, String> properties = new HashMap<>();
      properties.put("otel.service.name", "agent-shop");
      properties.put("otel.traces.exporter", "datadog");
      properties.put("otel.metrics.exporter", "datadog");
      properties.put("otel.logs.exporter", "datadog");
      properties.put("otel.exporter.datadog.api-key", FakeDatadog.API_KEY);
      // no Agent: the site's OTLP intake, here the fake's
      properties.put("otel.exporter.datadog.otlp-intake-url", datadog.url());
      properties.put("otel.bsp.schedule.delay", "200");
      properties.put("otel.metric.export.interval", "500");
      properties.put("app.linger.ms", "1000");
      properties.put("app.rounds", "3");
      AgentRun run = AgentRun.run(dir, properties);
      assertThat(run.output)
          .as("application output")
          .contains("done")
          .contains("Datadog's OTLP intake")
          .doesNotContain("NoClassDefFoundError");
      assertThat(run.exitCode).isZero();
      assertThat(datadog.violations).as("every metric delta, every request with its key").isEmpty();
      assertThat(datadog.spans).as("nothing at an Agent").isEmpty();
      List<String> spanNames =
          datadog.otlpRequests.stream()
              .filter(request -> request.path().equals("/v1/traces"))
              .flatMap(
                  request ->
                      ((ExportTraceServiceRequest) request.body()).getResourceSpansList().stream())
              .flatMap(resource -> resource.getScopeSpansList().stream())
              .flatMap(scope -> scope.getSpansList().stream())
              .map(span -> span.getName())
              .collect(Collectors.toList());
      assertThat(spanNames).anyMatch(name -> name.toLowerCase(Locale.ROOT).contains("orders"));
      // the shop writes no log records of its own: logs are covered by the exporter's tests
      assertThat(datadog.otlpRequests)
          .extracting(FakeDatadog.OtlpRequest::path)
          .contains("/v1/traces", "/v1/metrics");
      assertThat(datadog.otlpRequests)
          .filteredOn(request -> request.path().equals("/v1/traces"))
          .allSatisfy(
              request -> assertThat(request.headers()).containsEntry("compute_stats", "true"));
      System.out.printf(
          "agent %s with the extension, Datadog without an Agent: %d spans at the OTLP intake%n",
          System.getProperty("agent.version"), spanNames.size());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> meta(Map<String, Object> span) {
    return (Map<String, Object>) span.get("meta");
  }
}
