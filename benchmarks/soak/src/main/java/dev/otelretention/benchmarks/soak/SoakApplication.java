package dev.otelretention.benchmarks.soak;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.file.Compression;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.file.RotationPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The application of the soak, in a JVM of its own: spans, log records and a counter at a steady
 * rate into rotating files (gzip) and ClickHouse (durable spool on, as in production). Every ten
 * seconds it prints a {@code sample} line; on {@code stop} from standard input it closes and prints
 * what it produced and what its exporters dropped.
 *
 * <p>Arguments: ClickHouse endpoint, password, work directory, spans per second.
 */
public final class SoakApplication {
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");

  private SoakApplication() {}

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    String password = args[1];
    Path work = Path.of(args[2]);
    int spansPerSecond = Integer.parseInt(args[3]);
    Path files = work.resolve("files");
    Path spool = work.resolve("spool");
    TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of("OTEL_SERVICE_NAME", "soak")))
            .profile(Profile.PRODUCTION)
            .spool(SpoolSettings.builder(spool).build())
            .addSink(
                RotatingFileExporters.builder()
                    .directory(files)
                    .rotation(
                        RotationPolicy.builder()
                            .maxFileSize(4L << 20)
                            .maxBackups(100_000)
                            .maxAge(Duration.ZERO)
                            .compression(Compression.GZIP)
                            .build())
                    .buildSink())
            .addSink(
                ClickHouseExporters.builder()
                    .endpoint(endpoint)
                    .password(password)
                    .database("soak")
                    .buildSink())
            .closeOnJvmShutdown(false)
            .build();
    Tracer tracer = telemetry.openTelemetry().getTracer("soak");
    Logger logs = telemetry.openTelemetry().getLogsBridge().get("soak");
    LongCounter requests =
        telemetry.openTelemetry().getMeter("soak").counterBuilder("requests").build();
    AtomicLong spans = new AtomicLong();
    AtomicLong logRecords = new AtomicLong();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    int perTick = Math.max(1, spansPerSecond / 10);
    var unusedProducer =
        scheduler.scheduleAtFixedRate(
            () -> {
              for (int i = 0; i < perTick; i++) {
                long n = spans.incrementAndGet();
                Attributes attributes =
                    Attributes.of(ROUTE, "/orders/{id}", STATUS, n % 50 == 0 ? 500L : 200L);
                Span span =
                    tracer
                        .spanBuilder("GET /orders/{id}")
                        .setSpanKind(SpanKind.SERVER)
                        .setAllAttributes(attributes)
                        .setAttribute("soak.sequence", n)
                        .startSpan();
                span.end();
                requests.add(1, attributes);
                if (n % 4 == 0) {
                  logRecords.incrementAndGet();
                  logs.logRecordBuilder()
                      .setSeverity(Severity.INFO)
                      .setBody("served order " + n)
                      .emit();
                }
              }
            },
            0,
            100,
            TimeUnit.MILLISECONDS);
    var unusedSampler =
        scheduler.scheduleAtFixedRate(
            () -> sample(files, spool, spans.get(), logRecords.get()), 10, 10, TimeUnit.SECONDS);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      do {
        line = in.readLine();
      } while (line != null && !line.equals("stop"));
    }
    scheduler.shutdown();
    scheduler.awaitTermination(10, TimeUnit.SECONDS);
    telemetry.close();
    long dropped = 0;
    for (SinkHealth sink : telemetry.health().sinks()) {
      dropped += sink.dropped();
    }
    System.out.println("produced\t" + spans.get() + "\t" + logRecords.get() + "\t" + dropped);
    System.out.flush();
  }

  /** One line: time, heap after the last collection, threads, open files, disk, spool. */
  private static void sample(Path files, Path spool, long spans, long logRecords) {
    long heapAfterGc = heapAfterLastGc();
    System.out.println(
        "sample\t"
            + System.currentTimeMillis()
            + "\t"
            + heapAfterGc
            + "\t"
            + ManagementFactory.getThreadMXBean().getThreadCount()
            + "\t"
            + count(Path.of("/proc/self/fd"))
            + "\t"
            + bytes(files)
            + "\t"
            + bytes(spool)
            + "\t"
            + spans
            + "\t"
            + logRecords);
    System.out.flush();
  }

  /** The heap in use right after the most recent collection, young or old, of every heap pool. */
  private static long heapAfterLastGc() {
    GcInfo latest = null;
    for (java.lang.management.GarbageCollectorMXBean bean :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      if (bean instanceof GarbageCollectorMXBean collector) {
        GcInfo info = collector.getLastGcInfo();
        if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
          latest = info;
        }
      }
    }
    if (latest == null) {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = latest.getMemoryUsageAfterGc().get(pool.getName());
      if (pool.getType() == MemoryType.HEAP && afterGc != null) {
        used += afterGc.getUsed();
      }
    }
    return used;
  }

  private static long count(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.count();
    } catch (IOException e) {
      return -1;
    }
  }

  static long bytes(Path directory) {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile)
          .mapToLong(
              file -> {
                try {
                  return Files.size(file);
                } catch (IOException e) {
                  return 0; // rotated or compressed away meanwhile
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }
}
