package dev.otelretention.otlpjson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.otlpjson.testing.OtlpProto;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decoder against the protobuf JSON parser over the official OTLP classes: what it decodes
 * matches what that parser reads from the same text, also after encoding the decoded data again.
 */
class OtlpJsonDecoderTest {

  private static String spansJson(List<SpanData> spans) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OtlpJsonEncoder.writeSpans(spans, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String metricsJson(List<MetricData> metrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OtlpJsonEncoder.writeMetrics(metrics, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String logsJson(List<LogRecordData> logs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OtlpJsonEncoder.writeLogs(logs, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void spansDecodeToWhatTheProtobufParserReads() throws IOException {
    String json = spansJson(OtlpJsonEncoderTest.sampleSpans());
    DecodedTelemetry decoded = OtlpJsonDecoder.decode(json);
    assertThat(decoded.metrics()).isEmpty();
    assertThat(decoded.logs()).isEmpty();
    OtlpJsonEncoderTest.assertSpansMatch(decoded.spans(), OtlpProto.traces(json));
    // encoded again, the decoded spans still match the original text (attributes may come out in
    // key order)
    OtlpJsonEncoderTest.assertSpansMatch(
        decoded.spans(), OtlpProto.traces(spansJson(decoded.spans())));
    assertThat(OtlpJsonDecoder.decode(spansJson(decoded.spans())).spans())
        .hasSize(decoded.spans().size());
    assertThat(decoded.items()).isEqualTo(decoded.spans().size());
  }

  @Test
  void metricsOfEveryTypeAndTemporalityDecode() throws IOException {
    for (boolean delta : List.of(false, true)) {
      String json = metricsJson(OtlpJsonEncoderTest.sampleMetrics(delta));
      DecodedTelemetry decoded = OtlpJsonDecoder.decode(json);
      OtlpJsonEncoderTest.assertMetricsMatch(decoded.metrics(), OtlpProto.metrics(json));
      assertThat(decoded.metrics())
          .extracting(MetricData::getType)
          .contains(MetricDataType.values());
      OtlpJsonEncoderTest.assertMetricsMatch(
          decoded.metrics(), OtlpProto.metrics(metricsJson(decoded.metrics())));
    }
  }

  @Test
  void logsWithEveryBodyKindDecode() throws IOException {
    List<LogRecordData> logs = OtlpJsonEncoderTest.sampleLogs();
    String json = logsJson(logs);
    DecodedTelemetry decoded = OtlpJsonDecoder.decode(json);
    assertThat(decoded.logs()).hasSize(logs.size());
    for (int i = 0; i < logs.size(); i++) {
      LogRecordData expected = logs.get(i);
      LogRecordData actual = decoded.logs().get(i);
      assertThat(actual.getTimestampEpochNanos()).isEqualTo(expected.getTimestampEpochNanos());
      assertThat(actual.getSeverity()).isEqualTo(expected.getSeverity());
      assertThat(OtlpProto.toJava(actual.getBodyValue()))
          .isEqualTo(OtlpProto.toJava(expected.getBodyValue()));
      assertThat(OtlpProto.toMap(actual.getAttributes()))
          .isEqualTo(OtlpProto.toMap(expected.getAttributes()));
      assertThat(actual.getSpanContext()).isEqualTo(expected.getSpanContext());
      assertThat(actual.getEventName()).isEqualTo(expected.getEventName());
    }
    assertThat(OtlpJsonDecoder.decode(logsJson(decoded.logs())).logs()).hasSize(logs.size());
  }

  @Test
  void acceptsTheOtherSpellingsOfOtlpJson() {
    // enum names and numbers for 64-bit integers, as other writers produce them
    String json =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
            + "{\"stringValue\":\"legacy\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"old\"},\"spans\":[{"
            + "\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\",\"flags\":256,\"name\":\"GET /\","
            + "\"kind\":\"SPAN_KIND_SERVER\",\"startTimeUnixNano\":1700000000000000000,\"endTimeUnixNano\":\"1700000000500000000\","
            + "\"attributes\":[{\"key\":\"retries\",\"value\":{\"intValue\":3}},{\"key\":\"ratio\",\"value\":{\"doubleValue\":\"NaN\"}},"
            + "{\"key\":\"mixed\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},{\"intValue\":\"1\"}]}}}],"
            + "\"status\":{\"code\":\"STATUS_CODE_ERROR\",\"message\":\"boom\"}}]}]}]}";
    SpanData span = OtlpJsonDecoder.decode(json).spans().get(0);
    OtlpJsonEncoderTest.assertSpansMatch(List.of(span), OtlpProto.traces(json));
    assertThat(
            OtlpJsonDecoder.decode(
                    json.replace(
                        "0af7651916cd43dd8448eb211c80319c", "0AF7651916CD43DD8448EB211C80319C"))
                .spans()
                .get(0)
                .getTraceId())
        .as("upper-case hex")
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getStartEpochNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(span.getAttributes().get(AttributeKey.longKey("retries"))).isEqualTo(3L);
    assertThat(span.getAttributes().get(AttributeKey.doubleKey("ratio"))).isNaN();
    assertThat(span.getAttributes().get(AttributeKey.valueKey("mixed")))
        .isEqualTo(Value.of(Value.of("a"), Value.of(1L)));

    String metrics =
        "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"up\",\"sum\":{"
            + "\"aggregationTemporality\":\"AGGREGATION_TEMPORALITY_DELTA\",\"isMonotonic\":true,\"dataPoints\":["
            + "{\"timeUnixNano\":\"5\",\"asInt\":\"7\"},{\"timeUnixNano\":\"6\",\"asDouble\":0.5}]}}]}]}]}";
    MetricData sum = OtlpJsonDecoder.decode(metrics).metrics().get(0);
    assertThat(sum.getType())
        .as("a mix of int and double points is a double sum")
        .isEqualTo(MetricDataType.DOUBLE_SUM);
    assertThat(sum.getDoubleSumData().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.DELTA);
    assertThat(sum.getDoubleSumData().getPoints())
        .extracting(p -> p.getValue())
        .containsExactly(7.0, 0.5);

    String logs =
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityNumber\":\"SEVERITY_NUMBER_ERROR\","
            + "\"body\":{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":{\"boolValue\":true}}]}}}]}]}]}";
    LogRecordData log = OtlpJsonDecoder.decode(logs).logs().get(0);
    assertThat(log.getSeverity()).isEqualTo(Severity.ERROR);
    assertThat(log.getSpanContext().isValid()).isFalse();
    assertThat(OtlpProto.toJava(log.getBodyValue())).isEqualTo(Map.of("k", true));
  }

  @Test
  void badInputIsRefusedWithThePathOfTheField() {
    assertThatThrownBy(
            () ->
                OtlpJsonDecoder.decode(
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 32 hex digits, got 'xyz'");
    assertThatThrownBy(
            () ->
                OtlpJsonDecoder.decode(
                    "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"m\","
                        + "\"sum\":{\"dataPoints\":[]}}]}]}]}"))
        .hasMessageContaining(
            "resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality: aggregation"
                + " temporality must be DELTA (1) or CUMULATIVE (2), got 0");
    assertThatThrownBy(
            () ->
                OtlpJsonDecoder.decode(
                    "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"soon\"}]}]}]}"))
        .hasMessage(
            "resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano: 'soon' is not an integer");
    assertThatThrownBy(() -> OtlpJsonDecoder.decode("[1]"))
        .hasMessage("request: expected an object");
    assertThatThrownBy(() -> OtlpJsonDecoder.decode("{\"spans\":[]}"))
        .hasMessageContaining("not an OTLP/JSON request");
    assertThatThrownBy(() -> OtlpJsonDecoder.decode("{\"resourceSpans\":"))
        .hasMessageStartingWith("malformed JSON");
  }
}
