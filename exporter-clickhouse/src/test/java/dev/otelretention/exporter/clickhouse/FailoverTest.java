package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import io.opentelemetry.api.trace.Tracer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Several endpoints, replicas without a load balancer: a server that refuses connections or never
 * answers is passed over, the insert reaches the real engine behind the next endpoint with the same
 * deduplication token, and health names the server that failed.
 */
class FailoverTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A server that accepts connections, reads each request's head and never answers. */
  private static final class Unanswering implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0);
    final List<String> requestLines = new CopyOnWriteArrayList<>();
    final List<Socket> held = new CopyOnWriteArrayList<>();

    Unanswering() throws Exception {
      Thread accepting =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket connection = socket.accept();
                    held.add(connection);
                    BufferedReader head =
                        new BufferedReader(
                            new InputStreamReader(
                                connection.getInputStream(), StandardCharsets.ISO_8859_1));
                    requestLines.add(head.readLine());
                  } catch (Exception closed) {
                    return;
                  }
                }
              },
              "unanswering-server");
      accepting.setDaemon(true);
      accepting.start();
    }

    String endpoint() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      for (Socket connection : held) {
        connection.close();
      }
    }
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static TelemetryRetention telemetry(String endpoints, String database) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("failover")
        .addSink(
            ClickHouseExporters.builder()
                .endpoint(endpoints)
                .password(ClickHouseFront.PASSWORD)
                .database(database)
                .cluster("telemetry")
                .buildSink())
        .batchTimeout(Duration.ofMillis(20))
        .requestTimeout(Duration.ofSeconds(2))
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(20))
                .maxInterval(Duration.ofMillis(50))
                .maxElapsedTime(Duration.ofSeconds(2))
                .build())
        .closeOnJvmShutdown(false)
        .build();
  }

  private static SinkHealth traces(TelemetryRetention telemetry) {
    return telemetry.health().sinks().stream()
        .filter(sink -> sink.signal() == Signal.TRACES)
        .findFirst()
        .orElseThrow();
  }

  private static void spans(TelemetryRetention telemetry, int count) {
    Tracer tracer = telemetry.openTelemetry().getTracer("shop");
    for (int i = 0; i < count; i++) {
      tracer.spanBuilder("GET /cart").startSpan().end();
    }
  }

  @Test
  void aServerThatRefusesConnectionsIsPassedOverAndHealthNamesIt() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    String down = "http://127.0.0.1:" + closedPort();
    String database = "failover_refused";
    SinkHealth health;
    try (TelemetryRetention telemetry = telemetry(down + ", " + front.endpoint(), database)) {
      spans(telemetry, 20);
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
      health = traces(telemetry);
    }
    assertThat(front.count("SELECT count() FROM " + database + ".otel_traces")).isEqualTo(20);
    assertThat(health.exported()).isEqualTo(20);
    assertThat(health.dropped()).isZero();
    assertThat(health.healthy()).as("the data flows").isTrue();
    assertThat(health.lastError())
        .contains("ClickHouse server " + down + " is down (")
        .contains("); inserts go to " + front.endpoint());
  }

  @Test
  void anInsertThatTimesOutOnOneServerGoesToTheNextWithTheSameDeduplicationToken()
      throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    front.execute("CREATE DATABASE IF NOT EXISTS failover_unanswered");
    front.execute(
        "CREATE TABLE IF NOT EXISTS failover_unanswered.orders (id UInt32)"
            + " ENGINE = MergeTree ORDER BY id");
    List<String[]> failovers = new CopyOnWriteArrayList<>();
    try (Unanswering hanging = new Unanswering();
        ClickHouseConnection connection =
            new ClickHouseConnection(
                ClickHouseExporters.builder()
                    .endpoint(hanging.endpoint() + "," + front.endpoint())
                    .password(ClickHouseFront.PASSWORD)
                    .cluster("telemetry")
                    .buildSettings()
                    .connection(),
                Duration.ofSeconds(2))) {
      // the insert is the first request: it goes to the first server, which never answers
      connection.insert(
          "failover_unanswered.orders",
          List.of("id"),
          out -> {
            for (int id = 1; id <= 3; id++) {
              out.write(new byte[] {(byte) id, 0, 0, 0});
            }
          },
          "orders-batch-7:0",
          Map.of(),
          (failed, outage, error, next) -> failovers.add(new String[] {failed, next}));
      assertThat(hanging.requestLines)
          .as("the insert the hanging server never answered")
          .singleElement()
          .satisfies(
              line ->
                  assertThat(URLDecoder.decode(line, StandardCharsets.UTF_8))
                      .contains("insert_deduplication_token=orders-batch-7:0"));
      assertThat(failovers)
          .singleElement()
          .satisfies(
              failover ->
                  assertThat(failover).containsExactly(hanging.endpoint(), front.endpoint()));
    }
    List<String> frontTokens = new ArrayList<>();
    for (String line : Files.readAllLines(front.requestLog())) {
      JsonNode request = JSON.readTree(line);
      if (request.get("insert").asBoolean()
          && request.get("statement").asText().contains("failover_unanswered.orders")) {
        frontTokens.add(request.get("settings").path("insert_deduplication_token").asText());
      }
    }
    assertThat(frontTokens).containsExactly("orders-batch-7:0");
    assertThat(front.count("SELECT count() FROM failover_unanswered.orders")).isEqualTo(3);
  }

  @Test
  void aFailureThatWouldFailOnEveryServerIsNotTriedElsewhere() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    String down = "http://127.0.0.1:" + closedPort();
    List<String> failovers = new CopyOnWriteArrayList<>();
    try (ClickHouseConnection connection =
        new ClickHouseConnection(
            ClickHouseExporters.builder()
                .endpoint(front.endpoint() + "," + down)
                .password(ClickHouseFront.PASSWORD)
                .cluster("telemetry")
                .buildSettings()
                .connection(),
            Duration.ofSeconds(2))) {
      assertThatThrownBy(
              () ->
                  connection.insert(
                      "default.no_such_table",
                      List.of("id"),
                      out -> out.write(new byte[] {1, 0, 0, 0}),
                      "token:0",
                      Map.of(),
                      (failed, outage, error, next) -> failovers.add(failed)))
          .isInstanceOfSatisfying(
              ExportException.class,
              error -> {
                assertThat(error.isRetryable()).isFalse();
                assertThat(error.errorType()).isEqualTo("clickhouse_60");
              });
      assertThatThrownBy(
              () ->
                  connection.query(
                      "SELECT * FROM cluster('no_such_cluster', system.one)", Map.of()))
          .isInstanceOfSatisfying(
              ExportException.class,
              error -> {
                assertThat(error.isRetryable())
                    .as("an unknown cluster is unknown everywhere")
                    .isFalse();
                assertThat(error.errorType()).isEqualTo("clickhouse_701");
              });
      // the first server still answers: neither failure marked it down
      assertThat(connection.query("SELECT 1 AS one", Map.of()).get(0).getLong("one")).isOne();
    }
    assertThat(failovers).isEmpty();
  }

  @Test
  void withEveryServerDownTheErrorNamesEachOne() throws Exception {
    String first = "http://127.0.0.1:" + closedPort();
    String second = "http://127.0.0.1:" + closedPort();
    SinkHealth health;
    try (TelemetryRetention telemetry = telemetry(first + "," + second, "failover_none")) {
      spans(telemetry, 1);
      telemetry.flush(Duration.ofSeconds(5));
      health = traces(telemetry);
    }
    assertThat(health.exported()).isZero();
    assertThat(health.lastError())
        .contains("no ClickHouse server answered: " + first + ": ")
        .contains("; " + second + ": ");
  }

  @Test
  void severalEndpointsAreOneClustersReplicas() {
    assertThatThrownBy(
            () ->
                ClickHouseExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("CLICKHOUSE_ENDPOINT", "http://ch-1:8123,http://ch-2:8123")))
                    .buildSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("several ClickHouse endpoints (http://ch-1:8123, http://ch-2:8123)")
        .hasMessageContaining("OTEL_RETENTION_CLICKHOUSE_CLUSTER");
    assertThat(
            ClickHouseExporters.builder()
                .endpoint("http://ch-1:8123, http://ch-2:8123")
                .createSchema(false)
                .buildSettings()
                .displayEndpoint())
        .isEqualTo("http://ch-1:8123, http://ch-2:8123");
    assertThatThrownBy(
            () ->
                ClickHouseExporters.builder()
                    .endpoint("http://a:s3cret-a@ch-1:8123,http://a:s3cret-b@ch-2:8123")
                    .cluster("telemetry")
                    .buildSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("different credentials")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> ClickHouseExporters.builder().endpoint("http://ch-1:8123,"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(
            () ->
                ClickHouseExporters.builder()
                    .endpoint("http://ch-1:8123,http://ch-2:8123, http://ch-1:8123"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("ClickHouse endpoint http://ch-1:8123 is listed twice");
  }
}
