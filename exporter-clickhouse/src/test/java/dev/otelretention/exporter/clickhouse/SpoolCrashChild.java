package dev.otelretention.exporter.clickhouse;

import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.sink.SinkContext;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process that exports batches of 50 spans through the ClickHouse exporter with the spool on, and
 * appends the name of every batch whose {@code export()} succeeded to a file, until it is killed.
 * Arguments: endpoint, password, database, spool directory, acknowledgement file, first batch
 * number.
 */
public final class SpoolCrashChild {
  static final int SPANS_PER_BATCH = 50;

  private SpoolCrashChild() {}

  static SinkContext context(Path spool) {
    return SinkContext.builder()
        .sinkName("clickhouse")
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
      String spanId = String.format("%016x", (long) name.hashCode() * 1000 + i + 1);
      spans.add(
          TestSpanData.builder()
              .setSpanContext(
                  SpanContext.create(
                      "0af7651916cd43dd8448eb211c80319c",
                      spanId,
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

  /** Runs until killed. */
  public static void main(String[] args) throws Exception {
    ClickHouseSink sink =
        (ClickHouseSink)
            ClickHouseExporters.builder()
                .endpoint(args[0])
                .password(args[1])
                .database(args[2])
                .buildSink();
    SpanExporter exporter = sink.createSpanExporter(context(Path.of(args[3])));
    try (OutputStream acknowledged = new FileOutputStream(args[4], true)) {
      for (long number = Long.parseLong(args[5]); ; number++) {
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
