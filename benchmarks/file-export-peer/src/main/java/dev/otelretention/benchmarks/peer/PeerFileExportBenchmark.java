package dev.otelretention.benchmarks.peer;

import dev.otelretention.benchmarks.BenchmarkFiles;
import dev.otelretention.benchmarks.BenchmarkSpans;
import dev.otelretention.benchmarks.ProcessCpu;
import io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spans per second written by OpenTelemetry's own OTLP/JSON exporters (SDK 1.63.0), writing the
 * same spans as {@code FileExportBenchmark}: {@code logging-jul} is {@link
 * OtlpJsonLoggingSpanExporter} through a rotating JUL {@link FileHandler} (64 MiB files, 3
 * generations); {@code stdout-file} is the OTLP stdout exporter (made through autoconfigure's
 * public SPI, {@code experimental-otlp/stdout}) whose standard output is a 64 KiB-buffered file
 * stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(BenchmarkSpans.BATCH_SIZE)
@Fork(3)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class PeerFileExportBenchmark {
  private static final String LOGGER_NAME = OtlpJsonLoggingSpanExporter.class.getName();

  @Param({"logging-jul", "stdout-file"})
  public String peer;

  private Path directory;
  private SpanExporter exporter;
  private FileHandler handler;
  private OutputStream stream;
  private AutoConfiguredOpenTelemetrySdk autoconfigured;
  private List<SpanData> batch;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    directory = BenchmarkFiles.scratchDirectory("otel-peer-bench");
    batch = BenchmarkSpans.batch();
    if (peer.equals("logging-jul")) {
      Logger logger = Logger.getLogger(LOGGER_NAME);
      handler = new FileHandler(directory.resolve("traces.%g.json").toString(), 64 << 20, 3, false);
      handler.setFormatter(
          new Formatter() {
            @Override
            public String format(LogRecord record) {
              return record.getMessage() + System.lineSeparator();
            }
          });
      logger.setUseParentHandlers(false);
      logger.addHandler(handler);
      logger.setLevel(java.util.logging.Level.INFO);
      exporter = OtlpJsonLoggingSpanExporter.create();
    } else {
      stream =
          new BufferedOutputStream(
              Files.newOutputStream(directory.resolve("traces.json")), 64 * 1024);
      PrintStream original = System.out;
      AtomicReference<SpanExporter> captured = new AtomicReference<>();
      System.setOut(new PrintStream(stream, false, "UTF-8"));
      try {
        autoconfigured =
            AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(
                    () ->
                        Map.of(
                            "otel.traces.exporter", "experimental-otlp/stdout",
                            "otel.metrics.exporter", "none",
                            "otel.logs.exporter", "none"))
                .addSpanExporterCustomizer(
                    (created, config) -> {
                      captured.set(created);
                      return created;
                    })
                .disableShutdownHook()
                .build();
      } finally {
        System.setOut(original);
      }
      exporter = captured.get();
    }
  }

  @Benchmark
  public CompletableResultCode sdkExporter(ProcessCpu cpu) {
    cpu.spans += BenchmarkSpans.BATCH_SIZE;
    return exporter.export(batch);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (handler != null) {
      handler.flush();
    }
    if (stream != null) {
      stream.flush();
    }
    long bytes = BenchmarkFiles.totalSize(directory);
    if (bytes == 0) {
      throw new IllegalStateException(peer + " wrote nothing");
    }
    exporter.export(batch);
    if (handler != null) {
      handler.close();
      Logger.getLogger(LOGGER_NAME).removeHandler(handler);
    }
    if (autoconfigured != null) {
      autoconfigured.getOpenTelemetrySdk().shutdown().join(10, TimeUnit.SECONDS);
    }
    if (stream != null) {
      stream.close();
    }
    BenchmarkFiles.deleteRecursively(directory);
    probeBytesPerSpan();
  }

  private void probeBytesPerSpan() throws IOException {
    Path probe = Files.createTempFile("otel-peer-probe", ".json");
    try (OutputStream out = Files.newOutputStream(probe)) {
      PrintStream original = System.out;
      AtomicReference<SpanExporter> captured = new AtomicReference<>();
      System.setOut(new PrintStream(out, true, "UTF-8"));
      try {
        AutoConfiguredOpenTelemetrySdk sdk =
            AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(
                    () ->
                        Map.of(
                            "otel.traces.exporter",
                            "experimental-otlp/stdout",
                            "otel.metrics.exporter",
                            "none",
                            "otel.logs.exporter",
                            "none"))
                .addSpanExporterCustomizer(
                    (created, config) -> {
                      captured.set(created);
                      return created;
                    })
                .disableShutdownHook()
                .build();
        captured.get().export(batch);
        captured.get().flush();
        sdk.getOpenTelemetrySdk().shutdown().join(10, TimeUnit.SECONDS);
      } finally {
        System.setOut(original);
      }
    }
    System.out.printf("%n%s: %d bytes per span%n", peer, Files.size(probe) / batch.size());
    Files.delete(probe);
  }
}
