package dev.otelretention.benchmarks.pipeline;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.file.RotationPolicy;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The pipelines the benchmark compares: the SDK's own exporters, and this library's sinks. */
final class Pipelines {
  private Pipelines() {}

  /** A pipeline under test: its tracer, how to flush and close it, and what it delivered so far. */
  interface Pipeline extends AutoCloseable {
    Tracer tracer();

    void flush();

    long delivered() throws Exception;

    @Override
    void close() throws Exception;
  }

  @FunctionalInterface
  interface Count {
    long get() throws Exception;
  }

  /** The SDK's tracer provider with its batch processor and defaults in front of an exporter. */
  static final class SdkPipeline implements Pipeline {
    private final SdkTracerProvider provider;
    private final Count delivered;

    SdkPipeline(SpanExporter exporter, Count delivered) {
      var builder = SdkTracerProvider.builder().setResource(PipelineRun.RESOURCE);
      if (exporter != null) {
        builder.addSpanProcessor(BatchSpanProcessor.builder(exporter).build());
      }
      this.provider = builder.build();
      this.delivered = delivered;
    }

    @Override
    public Tracer tracer() {
      return provider.get("benchmark.http", "1.0.0");
    }

    @Override
    public void flush() {
      provider.forceFlush().join(60, TimeUnit.SECONDS);
    }

    @Override
    public long delivered() throws Exception {
      return delivered.get();
    }

    @Override
    public void close() {
      provider.shutdown().join(60, TimeUnit.SECONDS);
    }
  }

  static class RetentionPipeline implements Pipeline {
    private final TelemetryRetention telemetry;
    private final Count delivered;
    private boolean closed;

    RetentionPipeline(TelemetryRetention telemetry, Count delivered) {
      this.telemetry = telemetry;
      this.delivered = delivered;
    }

    @Override
    public Tracer tracer() {
      return telemetry.openTelemetry().getTracer("benchmark.http", "1.0.0");
    }

    @Override
    public void flush() {
      if (!telemetry.flush(Duration.ofSeconds(60))) {
        System.err.println("flush did not complete");
      }
    }

    @Override
    public long delivered() throws Exception {
      return delivered.get();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        telemetry.close();
      }
    }
  }

  /** The rotating file sink in a directory of its own; spans are counted in the files. */
  static final class FilePipeline extends RetentionPipeline {
    private final Path directory;

    FilePipeline(Path directory) {
      super(
          PipelineRun.retention()
              .addSink(
                  RotatingFileExporters.builder()
                      .directory(directory)
                      // the default rotation, but no backup deleted: every span is counted
                      .rotation(RotationPolicy.builder().maxBackups(1_000_000).build())
                      .buildSink())
              .build(),
          () -> 0);
      this.directory = directory;
    }

    /** Deletes the written files. */
    void deleteFiles() throws IOException {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path file :
            (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(file);
        }
      }
    }

    @Override
    public long delivered() throws IOException {
      return spansInFiles();
    }

    /**
     * Spans in the written OTLP/JSON files: every span object has one {@code "spanId"} key (the
     * parent's is {@code "parentSpanId"}, and these spans have no links).
     */
    long spansInFiles() throws IOException {
      byte[] needle = "\"spanId\":".getBytes(StandardCharsets.UTF_8);
      long count = 0;
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (!file.getFileName().toString().startsWith("traces")
              || file.getFileName().toString().endsWith(".lock")) {
            continue;
          }
          try (InputStream in = Files.newInputStream(file)) {
            count += occurrences(in, needle);
          }
        }
      }
      return count;
    }

    private static long occurrences(InputStream in, byte[] needle) throws IOException {
      byte[] buffer = new byte[1 << 16];
      int matched = 0;
      long count = 0;
      int read;
      while ((read = in.read(buffer)) > 0) {
        for (int i = 0; i < read; i++) {
          if (buffer[i] == needle[matched]) {
            if (++matched == needle.length) {
              count++;
              matched = 0;
            }
          } else {
            matched = buffer[i] == needle[0] ? 1 : 0;
          }
        }
      }
      return count;
    }
  }
}
