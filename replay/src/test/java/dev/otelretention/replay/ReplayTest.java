package dev.otelretention.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.ClickHouseFront;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.TableChecksum;
import dev.otelretention.exporter.file.Compression;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.file.RotationPolicy;
import dev.otelretention.otlpjson.DecodedTelemetry;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry written to rotating files and, at the same time, straight to ClickHouse; the files
 * replayed into a second database must give the same rows, once, however often the replay runs.
 */
class ReplayTest {
  private static ClickHouseFront front;
  @TempDir Path dir;

  @BeforeAll
  static void startFront() throws Exception {
    front = ClickHouseFront.get();
  }

  private static ClickHouseExporters.Builder exporters(String database) {
    return ClickHouseExporters.builder()
        .endpoint(front.endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(database);
  }

  /**
   * Writes a session of spans and logs to the files (small, rotated, compressed) and to {@code
   * directDatabase}.
   */
  private void session(String directDatabase, String tag, int requests) {
    RotationPolicy rotation =
        RotationPolicy.builder()
            .maxFileSize(16 * 1024)
            .maxBackups(100)
            .compression(Compression.GZIP)
            .build();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("replayed")
            .addSink(RotatingFileExporters.builder().directory(dir).rotation(rotation).buildSink())
            .addSink(exporters(directDatabase).buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .maxBatchSize(20)
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("shop", "1.0");
      Logger logger = telemetry.openTelemetry().getLogsBridge().get("shop");
      for (int i = 0; i < requests; i++) {
        Span span =
            tracer
                .spanBuilder(tag + " GET /item/" + i)
                .setAttribute("item", i)
                .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", tag))
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
          tracer.spanBuilder("db query").startSpan().end();
          logger
              .logRecordBuilder()
              .setSeverity(Severity.INFO)
              .setBody(tag + " served " + i)
              .setAllAttributes(Attributes.of(AttributeKey.longKey("i"), (long) i))
              .emit();
        }
        span.addEvent("done");
        span.end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
    }
    awaitCompressedBackups();
  }

  /** Waits until the file exporter has compressed every rotated backup. */
  private void awaitCompressedBackups() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files
            .map(f -> f.getFileName().toString())
            .noneMatch(n -> n.matches(".*-size\\.jsonl"))) {
          return;
        }
        Thread.sleep(20);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("backups were not compressed in time");
  }

  private List<TableChecksum> checksums(String database) throws Exception {
    try (ClickHouseOperations operations = ClickHouseOperations.connect(exporters(database))) {
      return operations
          .inspection()
          .checksums(List.of("otel_traces", "otel_traces_trace_id_ts", "otel_logs"), null);
    }
  }

  private long metricPointsInFiles() throws Exception {
    long points = 0;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("metrics.jsonl"))) {
      while (reader.hasNext()) {
        DecodedTelemetry telemetry = OtlpJsonDecoder.decode(reader.next().json());
        points += telemetry.items();
      }
    }
    return points;
  }

  private static long metricRows(String database) {
    long rows = 0;
    for (String table : List.of("gauge", "sum", "histogram", "exponential_histogram", "summary")) {
      rows += front.count("SELECT count() FROM " + database + ".otel_metrics_" + table);
    }
    return rows;
  }

  @Test
  void filesReplayIntoTheJsonAttributeLayoutWithTypedValues() throws Exception {
    session("replay_json_direct", "json", 50);
    try (ClickHouseReplay replay =
        ClickHouseReplay.builder(exporters("replay_json").jsonAttributes(true)).build()) {
      ReplayResult result = replay.replayDirectory(dir);
      assertThat(result.files()).allMatch(f -> f.status() == ReplayResult.Status.LOADED);
    }
    assertThat(front.count("SELECT count() FROM replay_json.otel_traces")).isEqualTo(100);
    assertThat(
            front.count(
                "SELECT count() FROM replay_json.otel_traces WHERE SpanAttributes.item = 7"
                    + " AND dynamicType(SpanAttributes.item) = 'Int64'"))
        .isEqualTo(1);
    assertThat(front.count("SELECT count() FROM replay_json.otel_logs WHERE LogAttributes.i = 7"))
        .isEqualTo(1);
  }

  @Test
  void onAClusterTheLedgerIsReadThroughADistributedTable() throws Exception {
    session("replay_cluster_direct", "cluster", 120);
    ClickHouseExporters.Builder cluster =
        exporters("replay_cluster").cluster(ClickHouseFront.CLUSTER);
    try (ClickHouseReplay replay = ClickHouseReplay.builder(cluster).batchItems(100).build()) {
      ReplayResult first = replay.replayDirectory(dir);
      assertThat(first.files()).allMatch(f -> f.status() == ReplayResult.Status.LOADED);
    }
    try (ClickHouseReplay replay = ClickHouseReplay.builder(cluster).build()) {
      ReplayResult again = replay.replayDirectory(dir);
      assertThat(again.files()).allMatch(f -> f.status() == ReplayResult.Status.SKIPPED);
    }
    assertThat(
            front.query("SHOW CREATE TABLE replay_cluster.otel_replay_ledger").get(0).getString(1))
        .as("every shard keeps its own replicas: the ledger is read through all of them")
        .contains("ENGINE = Distributed('telemetry', 'replay_cluster', 'otel_replay_ledger_local'");
    assertThat(front.count("SELECT count() FROM replay_cluster.otel_replay_ledger_local"))
        .isPositive();
    assertThat(front.count("SELECT count() FROM replay_cluster.otel_traces"))
        .as("loaded once")
        .isEqualTo(240);
    assertThat(front.count("SELECT count() FROM replay_cluster.otel_logs")).isEqualTo(120);
  }

  @Test
  void replayedFilesGiveTheRowsOfADirectExportOnce() throws Exception {
    session("replay_direct", "first", 300);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".gz")).count())
          .as("rotated, compressed backups")
          .isGreaterThan(3);
    }
    List<ReplayProgress> progress = new ArrayList<>();
    ReplayResult first;
    try (ClickHouseReplay replay =
        ClickHouseReplay.builder(exporters("replay_loaded"))
            .batchItems(500)
            .listener(progress::add)
            .build()) {
      first = replay.replayDirectory(dir);
    }
    assertThat(first.files()).allMatch(f -> f.status() == ReplayResult.Status.LOADED);
    assertThat(first.files()).allMatch(f -> f.skippedLines().isEmpty());
    List<TableChecksum> direct = checksums("replay_direct");
    assertThat(direct.get(0).rows()).isEqualTo(600);
    assertThat(checksums("replay_loaded")).isEqualTo(direct);
    assertThat(metricRows("replay_loaded")).isEqualTo(metricPointsInFiles()).isPositive();
    assertThat(progress.get(progress.size() - 1).fraction()).isEqualTo(1.0);
    assertThat(progress.get(progress.size() - 1).items()).isEqualTo(first.items());
    assertThat(progress).extracting(ReplayProgress::bytesRead).isSorted();

    // again: everything is in the ledger
    try (ClickHouseReplay replay = ClickHouseReplay.builder(exporters("replay_loaded")).build()) {
      ReplayResult again = replay.replayDirectory(dir);
      assertThat(again.files()).allMatch(f -> f.status() == ReplayResult.Status.SKIPPED);
      assertThat(again.items()).isZero();
    }
    assertThat(checksums("replay_loaded")).isEqualTo(direct);

    // a second session appends to the active files and rotates some of them: only what is new is
    // loaded
    session("replay_direct", "second", 150);
    try (ClickHouseReplay replay = ClickHouseReplay.builder(exporters("replay_loaded")).build()) {
      List<Path> traces = OtlpJsonFiles.files(dir.resolve("traces.jsonl"));
      ReplayResult planned = replay.dryRun(traces);
      assertThat(planned.files())
          .extracting(ReplayResult.FileOutcome::status)
          .contains(ReplayResult.Status.SKIPPED, ReplayResult.Status.PENDING)
          .doesNotContain(ReplayResult.Status.LOADED, ReplayResult.Status.RESUMED);
      assertThat(front.count("SELECT count() FROM replay_loaded.otel_traces"))
          .as("a dry run loads nothing")
          .isEqualTo(600);
      ReplayResult second = replay.replayDirectory(dir);
      assertThat(second.files())
          .extracting(ReplayResult.FileOutcome::status)
          .contains(ReplayResult.Status.SKIPPED);
      assertThat(second.files())
          .anyMatch(
              f ->
                  (f.status() == ReplayResult.Status.RESUMED && f.alreadyLoaded() > 0)
                      || f.status() == ReplayResult.Status.LOADED);
    }
    List<TableChecksum> directAfter = checksums("replay_direct");
    assertThat(directAfter.get(0).rows()).isEqualTo(900);
    assertThat(checksums("replay_loaded")).isEqualTo(directAfter);
    assertThat(metricRows("replay_loaded")).isEqualTo(metricPointsInFiles());
  }

  @Test
  void anInterruptedReplayPicksUpWhereItStopped() throws Exception {
    session("replay_direct_2", "only", 200);
    int[] batches = {0};
    assertThatThrownBy(
            () -> {
              // a batch per line, however many items the exporter happened to put in a line:
              // the replay stops after the first acknowledged line
              try (ClickHouseReplay replay =
                  ClickHouseReplay.builder(exporters("replay_interrupted"))
                      .batchItems(1)
                      .listener(
                          p -> {
                            if (++batches[0] == 1) {
                              throw new IllegalStateException("operator pressed ctrl-c");
                            }
                          })
                      .build()) {
                replay.replayDirectory(dir);
              }
            })
        .hasMessage("operator pressed ctrl-c");
    long partial = front.count("SELECT count() FROM replay_interrupted.otel_traces");
    assertThat(partial).isBetween(1L, 399L);
    try (ClickHouseReplay replay =
        ClickHouseReplay.builder(exporters("replay_interrupted")).build()) {
      ReplayResult rest = replay.replayDirectory(dir);
      assertThat(rest.files().get(0).status()).isEqualTo(ReplayResult.Status.RESUMED);
      assertThat(rest.files().get(0).alreadyLoaded()).isEqualTo(1);
    }
    assertThat(checksums("replay_interrupted")).isEqualTo(checksums("replay_direct_2"));
  }

  @Test
  void linesThatAreNotOtlpAreReportedAndTheRestLoads() throws Exception {
    Path file = dir.resolve("collector-traces.json");
    String good =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
            + "\"spanId\":\"b7ad6b7169203331\",\"name\":\"from the collector\",\"kind\":2,"
            + "\"startTimeUnixNano\":\""
            + System.currentTimeMillis() * 1_000_000L
            + "\",\"endTimeUnixNano\":\""
            + (System.currentTimeMillis() * 1_000_000L + 5)
            + "\"}]}]}]}";
    Files.writeString(
        file,
        good
            + "\n{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\"}]}]}]}\nnot json\n"
            + good.replace("b7ad6b7169203331", "b7ad6b7169203332")
            + "\n{\"partial\":");
    try (ClickHouseReplay replay =
        ClickHouseReplay.builder(exporters("replay_collector"))
            .retryPolicy(
                RetryPolicy.builder()
                    .initialInterval(Duration.ofMillis(100))
                    .maxElapsedTime(Duration.ofSeconds(5))
                    .build())
            .build()) {
      ReplayResult result = replay.replay(List.of(file));
      ReplayResult.FileOutcome outcome = result.files().get(0);
      assertThat(outcome.items()).isEqualTo(2);
      assertThat(outcome.skippedLines()).hasSize(3);
      assertThat(outcome.skippedLines())
          .anyMatch(
              l ->
                  l.endsWith(
                      ":2: resourceSpans[0].scopeSpans[0].spans[0].traceId:"
                          + " expected 32 hex digits, got 'zz'"));
      assertThat(outcome.skippedLines()).anyMatch(l -> l.contains(":3: malformed JSON"));
      assertThat(outcome.skippedLines()).anyMatch(l -> l.contains(":5: partial last line"));
      assertThatThrownBy(() -> replay.replay(List.of(dir.resolve("missing.json"))))
          .hasMessageStartingWith("not a file");
    }
    assertThat(
            front.query(
                "SELECT SpanName, SpanKind FROM replay_collector.otel_traces ORDER BY SpanId"))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.getString("SpanKind")).isEqualTo("Server"));
  }
}
