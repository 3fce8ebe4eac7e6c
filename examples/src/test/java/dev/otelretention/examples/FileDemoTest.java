package dev.otelretention.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo really produces all three signals and really rotates. */
class FileDemoTest {
  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty("otel.retention.file.directory");
    System.clearProperty("otel.retention.file.max-size");
  }

  @Test
  void producesAllSignalsAndRotates() throws Exception {
    System.setProperty("otel.retention.file.directory", dir.toString());
    System.setProperty("otel.retention.file.max-size", "64KiB");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    FileDemo.Summary summary =
        FileDemo.run(
            Duration.ofSeconds(2), new PrintStream(captured, true, StandardCharsets.UTF_8));
    String output = captured.toString(StandardCharsets.UTF_8);

    assertThat(summary.requests()).isPositive();
    for (Signal signal : Signal.values()) {
      SinkHealth health =
          summary.health().sinks().stream()
              .filter(s -> s.signal() == signal)
              .findFirst()
              .orElseThrow();
      assertThat(health.exported()).as("%s exported", signal).isPositive();
      assertThat(health.dropped()).as("%s dropped", signal).isZero();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertThat(names).contains("traces.jsonl", "metrics.jsonl", "logs.jsonl");
      assertThat(names).anyMatch(n -> n.matches("traces-.*-size\\.jsonl"));
    }
    assertThat(output)
        .contains("files in " + dir.toAbsolutePath())
        .contains("OTLP/JSON lines readable");
    // the shop's Logback lines are in the logs, inside their request's span
    List<LogRecordData> logs = new ArrayList<>();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("logs.jsonl"))) {
      reader.forEachRemaining(record -> logs.addAll(OtlpJsonDecoder.decode(record.json()).logs()));
    }
    assertThat(logs)
        .anySatisfy(
            log -> {
              assertThat(log.getInstrumentationScopeInfo().getName()).isEqualTo("shop.requests");
              assertThat(log.getBodyValue().asString()).startsWith("served ");
              assertThat(log.getSpanContext().isValid()).isTrue();
              assertThat(log.getAttributes().get(AttributeKey.stringKey("http.route")))
                  .isNotEmpty();
            });
    String metrics = Files.readString(dir.resolve("metrics.jsonl"));
    assertThat(metrics)
        .contains("\"db.client.connection.count\"")
        .contains("\"shop-db\"")
        .contains("\"db.client.connection.use_time\"");
  }
}
