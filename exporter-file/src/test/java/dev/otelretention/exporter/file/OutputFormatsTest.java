package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.otlpjson.DecodedTelemetry;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.otlpjson.testing.OtlpProto;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by earlier versions stay readable, by this library's reader and by the official
 * OTLP classes: {@code output-formats/v1/traces.jsonl} in the test resources was written once by
 * the file exporter (with {@link #main}) and is never rewritten.
 */
class OutputFormatsTest {
  private static final Instant STARTED = Instant.parse("2026-12-05T10:00:00Z");

  @TempDir Path dir;

  /** One span of each kind, so that every kind's number is in the file. */
  static List<SpanData> spans() {
    List<SpanData> spans = new ArrayList<>();
    long start = STARTED.getEpochSecond() * 1_000_000_000L;
    SpanKind[] kinds = SpanKind.values();
    for (int i = 0; i < kinds.length; i++) {
      spans.add(
          TestSpanData.builder()
              .setSpanContext(
                  SpanContext.create(
                      "0af7651916cd43dd8448eb211c80319c",
                      String.format("%016x", i + 1),
                      TraceFlags.getSampled(),
                      TraceState.getDefault()))
              .setName("kind-" + kinds[i].name().toLowerCase(java.util.Locale.ROOT))
              .setKind(kinds[i])
              .setResource(Resource.builder().put("service.name", "formats").build())
              .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("formats"))
              .setAttributes(Attributes.of(AttributeKey.longKey("index"), (long) i))
              .setStartEpochNanos(start + i)
              .setEndEpochNanos(start + i + 1_000)
              .setHasEnded(true)
              .setStatus(i == 0 ? StatusData.error() : StatusData.unset())
              .build());
    }
    return spans;
  }

  @Test
  void theFirstTracesFormatReadsWithTheOfficialClassesAndThisReader() throws Exception {
    Path file = dir.resolve("traces.jsonl");
    Files.copy(Path.of("src/test/resources/output-formats/v1/traces.jsonl"), file);
    List<OtlpJsonRecord> records;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(file)) {
      records = reader.readAll();
    }
    assertThat(records).hasSize(1);

    ExportTraceServiceRequest official = OtlpProto.traces(records.get(0).json());
    List<Span> spans = official.getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertThat(spans)
        .extracting(Span::getName, span -> span.getKind().getNumber())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("kind-internal", 1),
            org.assertj.core.groups.Tuple.tuple("kind-server", 2),
            org.assertj.core.groups.Tuple.tuple("kind-client", 3),
            org.assertj.core.groups.Tuple.tuple("kind-producer", 4),
            org.assertj.core.groups.Tuple.tuple("kind-consumer", 5));
    assertThat(OtlpProto.hex(spans.get(1).getSpanId())).isEqualTo("0000000000000002");
    assertThat(spans.get(0).getStartTimeUnixNano())
        .isEqualTo(STARTED.getEpochSecond() * 1_000_000_000L);
    assertThat(spans.get(0).getStatus().getCodeValue()).isEqualTo(2);

    DecodedTelemetry decoded = OtlpJsonDecoder.decode(records.get(0).json());
    assertThat(decoded.spans())
        .extracting(SpanData::getKind)
        .containsExactly(
            SpanKind.INTERNAL,
            SpanKind.SERVER,
            SpanKind.CLIENT,
            SpanKind.PRODUCER,
            SpanKind.CONSUMER);
    assertThat(decoded.spans().get(4).getAttributes().get(AttributeKey.longKey("index")))
        .isEqualTo(4L);
  }

  /**
   * Writes {@code traces.jsonl} of the current format into {@code args[0]}; run once per format.
   */
  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    Path work = Files.createTempDirectory("output-formats");
    SpanExporter exporter = RotatingFileExporters.builder().directory(work).buildSpanExporter();
    exporter.export(spans()).join(10, TimeUnit.SECONDS);
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    Files.copy(
        work.resolve("traces.jsonl"),
        target.resolve("traces.jsonl"),
        StandardCopyOption.REPLACE_EXISTING);
  }
}
