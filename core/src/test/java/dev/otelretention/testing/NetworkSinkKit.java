package dev.otelretention.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.TelemetryRetentionBuilder;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every network sink owes its users, held against the sink's real destination (or, where only
 * a fake exists, one built from the vendor's documented schema): an outage longer than the retry
 * window loses nothing with the spool, and without it drops exactly what was lost, counted;
 * processes killed with SIGKILL at random moments lose no batch whose export had succeeded; the
 * exporters are selectable by name through OpenTelemetry's autoconfigure, for every signal. A
 * sink's test module extends this class and says how to start its destination, make its sink, and
 * read what arrived (model: Micrometer's {@code MeterRegistryCompatibilityKit}).
 */
public abstract class NetworkSinkKit {
  /** Spans per batch in the processes that are killed. */
  private static final int SPANS_PER_BATCH = 20;

  @TempDir protected Path dir;

  /** A destination the kit can take away and bring back, on the same address. */
  public interface Destination extends AutoCloseable {
    /** Refuses connections from now on. */
    void stop() throws Exception;

    /** Accepts connections again, on the same address. */
    void start() throws Exception;

    /** The names of the spans that arrived, each as often as it arrived. */
    List<String> spanNames() throws Exception;

    /** The bodies of the log records that arrived. */
    List<String> logBodies() throws Exception;

    /** The names of the metrics that arrived. */
    List<String> metricNames() throws Exception;

    /** What {@link #sink(List)} needs to reach this destination from another process. */
    List<String> sinkArguments();

    @Override
    void close();
  }

  /** Starts a destination of the sink, empty. */
  protected abstract Destination startDestination() throws Exception;

  /**
   * The sink for the destination that {@code arguments} ({@link Destination#sinkArguments()}) name.
   */
  protected abstract TelemetrySink sink(List<String> arguments);

  /** The exporter name for {@code otel.traces.exporter} and its siblings. */
  protected abstract String autoconfigureName();

  /** The autoconfigure properties (besides the exporter names) that reach {@code destination}. */
  protected abstract Map<String, String> autoconfigureProperties(Destination destination);

  /**
   * Whether the destination stores a batch once however often it is sent (ClickHouse, by the
   * deduplication token); otherwise a batch in flight at a kill may arrive again.
   */
  protected abstract boolean deduplicates();

  @Test
  void withTheSpoolAnOutageBeyondTheRetryWindowLosesNothing() throws Exception {
    try (Destination destination = startDestination()) {
      SinkHealth traces;
      try (TelemetryRetention telemetry = telemetry(destination, dir.resolve("spool"))) {
        Tracer tracer = telemetry.openTelemetry().getTracer("outage");
        for (int i = 0; i < 30; i++) {
          tracer.spanBuilder("before" + i).startSpan().end();
        }
        assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
        destination.stop();
        for (int i = 0; i < 40; i++) {
          tracer.spanBuilder("during" + i).startSpan().end();
          Thread.sleep(25);
        }
        assertThat(telemetry.flush(Duration.ofMillis(500))).as("the destination is away").isFalse();
        // twice the retry window
        Thread.sleep(1600);
        destination.start();
        for (int i = 0; i < 30; i++) {
          tracer.spanBuilder("after" + i).startSpan().end();
        }
        assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
        traces = traces(telemetry);
      }
      assertThat(traces.dropped()).isZero();
      assertThat(traces.retried()).isPositive();
      List<String> names = destination.spanNames();
      assertThat(names).as("every span, none twice").hasSize(100).doesNotHaveDuplicates();
    }
  }

  @Test
  void withoutTheSpoolAnOutageBeyondTheRetryWindowDropsExactlyWhatWasLost() throws Exception {
    try (Destination destination = startDestination()) {
      SinkHealth traces;
      try (TelemetryRetention telemetry = telemetry(destination, null)) {
        Tracer tracer = telemetry.openTelemetry().getTracer("outage");
        for (int i = 0; i < 50; i++) {
          tracer.spanBuilder("before" + i).startSpan().end();
        }
        assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
        destination.stop();
        for (int i = 0; i < 40; i++) {
          tracer.spanBuilder("during" + i).startSpan().end();
        }
        telemetry.flush(Duration.ofSeconds(20));
        destination.start();
        for (int i = 0; i < 30; i++) {
          tracer.spanBuilder("after" + i).startSpan().end();
        }
        assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
        traces = traces(telemetry);
      }
      List<String> names = destination.spanNames();
      System.out.printf(
          "%s: outage beyond the retry window, in memory: 120 spans, dropped %s, %d arrived%n",
          getClass().getSimpleName(), traces.droppedByReason(), names.size());
      assertThat(traces.droppedByReason()).containsEntry("retries_exhausted", 40L);
      assertThat(names).hasSize(80).doesNotHaveDuplicates().noneMatch(n -> n.startsWith("during"));
      assertThat(traces.exported()).isEqualTo(names.size());
      assertThat(traces.exported() + traces.dropped()).isEqualTo(120);
    }
  }

  @Test
  void everyAcknowledgedBatchArrivesAfterKills() throws Exception {
    Path spool = dir.resolve("spool");
    Path acknowledged = dir.resolve("acknowledged.txt");
    Random random = new Random(20261206);
    int rounds = 4;
    try (Destination destination = startDestination()) {
      for (int round = 0; round < rounds; round++) {
        if (round % 2 == 1) {
          destination.stop();
        } else if (round > 0) {
          destination.start();
        }
        List<String> command =
            new ArrayList<>(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    CrashChild.class.getName(),
                    getClass().getName(),
                    spool.toString(),
                    acknowledged.toString(),
                    Long.toString(round * 1_000_000L)));
        command.addAll(destination.sinkArguments());
        Process child =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + round + ".log").toFile())
                .start();
        long before = lines(acknowledged);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lines(acknowledged) < before + 3
            && System.nanoTime() < deadline
            && child.isAlive()) {
          Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("child of round " + round + " is running").isTrue();
        Thread.sleep(100 + random.nextInt(700));
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
      destination.start();
      SpanExporter exporter =
          sink(destination.sinkArguments()).createSpanExporter(crashContext(spool));
      assertThat(exporter.flush().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      exporter.shutdown().join(10, TimeUnit.SECONDS);

      List<String> batches = Files.readAllLines(acknowledged);
      assertThat(batches.size()).isGreaterThanOrEqualTo(rounds * 3);
      Map<String, Long> arrived = new java.util.HashMap<>();
      for (String name : destination.spanNames()) {
        arrived.merge(name, 1L, Long::sum);
      }
      List<String> missing = new ArrayList<>();
      for (String batch : batches) {
        for (int i = 0; i < SPANS_PER_BATCH; i++) {
          if (!arrived.containsKey(batch + "-" + i)) {
            missing.add(batch + "-" + i);
          }
        }
      }
      assertThat(missing).as("acknowledged spans that never arrived").isEmpty();
      long again = arrived.values().stream().mapToLong(n -> n - 1).sum();
      if (deduplicates()) {
        assertThat(arrived.values()).as("every span stored once").containsOnly(1L);
      } else {
        // a batch is sent again when a kill comes between its send and the spool's bookkeeping; one
        // batch is in flight at a time, so each kill adds at most one batch's spans
        assertThat(again)
            .as("spans that arrived again: at most the batch in flight at each kill")
            .isLessThanOrEqualTo((long) rounds * SPANS_PER_BATCH);
      }
      System.out.printf(
          "%s: %d rounds killed with SIGKILL, %d batches acknowledged (%d spans), %d distinct"
              + " spans arrived, 0 missing, %d arrivals of a span already there%n",
          getClass().getSimpleName(),
          rounds,
          batches.size(),
          batches.size() * SPANS_PER_BATCH,
          arrived.size(),
          again);
    }
  }

  @Test
  void selectableByNameThroughAutoconfigureForEverySignal() throws Exception {
    try (Destination destination = startDestination()) {
      Map<String, String> properties = new java.util.HashMap<>();
      properties.put("otel.traces.exporter", autoconfigureName());
      properties.put("otel.metrics.exporter", autoconfigureName());
      properties.put("otel.logs.exporter", autoconfigureName());
      properties.put("otel.service.name", "auto");
      properties.putAll(autoconfigureProperties(destination));
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> properties)
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
      sdk.getTracer("auto").spanBuilder("via-autoconfigure").startSpan().end();
      sdk.getMeter("auto").counterBuilder("auto.counter").build().add(3);
      sdk.getLogsBridge().get("auto").logRecordBuilder().setBody("auto log").emit();
      assertThat(sdk.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

      assertThat(destination.spanNames()).containsExactly("via-autoconfigure");
      assertThat(destination.logBodies()).containsExactly("auto log");
      assertThat(destination.metricNames()).contains("auto.counter");
    }
  }

  /**
   * An instance exporting to the destination with a retry window of 0.8 s, small batches, and the
   * spool in {@code spool} (none when {@code null}).
   */
  private TelemetryRetention telemetry(Destination destination, Path spool) {
    TelemetryRetentionBuilder builder =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("outage")
            .addSink(sink(destination.sinkArguments()))
            .batchTimeout(Duration.ofMillis(20))
            .maxBatchSize(10)
            .requestTimeout(Duration.ofSeconds(2))
            .retryPolicy(
                RetryPolicy.builder()
                    .initialInterval(Duration.ofMillis(100))
                    .maxInterval(Duration.ofMillis(300))
                    .maxElapsedTime(Duration.ofMillis(800))
                    .build())
            .shutdownTimeout(Duration.ofSeconds(20))
            .closeOnJvmShutdown(false);
    if (spool != null) {
      builder.spool(SpoolSettings.builder(spool).build());
    }
    return builder.build();
  }

  private static SinkHealth traces(TelemetryRetention telemetry) {
    return telemetry.health().sinks().stream()
        .filter(s -> s.signal() == Signal.TRACES)
        .findFirst()
        .orElseThrow();
  }

  /** The pipeline of the killed processes and of the one that delivers after them. */
  static SinkContext crashContext(Path spool) {
    return SinkContext.builder()
        .sinkName("crash")
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(50))
                .maxInterval(Duration.ofMillis(200))
                .maxElapsedTime(Duration.ofSeconds(1))
                .build())
        .requestTimeout(Duration.ofSeconds(2))
        .spool(SpoolSettings.builder(spool).build())
        .shutdownTimeout(Duration.ofSeconds(5))
        .build();
  }

  static List<SpanData> batch(String name) {
    List<SpanData> spans = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < SPANS_PER_BATCH; i++) {
      spans.add(
          TestSpanData.builder()
              .setSpanContext(
                  SpanContext.create(
                      "5b8efff798038103d269b633813fc60c",
                      String.format(Locale.ROOT, "%016x", (long) name.hashCode() * 1000 + i + 1),
                      TraceFlags.getSampled(),
                      TraceState.getDefault()))
              .setName(name + "-" + i)
              .setKind(SpanKind.INTERNAL)
              .setResource(Resource.getDefault())
              .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("crash"))
              .setStartEpochNanos(now - 1000)
              .setEndEpochNanos(now)
              .setHasEnded(true)
              .setStatus(StatusData.unset())
              .build());
    }
    return spans;
  }

  private static long lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }

  /**
   * A process that exports batches of spans through a kit's sink with the spool on, and appends the
   * name of every batch whose {@code export()} succeeded to a file, until it is killed. Arguments:
   * the kit's class, the spool directory, the acknowledgement file, the first batch number, then
   * the destination's {@link Destination#sinkArguments()}.
   */
  public static final class CrashChild {
    private CrashChild() {}

    /** Runs until killed. */
    public static void main(String[] args) throws Exception {
      Constructor<?> constructor = Class.forName(args[0]).getDeclaredConstructor();
      constructor.setAccessible(true);
      NetworkSinkKit kit = (NetworkSinkKit) constructor.newInstance();
      TelemetrySink sink = kit.sink(List.of(args).subList(4, args.length));
      SpanExporter exporter = sink.createSpanExporter(crashContext(Path.of(args[1])));
      try (OutputStream acknowledged = new FileOutputStream(args[2], true)) {
        for (long number = Long.parseLong(args[3]); ; number++) {
          String name = "b" + number;
          if (exporter.export(batch(name)).join(10, TimeUnit.SECONDS).isSuccess()) {
            acknowledged.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            acknowledged.flush();
          }
          Thread.sleep(2);
        }
      }
    }
  }
}
