package dev.otelretention.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.OtlpJsonRecord;
import dev.otelretention.otlpjson.DecodedTelemetry;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenTelemetry Java agent with the extension jar and {@code
 * otel.*.exporter=otlp-file-rotating}: the agent's own JDBC and HTTP client spans arrive in the
 * rotating files.
 */
class AgentFileExporterIT {
  @TempDir Path dir;

  @Test
  void theAgentsJdbcAndHttpSpansArriveInTheFiles() throws Exception {
    Path files = dir.resolve("telemetry");
    // no metric export before shutdown: the last collection, which follows the last span export,
    // must count every span by itself
    AgentRun run =
        AgentRun.run(
            dir,
            Map.of(
                "otel.service.name", "agent-shop",
                "otel.traces.exporter", "otlp-file-rotating",
                "otel.metrics.exporter", "otlp-file-rotating",
                "otel.logs.exporter", "otlp-file-rotating",
                "otel.exporter.otlp-file-rotating.directory", files.toString(),
                "otel.exporter.otlp-file-rotating.flush-interval", "0",
                "otel.retention.capacity.min-free-ratio", "0.0001",
                "otel.bsp.schedule.delay", "600000",
                "otel.metric.export.interval", "600000"));
    assertThat(run.output)
        .as("application output")
        .contains("done")
        .doesNotContain("ConfigurationException")
        .doesNotContain("NoClassDefFoundError");
    assertThat(run.exitCode).isZero();

    List<SpanData> spans = new ArrayList<>();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(files.resolve("traces.jsonl"))) {
      for (OtlpJsonRecord record : reader.readAll()) {
        DecodedTelemetry decoded = OtlpJsonDecoder.decode(record.json());
        spans.addAll(decoded.spans());
      }
    }
    assertThat(spans).as("spans in traces.jsonl").isNotEmpty();
    assertThat(spans)
        .allSatisfy(
            span ->
                assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name")))
                    .isEqualTo("agent-shop"));
    assertThat(spans)
        .as("the agent's JDBC spans")
        .anySatisfy(
            span -> {
              assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
              assertThat(span.getAttributes().asMap().toString()).contains("h2");
              assertThat(span.getName()).containsIgnoringCase("orders");
            });
    assertThat(spans)
        .as("the agent's HTTP client span")
        .anySatisfy(
            span -> {
              assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
              assertThat(span.getName()).isEqualTo("GET");
              assertThat(
                      span.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                  .isEqualTo(200L);
            });

    // the library's self-monitoring and capacity metrics join the agent's, through its meter
    // provider
    List<MetricData> metrics = new ArrayList<>();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(files.resolve("metrics.jsonl"))) {
      for (OtlpJsonRecord record : reader.readAll()) {
        metrics.addAll(OtlpJsonDecoder.decode(record.json()).metrics());
      }
    }
    long exportedSpans =
        metrics.stream()
            .filter(metric -> metric.getName().equals("otel.sdk.exporter.span.exported"))
            .flatMap(metric -> metric.getLongSumData().getPoints().stream())
            .filter(
                point ->
                    "otlp-file-rotating/traces"
                        .equals(
                            point
                                .getAttributes()
                                .get(AttributeKey.stringKey("otel.component.name"))))
            .mapToLong(LongPointData::getValue)
            .max()
            .orElse(-1);
    assertThat(exportedSpans)
        .as("otel.sdk.exporter.span.exported of the file exporter, in the last metrics")
        .isEqualTo(spans.size());
    assertThat(metrics)
        .as("capacity metrics of the file sink")
        .anyMatch(metric -> metric.getName().equals("otel_retention.capacity.used"));
    System.out.printf(
        "agent %s with the extension: %d spans in traces.jsonl, %d exported by its own count%n",
        System.getProperty("agent.version"), spans.size(), exportedSpans);
  }

  @Test
  void aMisconfiguredExporterNeverTakesTheAgentDown() throws Exception {
    Path files = dir.resolve("telemetry");
    // the ClickHouse exporter has no endpoint and Datadog no API key: both are logged, the agent
    // runs on
    AgentRun run =
        AgentRun.run(
            dir,
            Map.of(
                "otel.service.name", "agent-shop",
                "otel.traces.exporter", "clickhouse,datadog,otlp-file-rotating",
                "otel.metrics.exporter", "clickhouse",
                "otel.logs.exporter", "datadog",
                "otel.exporter.otlp-file-rotating.directory", files.toString(),
                "otel.exporter.otlp-file-rotating.flush-interval", "0"));
    assertThat(run.exitCode).isZero();
    assertThat(run.output)
        .contains("done")
        .doesNotContain("ConfigurationException")
        .contains("the clickhouse exporter for traces cannot start")
        .contains("the datadog exporter for logs cannot start");
    List<SpanData> spans = new ArrayList<>();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(files.resolve("traces.jsonl"))) {
      for (OtlpJsonRecord record : reader.readAll()) {
        spans.addAll(OtlpJsonDecoder.decode(record.json()).spans());
      }
    }
    assertThat(spans)
        .as("the application is instrumented")
        .anySatisfy(span -> assertThat(span.getName()).isEqualTo("GET"));
    System.out.printf(
        "agent %s with the extension, ClickHouse and Datadog exporters misconfigured: the application"
            + " exited 0, %d spans in traces.jsonl%n",
        System.getProperty("agent.version"), spans.size());
  }
}
