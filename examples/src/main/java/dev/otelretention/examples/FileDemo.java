package dev.otelretention.examples;

import dev.otelretention.HealthReport;
import dev.otelretention.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.exporter.file.FileSink;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.OtlpJsonRecord;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.sink.EnvironmentConfig;
import dev.otelretention.sink.Signal;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The embedded default: a small simulated web shop whose traces, metrics and logs go to rotating OTLP/JSON
 * files with zero configuration. Run it for {@code -Ddemo.seconds=N} seconds (default 10).
 *
 * <p>Everything comes from the environment ({@code OTEL_RETENTION_*}, {@code OTEL_SERVICE_NAME}); the demo
 * only shrinks the file size limit to 1 MiB, unless set, so that rotation shows within seconds.
 */
public final class FileDemo {
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final List<String> ROUTES = List.of("/orders/{id}", "/cart", "/checkout", "/products/{sku}");

  private FileDemo() {}

  /** Runs the demo; {@code -Ddemo.seconds} sets how long. */
  public static void main(String[] args) throws IOException {
    long seconds = Long.getLong("demo.seconds", 10);
    if (System.getProperty(FileSink.CONFIG_PREFIX + "max-size") == null
        && System.getenv("OTEL_RETENTION_FILE_MAX_SIZE") == null) {
      System.setProperty(FileSink.CONFIG_PREFIX + "max-size", "1MiB");
    }
    if (System.getProperty("otel.service.name") == null && System.getenv("OTEL_SERVICE_NAME") == null) {
      System.setProperty("otel.service.name", "demo-shop");
    }
    run(Duration.ofSeconds(seconds), System.out);
  }

  /** What a run produced. */
  record Summary(long requests, HealthReport health, Path directory) {}

  static Summary run(Duration duration, PrintStream out) throws IOException {
    Path directory =
        Path.of(EnvironmentConfig.fromSystem().get(FileSink.CONFIG_PREFIX + "directory", RotatingFileExporters.DEFAULT_DIRECTORY))
            .toAbsolutePath();
    out.println("otel-retention demo: simulating a shop for " + duration.toSeconds() + " s");
    long requests;
    HealthReport health;
    try (TelemetryRetention telemetry = TelemetryRetention.fromEnvironment()) {
      requests = simulate(telemetry.openTelemetry(), duration);
      telemetry.flush(Duration.ofSeconds(10));
      health = telemetry.health();
    }
    report(out, requests, health, directory);
    return new Summary(requests, health, directory);
  }

  private static long simulate(OpenTelemetry otel, Duration duration) {
    Tracer tracer = otel.getTracer("dev.otelretention.examples", "1.0");
    Meter meter = otel.getMeter("dev.otelretention.examples");
    Logger logger = otel.getLogsBridge().get("dev.otelretention.examples");
    LongCounter requestCount = meter.counterBuilder("shop.requests").setUnit("{request}").build();
    LongUpDownCounter active = meter.upDownCounterBuilder("shop.requests.active").setUnit("{request}").build();
    DoubleHistogram latency = meter.histogramBuilder("shop.request.duration").setUnit("s").build();
    AtomicLong cartValue = new AtomicLong();
    meter.gaugeBuilder("shop.cart.value").setUnit("{EUR}").buildWithCallback(m -> m.record(cartValue.get() / 100.0));

    Random random = new Random(7);
    long end = System.nanoTime() + duration.toNanos();
    long count = 0;
    while (System.nanoTime() < end) {
      String route = ROUTES.get(random.nextInt(ROUTES.size()));
      boolean fails = random.nextInt(20) == 0;
      long status = fails ? 500 : 200;
      Attributes attributes = Attributes.of(ROUTE, route, STATUS, status);
      active.add(1);
      long start = System.nanoTime();
      Span server =
          tracer.spanBuilder("GET " + route).setSpanKind(SpanKind.SERVER)
              .setAttribute("http.request.method", "GET").setAttribute(ROUTE, route).startSpan();
      try (Scope ignored = server.makeCurrent()) {
        Span query =
            tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system.name", "postgresql").setAttribute("db.query.text", "select * from orders where id = ?")
                .startSpan();
        query.addEvent("rows fetched", Attributes.of(AttributeKey.longKey("rows"), (long) random.nextInt(50)));
        query.end();
        if (route.equals("/checkout")) {
          Span charge = tracer.spanBuilder("charge card").setSpanKind(SpanKind.CLIENT).startSpan();
          if (fails) {
            charge.recordException(new IllegalStateException("card declined"));
            charge.setStatus(StatusCode.ERROR, "payment failed");
          }
          charge.end();
          cartValue.set(random.nextInt(50_000));
        }
        logger.logRecordBuilder()
            .setSeverity(fails ? Severity.ERROR : Severity.INFO)
            .setBody(fails ? "request failed: " + route : "served " + route)
            .setAttribute(ROUTE, route)
            .emit();
      } finally {
        server.setAttribute(STATUS, status);
        if (fails) {
          server.setStatus(StatusCode.ERROR);
        }
        server.end();
        active.add(-1);
      }
      requestCount.add(1, attributes);
      latency.record((System.nanoTime() - start) / 1e9 + random.nextDouble() * 0.2, attributes);
      count++;
      sleepMillis(1);
    }
    return count;
  }

  private static void report(PrintStream out, long requests, HealthReport health, Path directory) throws IOException {
    out.println();
    out.println("simulated " + requests + " requests");
    for (SinkHealth sink : health.sinks()) {
      out.printf("  %-13s exported %,9d %s, dropped %d%n", sink.component(), sink.exported(), itemName(sink.signal()), sink.dropped());
    }
    out.println();
    out.println("files in " + directory + ":");
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        out.printf("  %-58s %,11d bytes%n", file.getFileName(), Files.size(file));
      }
    }
    Path traces = directory.resolve(RotatingFileExporters.fileName(Signal.TRACES));
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(traces)) {
      long lines = 0;
      String first = null;
      for (OtlpJsonRecord record : (Iterable<OtlpJsonRecord>) () -> reader) {
        lines++;
        if (first == null) {
          first = record.json();
        }
      }
      out.println();
      out.println("traces: " + lines + " OTLP/JSON lines readable across " + OtlpJsonFiles.files(traces).size()
          + " files (the retention policy keeps the newest 5 backups of each file)");
      if (first != null) {
        out.println("first line starts: " + first.substring(0, Math.min(160, first.length())) + "...");
      }
    }
  }

  private static String itemName(Signal signal) {
    switch (signal) {
      case TRACES:
        return "spans";
      case METRICS:
        return "metric points";
      default:
        return "log records";
    }
  }

  private static void sleepMillis(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
