package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.otlpjson.OtlpJsonEncoder;
import dev.otelretention.otlpjson.OtlpJsonEncoderTest;
import dev.otelretention.testing.RandomTelemetry;
import dev.otelretention.traces.OtlpJsonSpans;
import dev.otelretention.traces.TraceSpan;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The span skim of the trace list reads what the full decoder reads, less the attributes. */
class OtlpJsonSpansTest {

  private static List<TraceSpan> skim(String json) {
    List<TraceSpan> spans = new ArrayList<>();
    OtlpJsonSpans.read(json, spans::add);
    return spans;
  }

  private static List<TraceSpan> decoded(String json) {
    List<TraceSpan> spans = new ArrayList<>();
    for (SpanData span : OtlpJsonDecoder.decode(json).spans()) {
      TraceSpan full = FileTraces.toTraceSpan(span);
      spans.add(
          new TraceSpan(
              full.traceId(),
              full.spanId(),
              full.parentSpanId(),
              full.name(),
              full.service(),
              full.startEpochNanos(),
              full.endEpochNanos(),
              full.error(),
              "",
              Map.of()));
    }
    return spans;
  }

  private static String json(List<SpanData> spans) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OtlpJsonEncoder.writeSpans(spans, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void readsWhatTheDecoderReads() throws Exception {
    String sample = json(OtlpJsonEncoderTest.sampleSpans());
    assertThat(skim(sample)).isNotEmpty().isEqualTo(decoded(sample));

    InMemorySpanExporter memory = InMemorySpanExporter.create();
    RandomTelemetry random = new RandomTelemetry(17);
    String many;
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(memory))
                    .build())
            .build()) {
      random.spans(sdk.getTracer("skim"), 300);
      // read before the exporter's shutdown clears them
      many = json(memory.getFinishedSpanItems());
    }
    assertThat(skim(many)).as("seed " + random.seed()).hasSize(300).isEqualTo(decoded(many));
  }

  @Test
  void takesSnakeCaseNamesNumbersAndStatusNames() {
    String json =
        "{\"resource_spans\":[{\"scope_spans\":[{\"spans\":[{\"trace_id\":\"5B8EFFF798038103D269B633813FC60C\","
            + "\"span_id\":\"EEE19B7EC3C1B174\",\"parent_span_id\":\"\",\"name\":\"work\","
            + "\"start_time_unix_nano\":1000,\"end_time_unix_nano\":\"3000\","
            + "\"status\":{\"code\":\"STATUS_CODE_ERROR\"}}]}],"
            + "\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"string_value\":\"late\"}}]}}]}";
    assertThat(skim(json))
        .containsExactly(
            new TraceSpan(
                "5b8efff798038103d269b633813fc60c",
                "eee19b7ec3c1b174",
                "",
                "work",
                "late",
                1000,
                3000,
                true,
                "",
                Map.of()));
  }

  @Test
  void refusesWhatIsNotATracesRequest() {
    assertThatThrownBy(() -> skim("[1,2]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> skim("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"x\"}]}]}]}"))
        .hasMessageContaining("without traceId");
    assertThatThrownBy(() -> skim("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
