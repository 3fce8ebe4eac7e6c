package dev.otelretention.benchmarks.clickhouse;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.otelretention.benchmarks.BenchmarkSpans;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.internal.rowbinary.RowBinaryOutput;
import dev.otelretention.exporter.clickhouse.internal.rowbinary.RowEncoders;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Harness: spans per second into the embedded ClickHouse engine through its HTTP front, (a) end to
 * end through the exporter (export + flush of 8,192-span batches: encoding, the export stage,
 * client-v2, HTTP) and (b) the raw ceiling of the same front (the same batch pre-encoded as
 * RowBinary, POSTed directly), measured in alternating windows of the same run, once per insert
 * compression. Reports per compression the spans per second against the ceiling, the exporter's
 * client CPU time and allocation per span (this JVM only; the front runs in its own process) and
 * the bytes per span on the wire.
 *
 * <p>Run from the project root: {@code bash benchmarks/run-clickhouse-export.sh [seconds per
 * window] [windows] [compressions]}.
 */
public final class ClickHouseExportBenchmark {
  private static final int BATCHES = 8;
  private static final String PASSWORD = "bench";

  private ClickHouseExportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int windowSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int windows = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> codecs = List.of((args.length > 2 ? args[2] : "none,lz4,zstd,gzip").split(","));
    try (LocalClickHouse front =
        LocalClickHouse.builder(Path.of("testing-clickhouse/src/main/node/clickhouse-front.js"))
            .password(PASSWORD)
            .start()) {
      run(front.endpoint(), windowSeconds, windows, codecs);
    }
  }

  private static void run(String endpoint, int windowSeconds, int windows, List<String> codecs)
      throws Exception {
    List<SpanData> batch = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < BATCHES; i++) {
      batch.addAll(withRandomIds(BenchmarkSpans.batch(), random));
    }
    Map<String, SpanExporter> exporters = new LinkedHashMap<>();
    for (String codec : codecs) {
      SpanExporter exporter =
          ClickHouseExporters.builder()
              .endpoint(endpoint)
              .password(PASSWORD)
              .database("bench")
              .tracesTtl(Duration.ZERO)
              .compression(codec)
              .buildSpanExporter();
      // the first export creates the schema
      exporter.export(batch.subList(0, 10)).join(60, TimeUnit.SECONDS);
      exporter.flush().join(60, TimeUnit.SECONDS);
      exporters.put(codec, exporter);
    }

    Schema schema =
        ClickHouseExporters.builder().endpoint(endpoint).database("bench").buildSettings().schema();
    RowBinaryOutput rows = new RowBinaryOutput();
    for (SpanData span : batch) {
      RowEncoders.span(rows, span);
    }
    byte[] encoded = rows.toByteArray();
    double encodeNanosPerSpan = encodingCpu(batch, rows);
    String insert =
        "INSERT INTO "
            + schema.qualifiedName(TelemetryTable.TRACES)
            + " ("
            + String.join(", ", TelemetryTable.TRACES.columnNames())
            + ") FORMAT RowBinary";
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest raw =
        HttpRequest.newBuilder(
                URI.create(
                    endpoint + "/?query=" + URLEncoder.encode(insert, StandardCharsets.UTF_8)))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(("default:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofByteArray(encoded))
            .build();

    System.out.printf(
        Locale.ROOT,
        "batch: %d spans, %d bytes of RowBinary (%d per span)%n",
        batch.size(),
        encoded.length,
        encoded.length / batch.size());
    // warm-up
    for (SpanExporter exporter : exporters.values()) {
      measureStream(exporter, batch, windowSeconds);
    }
    measure(() -> postOnce(http, raw), () -> {}, batch.size(), windowSeconds);
    Map<String, List<Result>> results = new LinkedHashMap<>();
    List<Result> ceiling = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      StringBuilder line = new StringBuilder("window " + (w + 1) + ":");
      for (Map.Entry<String, SpanExporter> exporter : exporters.entrySet()) {
        Result result = measureStream(exporter.getValue(), batch, windowSeconds);
        results.computeIfAbsent(exporter.getKey(), k -> new ArrayList<>()).add(result);
        line.append(
            String.format(
                Locale.ROOT, " %s %,.0f spans/s,", exporter.getKey(), result.spansPerSecond));
      }
      Result rawResult = measure(() -> postOnce(http, raw), () -> {}, batch.size(), windowSeconds);
      ceiling.add(rawResult);
      System.out.printf(
          Locale.ROOT, "%s raw ceiling %,.0f spans/s%n", line, rawResult.spansPerSecond);
    }
    for (SpanExporter exporter : exporters.values()) {
      exporter.shutdown().join(30, TimeUnit.SECONDS);
    }
    System.out.println();
    System.out.println(
        "| compression | spans/s (spread) | ÷ raw ceiling | client CPU µs/span (spread) |"
            + " allocation B/span | wire B/span |");
    System.out.println("|---|---|---|---|---|---|");
    double rawMean = mean(ceiling, Result::spansPerSecond);
    for (Map.Entry<String, List<Result>> codec : results.entrySet()) {
      List<Result> runs = codec.getValue();
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f (%,.0f–%,.0f) | %.0f%% | %.2f (%.2f–%.2f) | %.0f | %d |%n",
          codec.getKey(),
          mean(runs, Result::spansPerSecond),
          min(runs, Result::spansPerSecond),
          max(runs, Result::spansPerSecond),
          100 * mean(runs, Result::spansPerSecond) / rawMean,
          mean(runs, Result::cpuNanosPerSpan) / 1000,
          min(runs, Result::cpuNanosPerSpan) / 1000,
          max(runs, Result::cpuNanosPerSpan) / 1000,
          mean(runs, Result::allocatedBytesPerSpan),
          WireSize.of(codec.getKey(), encoded) / batch.size());
    }
    System.out.printf(
        Locale.ROOT,
        "| raw ceiling (plain RowBinary, JDK HTTP client) | %,.0f (%,.0f–%,.0f) | 100%% | %.2f | | %d"
            + " |%n",
        rawMean,
        min(ceiling, Result::spansPerSecond),
        max(ceiling, Result::spansPerSecond),
        mean(ceiling, Result::cpuNanosPerSpan) / 1000,
        encoded.length / batch.size());
    System.out.printf(
        Locale.ROOT,
        "of which RowBinary encoding: %.2f us per span (one thread, the batch encoded again and"
            + " again)%n",
        encodeNanosPerSpan / 1000);
  }

  /**
   * The spans with random trace and span ids, as real ones are: the shared batch numbers them in
   * sequence and repeats per batch, which a compressor would shrink far more than real traffic.
   */
  private static List<SpanData> withRandomIds(List<SpanData> spans, Random random) {
    List<SpanData> distinct = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      SpanContext context =
          SpanContext.create(
              String.format(Locale.ROOT, "%016x%016x", random.nextLong(), random.nextLong()),
              String.format(Locale.ROOT, "%016x", random.nextLong()),
              TraceFlags.getSampled(),
              TraceState.getDefault());
      distinct.add(
          TestSpanData.builder()
              .setSpanContext(context)
              .setName(span.getName())
              .setKind(span.getKind())
              .setResource(span.getResource())
              .setInstrumentationScopeInfo(span.getInstrumentationScopeInfo())
              .setStartEpochNanos(span.getStartEpochNanos())
              .setEndEpochNanos(span.getEndEpochNanos())
              .setHasEnded(true)
              .setStatus(span.getStatus())
              .setAttributes(span.getAttributes())
              .setTotalAttributeCount(span.getTotalAttributeCount())
              .setEvents(span.getEvents())
              .setTotalRecordedEvents(span.getTotalRecordedEvents())
              .build());
    }
    return distinct;
  }

  private static double mean(List<Result> results, ToDoubleFunction<Result> value) {
    return results.stream().mapToDouble(value).average().orElse(Double.NaN);
  }

  private static double min(List<Result> results, ToDoubleFunction<Result> value) {
    return results.stream().mapToDouble(value).min().orElse(Double.NaN);
  }

  private static double max(List<Result> results, ToDoubleFunction<Result> value) {
    return results.stream().mapToDouble(value).max().orElse(Double.NaN);
  }

  private interface Round {
    void run() throws Exception;
  }

  private record Result(
      double spansPerSecond, double cpuNanosPerSpan, double allocatedBytesPerSpan) {}

  /**
   * Repeats {@code round} for {@code seconds}, then runs {@code finish} inside the timed window,
   * and returns spans per second, this JVM's CPU time and allocation per span.
   */
  private static Result measure(Round round, Round finish, int spansPerRound, int seconds)
      throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long cpuStart = os.getProcessCpuTime();
    long allocatedStart = allocated(threads);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long rounds = 0;
    while (System.nanoTime() < end) {
      round.run();
      rounds++;
    }
    finish.run();
    long elapsed = System.nanoTime() - start;
    long spans = rounds * spansPerRound;
    return new Result(
        spans * 1e9 / elapsed,
        (double) (os.getProcessCpuTime() - cpuStart) / spans,
        (double) (allocated(threads) - allocatedStart) / spans);
  }

  /**
   * The exporter as an application uses it: batches are handed over as they come (the export stage
   * queues them and its senders insert them), and the window ends when everything handed over is in
   * the table.
   */
  private static Result measureStream(SpanExporter exporter, List<SpanData> batch, int seconds)
      throws Exception {
    long[] handedOver = {0};
    Round exportOne =
        () -> {
          while (!exporter.export(batch).join(60, TimeUnit.SECONDS).isSuccess()) {
            // the sending queue is full: wait for it to drain, as the SDK's batch processor would
            exporter.flush().join(60, TimeUnit.SECONDS);
          }
          if (++handedOver[0] % 4 == 0) {
            exporter.flush().join(60, TimeUnit.SECONDS);
          }
        };
    Round finish =
        () -> {
          if (!exporter.flush().join(60, TimeUnit.SECONDS).isSuccess()) {
            throw new IllegalStateException("export failed");
          }
        };
    return measure(exportOne, finish, batch.size(), seconds);
  }

  /**
   * CPU time of encoding alone, per span: this thread's time to encode the batch, after warm-up.
   */
  private static double encodingCpu(List<SpanData> batch, RowBinaryOutput rows) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 200; i++) {
      rows.reset();
      for (SpanData span : batch) {
        RowEncoders.span(rows, span);
      }
    }
    long start = threads.getCurrentThreadCpuTime();
    int rounds = 100;
    for (int i = 0; i < rounds; i++) {
      rows.reset();
      for (SpanData span : batch) {
        RowEncoders.span(rows, span);
      }
    }
    return (double) (threads.getCurrentThreadCpuTime() - start) / rounds / batch.size();
  }

  private static long allocated(ThreadMXBean threads) {
    long total = 0;
    for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      if (bytes > 0) {
        total += bytes;
      }
    }
    return total;
  }

  private static void postOnce(HttpClient http, HttpRequest raw) throws Exception {
    HttpResponse<String> response = http.send(raw, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("raw insert failed: " + response.body());
    }
  }
}
