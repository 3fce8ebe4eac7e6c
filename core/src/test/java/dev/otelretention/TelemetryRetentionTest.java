package dev.otelretention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.export.SpoolableDestination;
import dev.otelretention.internal.export.ExportStage;
import dev.otelretention.internal.export.StagedExporters;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.testing.InMemoryNetworkSink;
import dev.otelretention.testing.LogCapture;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core pipeline with a network-style sink built on the shared export stage and an in-memory
 * destination.
 */
class TelemetryRetentionTest {
  private static TelemetryRetentionBuilder builder(TelemetrySink sink) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .addSink(sink)
        .closeOnJvmShutdown(false);
  }

  @Test
  void profilesCarryTheDesignNoteNumbers() {
    assertThat(Profile.DEVELOPMENT.batchTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(Profile.DEVELOPMENT.maxBatchSize()).isEqualTo(1024);
    assertThat(Profile.DEVELOPMENT.memoryLimitBytes()).isZero();
    assertThat(Profile.PRODUCTION.batchTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(Profile.PRODUCTION.maxBatchSize()).isEqualTo(8192);
    assertThat(Profile.PRODUCTION.memoryLimitBytes()).isEqualTo(1024L * 1024 * 1024);
    assertThat(Profile.PRODUCTION.memorySpikeBytes()).isEqualTo(256L * 1024 * 1024);
  }

  @Test
  void theProductionProfileSetsTheMemoryBoundAndTheSinkGetsTheDefaults() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    try (TelemetryRetention telemetry = builder(sink).profile(Profile.PRODUCTION).build()) {
      assertThat(telemetry.health().memoryLimitBytes()).isEqualTo(768L << 20);
      assertThat(sink.context.sendingQueueSize()).isEqualTo(100);
      assertThat(sink.context.sendingQueueBytes()).isEqualTo(256L << 20);
      assertThat(sink.context.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(sink.context.retryPolicy().maxElapsedTime()).isEqualTo(Duration.ofMinutes(5));
      assertThat(telemetry.health().sinks())
          .extracting(SinkHealth::queueCapacity)
          .containsOnly(100);
      assertThat(sink.context.spool(Signal.TRACES).directory())
          .isEqualTo(Path.of("telemetry-spool", "memory", "traces"));
      assertThat(sink.context.spool(Signal.LOGS).maxBytes()).isEqualTo(1L << 30);
    }
    try (TelemetryRetention telemetry =
        builder(sink).profile(Profile.PRODUCTION).noSpool().build()) {
      assertThat(sink.context.spool(Signal.TRACES)).isNull();
    }
    try (TelemetryRetention telemetry = builder(sink).build()) {
      assertThat(sink.context.spool(Signal.TRACES)).as("not in DEVELOPMENT").isNull();
    }
  }

  @Test
  void theProfileAndOverridesComeFromTheEnvironment() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(
                EnvironmentConfig.of(
                    Map.of(
                        "OTEL_RETENTION_PROFILE", "production",
                        "OTEL_RETENTION_MEMORY_LIMIT", "64MiB",
                        "OTEL_RETENTION_MEMORY_SPIKE", "16MiB",
                        "OTEL_RETENTION_SENDING_QUEUE_SIZE", "7",
                        "OTEL_RETENTION_SPOOL_DIRECTORY", "/var/spool/shop",
                        "OTEL_RETENTION_SPOOL_FSYNC", "every-batch",
                        "OTEL_RETENTION_SPOOL_MAX_SIZE", "256MiB")))
            .addSink(sink)
            .closeOnJvmShutdown(false)
            .build()) {
      assertThat(telemetry.profile()).isEqualTo(Profile.PRODUCTION);
      assertThat(telemetry.health().memoryLimitBytes()).isEqualTo(48L << 20);
      assertThat(sink.context.sendingQueueSize()).isEqualTo(7);
      SpoolSettings spool = sink.context.spool(Signal.METRICS);
      assertThat(spool.directory()).isEqualTo(Path.of("/var/spool/shop", "memory", "metrics"));
      assertThat(spool.fsync()).isEqualTo(SpoolSettings.Fsync.EVERY_BATCH);
      assertThat(spool.maxBytes()).isEqualTo(256L << 20);
    }
  }

  @Test
  void retriedSpansArriveExactlyOnce() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    sink.failuresLeft.set(2);
    RetryPolicy fast =
        RetryPolicy.builder()
            .initialInterval(Duration.ofMillis(10))
            .maxInterval(Duration.ofMillis(20))
            .build();
    try (TelemetryRetention telemetry =
        builder(sink).retryPolicy(fast).batchTimeout(Duration.ofMillis(20)).build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("t");
      for (int i = 0; i < 300; i++) {
        tracer.spanBuilder("s" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(sink.spans).hasSize(300);
      assertThat(sink.spans.stream().map(SpanData::getSpanId).distinct()).hasSize(300);
      SinkHealth traces =
          telemetry.health().sinks().stream()
              .filter(s -> s.signal() == Signal.TRACES)
              .findFirst()
              .orElseThrow();
      assertThat(traces.exported()).isEqualTo(300);
      assertThat(traces.retried()).isPositive();
      assertThat(traces.healthy()).isTrue();
    }
  }

  @Test
  void aFullBatchQueueRefusesAndCountsSoNothingIsLostSilently() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    sink.sendDelayMillis = 50;
    int produced = 5000;
    HealthReport health;
    try (TelemetryRetention telemetry =
        builder(sink)
            .maxBatchSize(64)
            .maxQueueSize(128)
            .sendingQueueSize(2)
            .batchTimeout(Duration.ofMillis(5))
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("t");
      for (int i = 0; i < produced; i++) {
        tracer.spanBuilder("s" + i).startSpan().end();
      }
      telemetry.flush(Duration.ofSeconds(20));
      health = telemetry.health();
    }
    long refused = health.refusedQueueFull().get(Signal.TRACES);
    SinkHealth traces =
        health.sinks().stream().filter(s -> s.signal() == Signal.TRACES).findFirst().orElseThrow();
    assertThat(refused).isPositive();
    assertThat(traces.dropped()).isPositive();
    assertThat(sink.spans.size() + traces.dropped() + refused).isEqualTo(produced);
    assertThat(traces.exported()).isEqualTo(sink.spans.size());
    // the losses show in health for a minute, also the refusals before the exporter
    assertThat(health.healthy()).isFalse();
    assertThat(health.lastRefusedAt()).isNotNull();
    HealthReport onlyRefused =
        new HealthReport(
            List.of(),
            health.refusedByMemoryLimit(),
            health.refusedQueueFull(),
            0,
            Long.MAX_VALUE,
            health.lastRefusedAt());
    assertThat(onlyRefused.healthyAt(health.lastRefusedAt().plusSeconds(30))).isFalse();
    assertThat(
            onlyRefused.healthyAt(
                health.lastRefusedAt().plus(SinkHealth.DROP_WINDOW).plusMillis(1)))
        .isTrue();
  }

  @Test
  void closeIsBoundedEvenWhenTheDestinationHangs() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    sink.sendDelayMillis = 60_000;
    TelemetryRetention telemetry =
        builder(sink)
            .requestTimeout(Duration.ofSeconds(30))
            .shutdownTimeout(Duration.ofSeconds(2))
            .batchTimeout(Duration.ofMillis(10))
            .build();
    telemetry.openTelemetry().getTracer("t").spanBuilder("stuck").startSpan().end();
    long start = System.nanoTime();
    telemetry.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    telemetry.close();
  }

  @Test
  void shutdownWarnsOnlyOfWhatItLostOrOfRunningOutOfTime() {
    assertThat(
            TelemetryRetention.shutdownReport(
                true,
                Duration.ofMillis(800),
                Duration.ofSeconds(10),
                Map.of("queue_full", 78L),
                Map.of("queue_full", 78L)))
        .as("drops from before are not the shutdown's")
        .isNull();
    assertThat(
            TelemetryRetention.shutdownReport(
                true,
                Duration.ofMillis(800),
                Duration.ofSeconds(10),
                Map.of("queue_full", 78L),
                Map.of("queue_full", 78L, "shutdown", 5L)))
        .isEqualTo(
            "otel-retention: shutdown finished in 800 ms; 5 items were dropped {shutdown=5} during it");
    assertThat(
            TelemetryRetention.shutdownReport(
                false, Duration.ofSeconds(10), Duration.ofSeconds(10), Map.of(), Map.of()))
        .isEqualTo(
            "otel-retention: shutdown did not finish within its timeout of 10s; nothing was dropped during it");
  }

  @TempDir Path spoolDirectory;

  @Test
  void aQuickCloseThatKeepsItemsInTheSpoolAfterEarlierDropsLogsNoWarning() {
    try (LogCapture warnings = LogCapture.of(TelemetryRetention.class.getName(), Level.WARNING)) {
      // a destination that is down: the spool keeps what it could not send, which is no loss
      SpoolableDestination<SpanData> down =
          new SpoolableDestination<>() {
            @Override
            public byte[] encode(List<SpanData> batch) {
              return new byte[] {(byte) batch.size()};
            }

            @Override
            public void sendEncoded(byte[] record, String token) throws Exception {
              throw ExportException.retryable("503", "unavailable", null);
            }

            @Override
            public void send(List<SpanData> batch) throws Exception {
              throw ExportException.retryable("503", "unavailable", null);
            }
          };
      InMemoryNetworkSink sink =
          new InMemoryNetworkSink() {
            @Override
            public SpanExporter createSpanExporter(SinkContext context) {
              ExportStats stats = context.stats(Signal.TRACES, "down_span_exporter");
              stats.recordDropped(78, "non_retryable", "from before");
              return StagedExporters.spanExporter(
                  ExportStage.builder(down, stats)
                      .spool(context.spool(Signal.TRACES))
                      .shutdownTimeout(Duration.ofMillis(500))
                      .build());
            }
          };
      TelemetryRetention telemetry =
          builder(sink)
              .spool(SpoolSettings.builder(spoolDirectory).build())
              .batchTimeout(Duration.ofMillis(10))
              .build();
      telemetry.openTelemetry().getTracer("t").spanBuilder("kept").startSpan().end();
      assertThat(telemetry.flush(Duration.ofMillis(300))).isFalse();
      long start = System.nanoTime();
      telemetry.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(warnings.messages()).isEmpty();
    }
  }

  @Test
  void metricsAndLogsFlowThroughTheSameStage() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    try (TelemetryRetention telemetry = builder(sink).serviceName("svc").build()) {
      telemetry.openTelemetry().getMeter("m").counterBuilder("c").build().add(5);
      telemetry.openTelemetry().getLogsBridge().get("l").logRecordBuilder().setBody("b").emit();
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(sink.logs)
          .singleElement()
          .satisfies(
              l -> assertThat(l.getResource().getAttributes().asMap().toString()).contains("svc"));
      assertThat(sink.metrics).anySatisfy(m -> assertThat(m.getName()).isEqualTo("c"));
      assertThat(sink.metrics)
          .anySatisfy(m -> assertThat(m.getName()).isEqualTo("otel.sdk.exporter.log.exported"));
    }
  }

  @Test
  void memoryAccountingReturnsToZeroOnceEverythingIsExported() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    try (TelemetryRetention telemetry = builder(sink).memoryLimit(512L << 20, 64L << 20).build()) {
      var otel = telemetry.openTelemetry();
      for (int i = 0; i < 500; i++) {
        otel.getTracer("t").spanBuilder("s" + i).setAttribute("k", "v" + i).startSpan().end();
        otel.getLogsBridge()
            .get("l")
            .logRecordBuilder()
            .setBody("log " + i)
            .setAttribute("n", (long) i)
            .emit();
      }
      otel.getMeter("m").counterBuilder("c").build().add(1);
      assertThat(telemetry.health().memoryUsedBytes()).isPositive();
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(sink.spans).hasSize(500);
      assertThat(sink.logs).hasSize(500);
      assertThat(telemetry.health().memoryUsedBytes()).isZero();
    }
  }

  @Test
  void invalidSettingsFailAtBuild() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    assertThatThrownBy(() -> builder(sink).maxBatchSize(0)).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> builder(sink).maxBatchSize(100).maxQueueSize(10).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("maxQueueSize");
    assertThatThrownBy(() -> builder(sink).memoryLimit(100, 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder(sink).serviceName(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                TelemetryRetention.builder()
                    .config(EnvironmentConfig.of(Map.of("OTEL_RESOURCE_ATTRIBUTES", "novalue")))
                    .addSink(sink)
                    .closeOnJvmShutdown(false)
                    .build())
        .hasMessageContaining("OTEL_RESOURCE_ATTRIBUTES");
  }

  @Test
  void flushReportsFailureWhenItCannotFinishInTime() {
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    sink.sendDelayMillis = 3000;
    try (TelemetryRetention telemetry =
        builder(sink).shutdownTimeout(Duration.ofSeconds(1)).build()) {
      telemetry.openTelemetry().getTracer("t").spanBuilder("slow").startSpan().end();
      assertThat(telemetry.flush(Duration.ofMillis(200))).isFalse();
    }
  }

  static CompletableResultCode ignored() {
    return CompletableResultCode.ofSuccess();
  }
}
