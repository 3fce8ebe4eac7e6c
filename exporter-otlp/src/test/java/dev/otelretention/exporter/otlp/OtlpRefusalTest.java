package dev.otelretention.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.TelemetryRetentionBuilder;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.testing.LogCapture;
import io.grpc.Status;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the OTLP specification says a refusal means, against real receivers (the JDK's HTTP server,
 * grpc-java): HTTP 429, 502, 503 and 504 and the gRPC codes of its table are retried, {@code
 * RESOURCE_EXHAUSTED} only with {@code RetryInfo}; the server's delay is waited for; every other
 * answer drops its batch at once under {@code non_retryable}, is tried once, and holds up neither
 * the queue nor the spool. The SDK exporter in between logs nothing; the stage logs a problem at
 * most once a minute.
 */
class OtlpRefusalTest {
  @TempDir Path spool;

  private static TelemetryRetentionBuilder builder(
      Map<String, String> environment, Duration retryWindow) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(environment))
        .serviceName("refusals")
        // a group of ten spans is one batch, sent when full; a short timeout split it under load
        .batchTimeout(Duration.ofSeconds(10))
        .maxBatchSize(10)
        .requestTimeout(Duration.ofSeconds(5))
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(100))
                .maxInterval(Duration.ofMillis(300))
                .maxElapsedTime(retryWindow)
                .build())
        .shutdownTimeout(Duration.ofSeconds(20))
        .closeOnJvmShutdown(false);
  }

  private static Map<String, String> http(OtlpHttpReceiver receiver) {
    return Map.of(
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "http/protobuf",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        receiver.endpoint());
  }

  private static Map<String, String> grpc(OtlpGrpcReceiver receiver) {
    return Map.of(
        "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
  }

  private static void spans(TelemetryRetention telemetry, String prefix, int count) {
    Tracer tracer = telemetry.openTelemetry().getTracer("shop");
    for (int i = 0; i < count; i++) {
      tracer.spanBuilder(prefix + i).startSpan().end();
    }
    assertThat(telemetry.flush(Duration.ofSeconds(30))).as("flushed").isTrue();
  }

  private static SinkHealth traces(TelemetryRetention telemetry) {
    return telemetry.health().sinks().stream()
        .filter(s -> s.signal() == Signal.TRACES)
        .findFirst()
        .orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 413, 500, 501})
  void anHttpAnswerTheSpecificationDoesNotRetryDropsItsBatchAtOnce(int status) throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
        LogCapture ours = LogCapture.of("dev.otelretention", Level.WARNING);
        LogCapture sdk = LogCapture.of("io.opentelemetry", Level.INFO)) {
      SinkHealth health;
      try (TelemetryRetention telemetry = builder(http(receiver), Duration.ofSeconds(30)).build()) {
        receiver.refuse("traces", 1, status, null);
        spans(telemetry, "refused ", 10);
        spans(telemetry, "accepted ", 10);
        health = traces(telemetry);
      }
      assertThat(receiver.arrivals("traces").size())
          .as("the refused request is not sent again")
          .isEqualTo(2);
      assertThat(receiver.spans()).hasSize(10);
      assertThat(health.dropped()).isEqualTo(10);
      assertThat(health.droppedByReason()).containsEntry("non_retryable", 10L);
      assertThat(health.retried()).isZero();
      assertThat(ours.messages())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("non_retryable")
                      .contains("HTTP " + status)
                      .contains("refused with " + status));
      assertThat(sdk.messages()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 502, 503, 504})
  void anHttpAnswerTheSpecificationRetriesIsRetried(int status) throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
      SinkHealth health;
      try (TelemetryRetention telemetry = builder(http(receiver), Duration.ofSeconds(30)).build()) {
        receiver.refuse("traces", 2, status, null);
        spans(telemetry, "s", 10);
        health = traces(telemetry);
      }
      assertThat(receiver.arrivals("traces").size()).isEqualTo(3);
      assertThat(receiver.spans()).hasSize(10);
      assertThat(health.dropped()).isZero();
      assertThat(health.retried()).isEqualTo(20);
    }
  }

  @Test
  void retryAfterIsWaitedFor() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver();
        TelemetryRetention telemetry = builder(http(receiver), Duration.ofSeconds(30)).build()) {
      receiver.refuse("traces", 1, 429, "2");
      spans(telemetry, "s", 10);
      List<Long> arrivals = receiver.arrivals("traces");
      assertThat(arrivals).hasSize(2);
      assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0)))
          .as("the retry policy alone waits at most 300 ms")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      assertThat(receiver.spans()).hasSize(10);
    }
  }

  @Test
  void aPermanentRefusalDoesNotHoldUpTheSpool() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
      SinkHealth health;
      try (TelemetryRetention telemetry =
          builder(http(receiver), Duration.ofHours(1))
              .spool(SpoolSettings.builder(spool).build())
              .build()) {
        receiver.refuse("traces", 1, 400, null);
        long start = System.nanoTime();
        spans(telemetry, "refused ", 10);
        spans(telemetry, "behind it ", 10);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("a 400 is not retried for the spool's hour")
            .isLessThan(Duration.ofSeconds(20));
        health = traces(telemetry);
      }
      assertThat(receiver.spans()).hasSize(10);
      assertThat(health.droppedByReason()).containsEntry("non_retryable", 10L);
      assertThat(receiver.arrivals("traces").size()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {
        "INVALID_ARGUMENT",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED",
        "FAILED_PRECONDITION",
        "UNIMPLEMENTED",
        "INTERNAL",
        "UNAUTHENTICATED",
        "UNKNOWN"
      })
  void aGrpcStatusTheSpecificationDoesNotRetryDropsItsBatchAtOnce(Status.Code code)
      throws Exception {
    try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver();
        LogCapture sdk = LogCapture.of("io.opentelemetry", Level.INFO)) {
      SinkHealth health;
      try (TelemetryRetention telemetry = builder(grpc(receiver), Duration.ofSeconds(30)).build()) {
        receiver.refuseTraces(1, code, null);
        spans(telemetry, "refused ", 10);
        spans(telemetry, "accepted ", 10);
        health = traces(telemetry);
      }
      assertThat(receiver.arrivals("trace")).as("the refused call is not made again").hasSize(2);
      assertThat(receiver.spans()).hasSize(10);
      assertThat(health.droppedByReason()).containsEntry("non_retryable", 10L);
      assertThat(health.lastError()).contains("gRPC " + code).contains("refused: " + code);
      assertThat(sdk.messages()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {
        "CANCELLED",
        "DEADLINE_EXCEEDED",
        "ABORTED",
        "OUT_OF_RANGE",
        "UNAVAILABLE",
        "DATA_LOSS"
      })
  void aGrpcStatusTheSpecificationRetriesIsRetried(Status.Code code) throws Exception {
    try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver()) {
      SinkHealth health;
      try (TelemetryRetention telemetry = builder(grpc(receiver), Duration.ofSeconds(30)).build()) {
        receiver.refuseTraces(2, code, null);
        spans(telemetry, "s", 10);
        health = traces(telemetry);
      }
      assertThat(receiver.arrivals("trace")).hasSize(3);
      assertThat(receiver.spans()).hasSize(10);
      assertThat(health.dropped()).isZero();
    }
  }

  @Test
  void resourceExhaustedWithRetryInfoIsRetriedAfterItsDelay() throws Exception {
    try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver();
        TelemetryRetention telemetry = builder(grpc(receiver), Duration.ofSeconds(30)).build()) {
      receiver.refuseTraces(1, Status.Code.RESOURCE_EXHAUSTED, Duration.ofMillis(1500));
      spans(telemetry, "s", 10);
      List<Long> arrivals = receiver.arrivals("trace");
      assertThat(arrivals).hasSize(2);
      assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
      assertThat(receiver.spans()).hasSize(10);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http/protobuf", "grpc"})
  void anOutageIsLoggedOnceAMinuteAndTheSdkExporterLogsNothing(String protocol) throws Exception {
    try (OtlpHttpReceiver httpReceiver = new OtlpHttpReceiver();
        OtlpGrpcReceiver grpcReceiver = new OtlpGrpcReceiver();
        LogCapture ours = LogCapture.of("dev.otelretention", Level.INFO);
        LogCapture sdk = LogCapture.of("io.opentelemetry", Level.INFO)) {
      Map<String, String> environment =
          protocol.equals("grpc") ? grpc(grpcReceiver) : http(httpReceiver);
      try (TelemetryRetention telemetry = builder(environment, Duration.ofSeconds(60)).build()) {
        httpReceiver.stop();
        grpcReceiver.stop();
        Tracer tracer = telemetry.openTelemetry().getTracer("shop");
        for (int i = 0; i < 50; i++) {
          tracer.spanBuilder("s" + i).startSpan().end();
          Thread.sleep(40);
        }
        Thread.sleep(1000);
        httpReceiver.start();
        grpcReceiver.start();
        assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
      }
      int received =
          protocol.equals("grpc") ? grpcReceiver.spans().size() : httpReceiver.spans().size();
      assertThat(received).isEqualTo(50);
      assertThat(sdk.messages()).as("the SDK exporter's own failure lines").isEmpty();
      List<String> failures =
          ours.messages().stream().filter(line -> line.contains("retrying")).toList();
      assertThat(failures)
          .as("one line for the outage in its first minute, and the count of the rest at close")
          .hasSize(2)
          .allSatisfy(line -> assertThat(line).contains("cannot reach 127.0.0.1:"));
      assertThat(failures.get(0)).doesNotContain("more times");
      assertThat(failures.get(1)).contains("more times").contains("[at close]");
    }
  }
}
