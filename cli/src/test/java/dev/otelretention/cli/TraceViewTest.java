package dev.otelretention.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.file.Compression;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.file.RotationPolicy;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code traces} and {@code trace} over rotated, compressed files and over ClickHouse, written at
 * the same time by the same application: both stores must give the same lists and the same
 * waterfalls, and those must be the traces the application made.
 */
class TraceViewTest {
  private static final String PASSWORD = "traces";
  private static final int TRACES = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static LocalClickHouse clickhouse;
  private static final List<String> TRACE_IDS = new ArrayList<>();

  @BeforeAll
  static void writeTracesToFilesAndClickHouse() throws Exception {
    clickhouse =
        LocalClickHouse.builder(Path.of("../testing-clickhouse/src/main/node/clickhouse-front.js"))
            .password(PASSWORD)
            .start();
    RotationPolicy rotation =
        RotationPolicy.builder()
            .maxFileSize(8 * 1024)
            .maxBackups(200)
            .compression(Compression.GZIP)
            .build();
    try (TelemetryRetention shop = telemetry("shop", rotation, "shop");
        TelemetryRetention payments = telemetry("payments", rotation, "payments")) {
      Tracer tracer = shop.openTelemetry().getTracer("shop");
      Tracer paymentsTracer = payments.openTelemetry().getTracer("payments");
      Logger logger = shop.openTelemetry().getLogsBridge().get("shop");
      Logger paymentsLogger = payments.openTelemetry().getLogsBridge().get("payments");
      Instant base = Instant.now().minus(Duration.ofMinutes(10));
      for (int i = 0; i < TRACES; i++) {
        Instant start = base.plusSeconds(i);
        Span root =
            tracer
                .spanBuilder("GET /orders/" + i)
                .setStartTimestamp(start)
                .setAttribute("http.request.method", "GET")
                .setAttribute("http.route", "/orders/{id}")
                .setAttribute("http.response.status_code", i % 5 == 0 ? 502L : 200L)
                .startSpan();
        TRACE_IDS.add(root.getSpanContext().getTraceId());
        Span query =
            tracer
                .spanBuilder("SELECT orders")
                .setParent(Context.current().with(root))
                .setStartTimestamp(start.plusMillis(1))
                .setAttribute("db.system", "postgresql")
                .startSpan();
        try (Scope ignored = query.makeCurrent()) {
          logger
              .logRecordBuilder()
              .setTimestamp(start.plusMillis(2))
              .setSeverity(Severity.INFO)
              .setSeverityText("INFO")
              .setBody("querying orders of " + i)
              .emit();
        }
        query.end(start.plusMillis(4));
        if (i % 3 == 0) {
          Span charge =
              paymentsTracer
                  .spanBuilder("charge card")
                  .setParent(Context.current().with(root))
                  .setStartTimestamp(start.plusMillis(5))
                  .startSpan();
          if (i % 5 == 0) {
            charge.setStatus(StatusCode.ERROR, "card declined");
            try (Scope ignored = charge.makeCurrent()) {
              paymentsLogger
                  .logRecordBuilder()
                  .setTimestamp(start.plusMillis(6))
                  .setSeverity(Severity.ERROR)
                  .setSeverityText("ERROR")
                  .setBody("issuer said no")
                  .emit();
            }
          }
          charge.end(start.plusMillis(8));
        }
        root.end(start.plusMillis(10 + i));
      }
      assertThat(shop.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(payments.flush(Duration.ofSeconds(30))).isTrue();
    }
    // backups are compressed in the background
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (compressedBackups() == 0 || uncompressedBackups() > 0) {
      assertThat(System.nanoTime()).as("rotated, compressed backups to read").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static long compressedBackups() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("shop"))) {
      return files.filter(file -> file.toString().endsWith(".gz")).count();
    }
  }

  private static long uncompressedBackups() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("shop"))) {
      return files.filter(file -> file.toString().matches(".*-size\\.jsonl")).count();
    }
  }

  private static TelemetryRetention telemetry(
      String service, RotationPolicy rotation, String fileSubdirectory) throws Exception {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName(service)
        .addSink(
            ClickHouseExporters.builder()
                .endpoint(clickhouse.endpoint())
                .password(PASSWORD)
                .database("traces")
                .buildSink())
        .addSink(
            RotatingFileExporters.builder()
                .directory(Files.createDirectories(dir.resolve(fileSubdirectory)))
                .rotation(rotation)
                .buildSink())
        .batchTimeout(Duration.ofMillis(20))
        .maxBatchSize(8)
        .closeOnJvmShutdown(false)
        .build();
  }

  @AfterAll
  static void stop() {
    clickhouse.close();
  }

  private static String[] run(String... args) {
    return CliRuns.run(args);
  }

  private static String[] onClickHouse(String... args) {
    return CliRuns.runOn(clickhouse.endpoint(), PASSWORD, "traces", args);
  }

  private static List<JsonNode> jsonLines(String text) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  @Test
  void theFilesAndClickHouseListTheSameTracesTheApplicationMade() throws Exception {
    // one application writes its files into shop/, the other into payments/: read shop's
    String[] files =
        run("traces", "--files", dir.resolve("shop").toString(), "--limit", "100", "--json");
    assertThat(files[0]).as(files[2]).isEqualTo("0");
    List<JsonNode> fromFiles = jsonLines(files[1]);
    assertThat(fromFiles)
        .extracting(node -> node.get("trace").get("traceId").asText())
        .as("most recent first")
        .containsExactlyElementsOf(reversed(TRACE_IDS));
    JsonNode last = fromFiles.get(0).get("trace");
    assertThat(last.get("rootSpan").asText()).isEqualTo("GET /orders/29");
    assertThat(last.get("service").asText()).isEqualTo("shop");
    assertThat(last.get("durationNanos").asLong()).isEqualTo(39_000_000L);
    assertThat(last.get("spans").asLong()).as("shop's files hold shop's spans").isEqualTo(2);

    String[] fromServer = onClickHouse("traces", "--limit", "100", "--json");
    assertThat(fromServer[0]).as(fromServer[2]).isEqualTo("0");
    List<JsonNode> server = jsonLines(fromServer[1]);
    assertThat(server).hasSize(TRACES);
    JsonNode first = server.get(TRACES - 1).get("trace");
    assertThat(first.get("traceId").asText()).isEqualTo(TRACE_IDS.get(0));
    assertThat(first.get("spans").asLong()).as("both services' spans").isEqualTo(3);
    assertThat(first.get("errors").asLong()).isEqualTo(1);
    for (int i = 0; i < TRACES; i++) {
      JsonNode fileTrace = fromFiles.get(i).get("trace");
      JsonNode serverTrace = server.get(i).get("trace");
      assertThat(serverTrace.get("traceId")).isEqualTo(fileTrace.get("traceId"));
      assertThat(serverTrace.get("start")).isEqualTo(fileTrace.get("start"));
      assertThat(serverTrace.get("rootSpan")).isEqualTo(fileTrace.get("rootSpan"));
      assertThat(serverTrace.get("durationNanos")).isEqualTo(fileTrace.get("durationNanos"));
    }
  }

  @Test
  void filtersAgreeBetweenTheStores() throws Exception {
    String[][] filters = {
      {"--errors"}, {"--service", "payments"}, {"--min-duration", "30ms"}, {"--limit", "4"},
    };
    // errors: traces 0 and 15 (a card charge, every third trace, declined every fifth); payments:
    // every third trace; 30 ms and more: the roots of traces 20 to 29
    int[] expected = {2, 10, 10, 4};
    for (int f = 0; f < filters.length; f++) {
      List<String> args = new ArrayList<>(List.of("traces", "--json"));
      args.addAll(Arrays.asList(filters[f]));
      String[] server = onClickHouse(args.toArray(String[]::new));
      assertThat(jsonLines(server[1])).as(String.join(" ", filters[f])).hasSize(expected[f]);
    }
    String[] paymentsFiles =
        run("traces", "--files", dir.resolve("payments").toString(), "--errors", "--json");
    assertThat(jsonLines(paymentsFiles[1]))
        .as("errors only: the traces with a declined card")
        .extracting(node -> node.get("trace").get("traceId").asText())
        .containsExactly(TRACE_IDS.get(15), TRACE_IDS.get(0));
    String[] future =
        run("traces", "--files", dir.resolve("shop").toString(), "--since", "2099-01-01T00:00:00Z");
    assertThat(future[1].strip().split("\n")).as("the heading only").hasSize(1);
  }

  @Test
  void aTraceIsTheSameWaterfallFromBothStores() throws Exception {
    String traceId = TRACE_IDS.get(15);
    String[] server = onClickHouse("trace", traceId);
    assertThat(server[0]).as(server[2]).isEqualTo("0");
    List<String> lines = List.of(server[1].split("\n"));
    assertThat(lines.get(0)).contains("shop  GET /orders/15  25.0 ms  3 spans  1 error");
    assertThat(lines.get(1))
        .startsWith("  GET /orders/15")
        .contains("|████████████████████████████████████████|")
        .contains("http.request.method=GET http.route=/orders/{id} http.response.status_code=502");
    assertThat(lines.get(2)).startsWith("    SELECT orders").contains("db.system=postgresql");
    assertThat(lines.get(3))
        .matches("      · \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO querying orders of 15");
    assertThat(lines.get(4))
        .startsWith("  ! charge card")
        .contains("payments")
        .contains("ERROR card declined");
    assertThat(lines.get(5)).endsWith("ERROR issuer said no");

    String[] shopFiles = run("trace", "--files", dir.resolve("shop").toString(), traceId);
    assertThat(shopFiles[1]).contains("GET /orders/15").doesNotContain("charge card");
    // a trace of shop alone: its files hold all of it, and draw the same waterfall
    String shopOnly = TRACE_IDS.get(1);
    String[] fromFiles = run("trace", "--files", dir.resolve("shop").toString(), shopOnly);
    String[] fromServer = onClickHouse("trace", shopOnly);
    assertThat(fromFiles[0]).as(fromFiles[2]).isEqualTo("0");
    assertThat(fromFiles[1]).contains("SELECT orders").isEqualTo(fromServer[1]);
    String[] json = onClickHouse("trace", traceId, "--json");
    JsonNode trace = JSON.readTree(json[1]);
    assertThat(trace.get("spans")).hasSize(3);
    assertThat(trace.get("logs")).hasSize(2);
  }

  @Test
  void unknownAndMalformedTraceIdsAreTold() {
    String[] missing =
        run("trace", "--files", dir.resolve("shop").toString(), "0".repeat(31) + "1");
    assertThat(missing[0]).isEqualTo("1");
    assertThat(missing[2]).contains("is not in the files in");
    String[] malformed = onClickHouse("trace", "not-a-trace-id");
    assertThat(malformed[0]).isEqualTo("2");
    assertThat(malformed[2]).contains("32 hex digits");
    String[] nothing = run("traces");
    assertThat(nothing[0]).isEqualTo("2");
    assertThat(nothing[2]).contains("give --files DIRECTORY or --clickhouse-endpoint");
    String[] badDuration = run("traces", "--files", dir.toString(), "--min-duration", "soon");
    assertThat(badDuration[0]).isEqualTo("2");
    assertThat(badDuration[2]).contains("is not a duration");
  }

  private static List<String> reversed(List<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    java.util.Collections.reverse(copy);
    return copy;
  }
}
