package dev.otelretention.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.OtlpJsonRecord;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.logs.ApplicationLogs;
import dev.otelretention.otlpjson.DecodedTelemetry;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Application log lines through Logback and through Log4j 2, read back from the rotating file and
 * from ClickHouse's {@code otel_logs}: correlated with their span, with severity, thread, MDC /
 * ThreadContext, exception and the service's resource.
 */
class ApplicationLogsEndToEndTest {
  private static final String PASSWORD = "logs";
  private static LocalClickHouse clickhouse;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    clickhouse =
        LocalClickHouse.builder(Path.of("../testing-clickhouse/src/main/node/clickhouse-front.js"))
            .password(PASSWORD)
            .start();
  }

  @AfterAll
  static void stop() {
    clickhouse.close();
  }

  /**
   * Logs one line inside a span (with an MDC entry and an exception) through {@code log}; returns
   * the span.
   */
  private SpanContext run(ApplicationLogs.Framework framework, String database, Runnable inSpan) {
    Map<String, String> environment =
        Map.of(
            "LETTA_ENVIRONMENT",
            "STAGING",
            "OTEL_RETENTION_ENVIRONMENT_VARIABLE",
            "LETTA_ENVIRONMENT");
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment))
            .serviceName("shop")
            .serviceVersion("3.1.0")
            .addSink(RotatingFileExporters.builder().directory(dir).buildSink())
            .addSink(
                ClickHouseExporters.builder()
                    .endpoint(clickhouse.endpoint())
                    .password(PASSWORD)
                    .database(database)
                    .buildSink())
            .captureApplicationLogs(framework)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Span span = telemetry.openTelemetry().getTracer("shop").spanBuilder("POST /pay").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        inSpan.run();
      } finally {
        span.end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      return span.getSpanContext();
    }
  }

  private LogRecordData fromFile(String body) throws Exception {
    List<LogRecordData> logs = new ArrayList<>();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("logs.jsonl"))) {
      for (OtlpJsonRecord record : reader.readAll()) {
        DecodedTelemetry telemetry = OtlpJsonDecoder.decode(record.json());
        logs.addAll(telemetry.logs());
      }
    }
    return logs.stream()
        .filter(l -> l.getBodyValue() != null && l.getBodyValue().asString().equals(body))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no log '" + body + "' in the file"));
  }

  private static GenericRecord fromClickHouse(String database, String body) {
    try (Client client =
        new Client.Builder()
            .addEndpoint(clickhouse.endpoint())
            .setUsername("default")
            .setPassword(PASSWORD)
            .build()) {
      List<GenericRecord> rows =
          client.queryAll(
              "SELECT TraceId, SpanId, SeverityText, SeverityNumber, ScopeName,"
                  + " LogAttributes, ResourceAttributes, ServiceName FROM "
                  + database
                  + ".otel_logs WHERE Body = {body:String}",
              Map.of("body", body));
      assertThat(rows).as("rows for '" + body + "'").hasSize(1);
      return rows.get(0);
    }
  }

  private static String attribute(LogRecordData log, String key) {
    return log.getAttributes().get(AttributeKey.stringKey(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> map(GenericRecord row, String column) {
    return (Map<String, String>) row.getObject(column);
  }

  @Test
  void logbackLinesAreCorrelatedInTheFilesAndInClickHouse() throws Exception {
    String thread = Thread.currentThread().getName();
    SpanContext span =
        run(
            ApplicationLogs.Framework.LOGBACK,
            "logs_logback",
            () -> {
              MDC.put("order.id", "42");
              LoggerFactory.getLogger("shop.payments")
                  .error("payment failed for order 42", new IllegalStateException("card declined"));
              MDC.remove("order.id");
            });
    LogRecordData log = fromFile("payment failed for order 42");
    assertThat(log.getSpanContext().getTraceId()).isEqualTo(span.getTraceId());
    assertThat(log.getSpanContext().getSpanId()).isEqualTo(span.getSpanId());
    assertThat(log.getSeverityText()).isEqualTo("ERROR");
    assertThat(log.getSeverity().getSeverityNumber()).isEqualTo(17);
    assertThat(log.getInstrumentationScopeInfo().getName()).isEqualTo("shop.payments");
    assertThat(attribute(log, "thread.name")).isEqualTo(thread);
    assertThat(attribute(log, "order.id")).isEqualTo("42");
    assertThat(attribute(log, "exception.type")).isEqualTo("java.lang.IllegalStateException");
    assertThat(attribute(log, "exception.message")).isEqualTo("card declined");
    assertThat(attribute(log, "exception.stacktrace")).contains("ApplicationLogsEndToEndTest");
    assertThat(
            log.getResource().getAttribute(AttributeKey.stringKey("deployment.environment.name")))
        .isEqualTo("dev");
    assertThat(log.getResource().getAttribute(AttributeKey.stringKey("service.version")))
        .isEqualTo("3.1.0");

    GenericRecord row = fromClickHouse("logs_logback", "payment failed for order 42");
    assertThat(row.getString("TraceId")).isEqualTo(span.getTraceId());
    assertThat(row.getString("SpanId")).isEqualTo(span.getSpanId());
    assertThat(row.getString("SeverityText")).isEqualTo("ERROR");
    assertThat(row.getString("ScopeName")).isEqualTo("shop.payments");
    assertThat(row.getString("ServiceName")).isEqualTo("shop");
    assertThat(map(row, "LogAttributes"))
        .containsEntry("order.id", "42")
        .containsEntry("thread.name", thread)
        .containsEntry("exception.type", "java.lang.IllegalStateException")
        .containsEntry("exception.message", "card declined");
    assertThat(map(row, "ResourceAttributes"))
        .containsEntry("deployment.environment.name", "dev")
        .containsEntry("service.version", "3.1.0")
        .containsKey("host.name")
        .containsKey("process.pid");
  }

  @Test
  void log4jLinesAreCorrelatedInTheFilesAndInClickHouse() throws Exception {
    String thread = Thread.currentThread().getName();
    SpanContext span =
        run(
            ApplicationLogs.Framework.LOG4J,
            "logs_log4j",
            () -> {
              ThreadContext.put("sku", "A-7");
              LogManager.getLogger("shop.stock")
                  .warn("stock low for A-7", new IllegalArgumentException("only 2 left"));
              ThreadContext.remove("sku");
            });
    LogRecordData log = fromFile("stock low for A-7");
    assertThat(log.getSpanContext().getSpanId()).isEqualTo(span.getSpanId());
    assertThat(log.getSeverityText()).isEqualTo("WARN");
    assertThat(log.getInstrumentationScopeInfo().getName()).isEqualTo("shop.stock");
    assertThat(attribute(log, "sku")).isEqualTo("A-7");
    assertThat(attribute(log, "thread.name")).isEqualTo(thread);
    assertThat(attribute(log, "exception.type")).isEqualTo("java.lang.IllegalArgumentException");

    GenericRecord row = fromClickHouse("logs_log4j", "stock low for A-7");
    assertThat(row.getString("TraceId")).isEqualTo(span.getTraceId());
    assertThat(row.getString("SpanId")).isEqualTo(span.getSpanId());
    assertThat(row.getString("SeverityText")).isEqualTo("WARN");
    assertThat(map(row, "LogAttributes"))
        .containsEntry("sku", "A-7")
        .containsEntry("exception.message", "only 2 left");
    assertThat(map(row, "ResourceAttributes")).containsEntry("deployment.environment.name", "dev");
  }
}
