package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadog.api.client.v2.model.HTTPLogItem;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Log entries read with Datadog's own model of an intake log item ({@code HTTPLogItem} of {@code
 * datadog-api-client}), by a parser that refuses a key given twice, as strict intakes do.
 */
class LogEntryModelTest {
  private static final JsonMapper STRICT =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static List<HTTPLogItem> encode(LogRecordData log) throws Exception {
    DatadogSettings settings =
        DatadogExporters.builder().apiKey("0123456789abcdef0123456789abcdef").settings();
    List<JsonChunks.Chunk> chunks = new LogEncoder(settings).encode(List.of(log)).chunks();
    assertThat(chunks).hasSize(1);
    return STRICT.readValue(chunks.get(0).body(), new TypeReference<List<HTTPLogItem>>() {});
  }

  @Test
  void attributesNamedAsReservedKeysNeitherRepeatNorReplaceThem() throws Exception {
    Attributes attributes =
        Attributes.builder()
            .put("message", "attribute-message")
            .put("status", "attribute-status")
            .put("service", "attribute-service")
            .put("hostname", "attribute-host")
            .put("ddsource", "attribute-source")
            .put("ddtags", "attribute:tags")
            .put(AttributeKey.longKey("timestamp"), 42L)
            .put("otel.trace_id", "attribute-trace")
            .put("order.id", "A-17")
            .build();
    LogRecordData log =
        TestLogRecordData.builder()
            .setResource(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout")))
            .setTimestamp(1_700_000_000_000L, TimeUnit.MILLISECONDS)
            .setSeverity(Severity.ERROR)
            .setBody("payment failed")
            .setAttributes(attributes)
            .build();

    HTTPLogItem item = encode(log).get(0);

    assertThat(item.getMessage()).isEqualTo("payment failed");
    assertThat(item.getService()).isEqualTo("checkout");
    assertThat(item.getDdsource()).isEqualTo("otel");
    assertThat(item.getDdtags()).doesNotContain("attribute:tags");
    assertThat(item.getAdditionalProperties())
        .containsEntry("status", "error")
        .containsEntry("order.id", "A-17")
        .containsEntry("otel.attributes.message", "attribute-message")
        .containsEntry("otel.attributes.status", "attribute-status")
        .containsEntry("otel.attributes.service", "attribute-service")
        .containsEntry("otel.attributes.hostname", "attribute-host")
        .containsEntry("otel.attributes.ddsource", "attribute-source")
        .containsEntry("otel.attributes.ddtags", "attribute:tags")
        .containsKey("otel.attributes.timestamp");
    assertThat(String.valueOf(item.getAdditionalProperties().get("timestamp")))
        .isEqualTo("1700000000000");
    assertThat(String.valueOf(item.getAdditionalProperties().get("otel.attributes.timestamp")))
        .isEqualTo("42");
    assertThat(item.getHostname()).isNotEqualTo("attribute-host");
  }

  @Test
  void exceptionsAreAlsoGivenAsDatadogsStandardErrorAttributes() throws Exception {
    LogRecordData log =
        TestLogRecordData.builder()
            .setResource(Resource.getDefault())
            .setTimestamp(1_700_000_000_000L, TimeUnit.MILLISECONDS)
            .setSeverity(Severity.ERROR)
            .setBody("payment failed")
            .setAttributes(
                Attributes.builder()
                    .put("exception.type", "java.net.SocketTimeoutException")
                    .put("exception.message", "read timed out")
                    .put(
                        "exception.stacktrace",
                        "java.net.SocketTimeoutException: read timed out\n\tat x")
                    .build())
            .build();

    HTTPLogItem item = encode(log).get(0);

    assertThat(item.getAdditionalProperties())
        .containsEntry("error.kind", "java.net.SocketTimeoutException")
        .containsEntry("error.message", "read timed out")
        .containsEntry("error.stack", "java.net.SocketTimeoutException: read timed out\n\tat x")
        .containsEntry("exception.type", "java.net.SocketTimeoutException");
  }
}
