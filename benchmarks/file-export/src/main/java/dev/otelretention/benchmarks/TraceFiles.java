package dev.otelretention.benchmarks;

import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.file.RotationPolicy;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Writes a directory of telemetry files for the trace views' measurement: traces of a root span,
 * two children and a grandchild across three services, with a log record in one child, through the
 * rotating file exporters (100 MiB files, uncompressed backups) until the span files hold the size
 * asked for. Prints the id of one trace near the middle.
 *
 * <p>Arguments: directory, megabytes of span files (default 1024).
 */
public final class TraceFiles {
  private static final String[] SERVICES = {"shop", "payments", "inventory"};

  private TraceFiles() {}

  public static void main(String[] args) throws Exception {
    Path directory = Files.createDirectories(Path.of(args[0]));
    long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 1024;
    RotatingFileExporters.Builder files =
        RotatingFileExporters.builder()
            .directory(directory)
            .rotation(
                RotationPolicy.builder().maxFileSize(100L * 1024 * 1024).maxBackups(1000).build());
    SpanExporter spans = files.buildSpanExporter();
    LogRecordExporter logs = files.buildLogRecordExporter();
    Random random = new Random(42);
    long now = System.currentTimeMillis() * 1_000_000L;
    long traces = 0;
    String middle = null;
    List<SpanData> spanBatch = new ArrayList<>();
    List<LogRecordData> logBatch = new ArrayList<>();
    long limit = megabytes * 1024 * 1024;
    while (spanBytes(directory) < limit) {
      for (int batch = 0; batch < 2_000; batch++) {
        String traceId = String.format(Locale.ROOT, "%016x%016x", random.nextLong(), traces);
        long start = now - (5_000_000L - traces) * 1_000_000L;
        String root = id(random);
        String child = id(random);
        add(spanBatch, traceId, root, "", "GET /orders/{id}", 0, start, 40, random);
        add(spanBatch, traceId, child, root, "SELECT orders", 0, start + 2_000_000, 10, random);
        add(spanBatch, traceId, id(random), root, "charge card", 1, start + 15_000_000, 20, random);
        add(
            spanBatch,
            traceId,
            id(random),
            child,
            "reserve stock",
            2,
            start + 4_000_000,
            5,
            random);
        logBatch.add(
            TestLogRecordData.builder()
                .setResource(resource(0))
                .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("shop"))
                .setTimestamp(start + 3_000_000, TimeUnit.NANOSECONDS)
                .setSpanContext(
                    SpanContext.create(
                        traceId, child, TraceFlags.getSampled(), TraceState.getDefault()))
                .setSeverity(Severity.INFO)
                .setSeverityText("INFO")
                .setBody("querying orders for trace " + traces)
                .build());
        traces++;
      }
      spans.export(spanBatch).join(1, TimeUnit.MINUTES);
      logs.export(logBatch).join(1, TimeUnit.MINUTES);
      if (middle == null && spanBytes(directory) > limit / 2) {
        middle = spanBatch.get(spanBatch.size() / 2).getTraceId();
      }
      spanBatch.clear();
      logBatch.clear();
    }
    spans.shutdown().join(1, TimeUnit.MINUTES);
    logs.shutdown().join(1, TimeUnit.MINUTES);
    System.out.printf(
        Locale.ROOT,
        "%d traces, %d spans, %,d bytes of span files; a trace in the middle: %s%n",
        traces,
        traces * 4,
        spanBytes(directory),
        middle);
  }

  private static void add(
      List<SpanData> batch,
      String traceId,
      String spanId,
      String parent,
      String name,
      int service,
      long start,
      long millis,
      Random random) {
    TestSpanData.Builder span =
        TestSpanData.builder()
            .setSpanContext(
                SpanContext.create(
                    traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
            .setName(name)
            .setKind(parent.isEmpty() ? SpanKind.SERVER : SpanKind.INTERNAL)
            .setResource(resource(service))
            .setInstrumentationScopeInfo(InstrumentationScopeInfo.create(SERVICES[service]))
            .setStartEpochNanos(start)
            .setEndEpochNanos(start + millis * 1_000_000L + random.nextInt(1_000_000))
            .setAttributes(
                Attributes.of(
                    AttributeKey.stringKey("http.route"),
                    "/orders/{id}",
                    AttributeKey.longKey("http.response.status_code"),
                    200L))
            .setHasEnded(true)
            .setStatus(random.nextInt(50) == 0 ? StatusData.error() : StatusData.unset());
    if (!parent.isEmpty()) {
      span.setParentSpanContext(
          SpanContext.create(traceId, parent, TraceFlags.getSampled(), TraceState.getDefault()));
    }
    batch.add(span.build());
  }

  private static String id(Random random) {
    return String.format(Locale.ROOT, "%016x", random.nextLong() | 1);
  }

  private static Resource resource(int service) {
    return Resource.create(
        Attributes.of(AttributeKey.stringKey("service.name"), SERVICES[service]));
  }

  private static long spanBytes(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(file -> file.getFileName().toString().startsWith("traces"))
          .mapToLong(file -> file.toFile().length())
          .sum();
    }
  }
}
