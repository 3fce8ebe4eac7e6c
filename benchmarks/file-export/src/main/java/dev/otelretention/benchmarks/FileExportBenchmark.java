package dev.otelretention.benchmarks;

import dev.otelretention.export.ExportStats;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.file.RotationPolicy;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spans per second written by the rotating OTLP/JSON file exporter, with rotation on (64 MiB files,
 * 2 backups, so a run rotates many times), and the process's CPU time per span ({@link
 * ProcessCpu}). Compare with {@code PeerFileExportBenchmark} in the same run. Three forks, so that
 * one JVM's layout or JIT decisions do not make the figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(BenchmarkSpans.BATCH_SIZE)
@Fork(3)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class FileExportBenchmark {
  private Path directory;
  private SpanExporter exporter;
  private ExportStats stats;
  private List<SpanData> batch;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    directory = BenchmarkFiles.scratchDirectory("otel-retention-bench");
    stats = new ExportStats("file/traces", "otlp_file_span_exporter", Signal.TRACES);
    exporter =
        RotatingFileExporters.builder()
            .directory(directory)
            .flushInterval(Duration.ofSeconds(1))
            .rotation(RotationPolicy.builder().maxFileSize(64L << 20).maxBackups(2).build())
            .buildSpanExporter(stats);
    batch = BenchmarkSpans.batch();
    Path probe = BenchmarkFiles.scratchDirectory("otel-retention-probe");
    SpanExporter once =
        RotatingFileExporters.builder()
            .directory(probe)
            .flushInterval(Duration.ZERO)
            .buildSpanExporter();
    once.export(batch);
    once.shutdown();
    System.out.printf(
        "%nrotating file exporter: %d bytes per span%n",
        Files.size(probe.resolve("traces.jsonl")) / batch.size());
    BenchmarkFiles.deleteRecursively(probe);
  }

  @Benchmark
  public CompletableResultCode rotatingFileExporter(ProcessCpu cpu) {
    cpu.spans += BenchmarkSpans.BATCH_SIZE;
    return exporter.export(batch);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    long spans = stats.exported();
    long bytes = BenchmarkFiles.totalSize(directory);
    if (spans == 0 || stats.dropped() > 0) {
      throw new IllegalStateException(
          "benchmark wrote " + spans + " spans and dropped " + stats.dropped());
    }
    System.out.printf(
        "%nrotating file exporter: %d spans written, dropped %d%n", spans, stats.dropped());
    BenchmarkFiles.deleteRecursively(directory);
    if (bytes == 0) {
      throw new IllegalStateException("no bytes written");
    }
  }
}
