package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * Span maps as the Agent's v0.4 decoder reads them: links and events in the {@code meta} JSON forms
 * it reads ({@code _dd.span_links}, {@code events}), the HTTP status as dd-trace-java sends it, and
 * the service normalized as the Agent normalizes it. Built from the documented forms; no Agent runs
 * here.
 */
class SpanPayloadTest {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String LINKED_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  private static Map<String, String> meta(SpanData span) throws Exception {
    DatadogSettings settings =
        DatadogExporters.builder().apiKey("0123456789abcdef0123456789abcdef").settings();
    byte[] body = new TraceEncoder(settings).encode(List.of(span)).get(0).body();
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(body)) {
      Value spanMap = unpacker.unpackValue().asArrayValue().get(0).asArrayValue().get(0);
      Map<String, String> fields = new HashMap<>();
      for (Map.Entry<Value, Value> field : spanMap.asMapValue().entrySet()) {
        String key = field.getKey().asStringValue().asString();
        if (key.equals("meta")) {
          for (Map.Entry<Value, Value> entry : field.getValue().asMapValue().entrySet()) {
            fields.put(
                entry.getKey().asStringValue().asString(),
                entry.getValue().asStringValue().asString());
          }
        } else if (key.equals("service")) {
          fields.put("(service)", field.getValue().asStringValue().asString());
        }
      }
      return fields;
    }
  }

  @Test
  void spanTagsWinOverResourceTagsAndEachSpanKeepsItsOwnResource() throws Exception {
    Resource shop =
        Resource.create(
            Attributes.builder()
                .put("service.name", "shop")
                .put("team", "from-resource")
                .put("deployment.environment.name", "prod")
                .put("zone", "eu-1")
                .build());
    Resource billing =
        Resource.create(
            Attributes.builder().put("service.name", "billing").put("team", "billing").build());
    DatadogSettings settings =
        DatadogExporters.builder().apiKey("0123456789abcdef0123456789abcdef").settings();
    TraceEncoder encoder = new TraceEncoder(settings);
    List<SpanData> batch = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      batch.add(
          TestSpanData.builder()
              .setSpanContext(
                  SpanContext.create(
                      TRACE_ID,
                      String.format(Locale.ROOT, "%016x", i + 1),
                      TraceFlags.getSampled(),
                      TraceState.getDefault()))
              .setResource(i % 3 == 2 ? billing : shop)
              .setName("work")
              .setKind(SpanKind.INTERNAL)
              .setAttributes(
                  i % 2 == 0
                      ? Attributes.of(AttributeKey.stringKey("team"), "from-span")
                      : Attributes.empty())
              .setStartEpochNanos(1_000)
              .setEndEpochNanos(2_000)
              .setHasEnded(true)
              .setStatus(StatusData.unset())
              .build());
    }
    for (int round = 0; round < 2; round++) {
      byte[] body = encoder.encode(batch).get(0).body();
      try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(body)) {
        List<Value> spans = unpacker.unpackValue().asArrayValue().get(0).asArrayValue().list();
        assertThat(spans).hasSize(6);
        for (int i = 0; i < 6; i++) {
          Map<String, String> meta = new LinkedHashMap<>();
          for (Map.Entry<Value, Value> field : spans.get(i).asMapValue().entrySet()) {
            if (field.getKey().asStringValue().asString().equals("meta")) {
              for (Map.Entry<Value, Value> entry : field.getValue().asMapValue().entrySet()) {
                assertThat(meta.put(entry.getKey().toString(), entry.getValue().toString()))
                    .as("a key once")
                    .isNull();
              }
            }
          }
          boolean onShop = i % 3 != 2;
          assertThat(meta.get("team"))
              .isEqualTo(i % 2 == 0 ? "from-span" : onShop ? "from-resource" : "billing");
          assertThat(meta.get("zone")).isEqualTo(onShop ? "eu-1" : null);
          assertThat(meta.get("env")).isEqualTo(onShop ? "prod" : null);
          assertThat(new ArrayList<>(meta.keySet())).as("in key order").isSorted();
        }
      }
    }
  }

  @Test
  void linksEventsStatusAndServiceReachTheAgentsFields() throws Exception {
    SpanContext linked =
        SpanContext.create(
            LINKED_TRACE_ID,
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "value").build());
    SpanData span =
        TestSpanData.builder()
            .setSpanContext(
                SpanContext.create(
                    TRACE_ID, "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault()))
            .setResource(
                Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), "Checkout Service")))
            .setName("GET /pay")
            .setKind(SpanKind.SERVER)
            .setStartEpochNanos(1_000)
            .setEndEpochNanos(2_000)
            .setHasEnded(true)
            .setStatus(StatusData.error())
            .setAttributes(Attributes.of(AttributeKey.longKey("http.response.status_code"), 503L))
            .setLinks(
                List.of(
                    LinkData.create(
                        linked, Attributes.of(AttributeKey.stringKey("reason"), "retry"))))
            .setEvents(
                List.of(
                    EventData.create(
                        1_500,
                        "cache miss",
                        Attributes.of(AttributeKey.stringKey("key"), "cart:17")),
                    EventData.create(
                        1_600,
                        "exception",
                        Attributes.of(
                            AttributeKey.stringKey("exception.type"), "java.io.IOException"))))
            .setTotalRecordedEvents(2)
            .setTotalRecordedLinks(1)
            .build();

    Map<String, String> meta = meta(span);

    assertThat(meta.get("(service)")).isEqualTo("checkout_service");
    assertThat(meta.get("http.status_code")).isEqualTo("503");
    assertThat(meta.get("error.type")).isEqualTo("java.io.IOException");
    ObjectMapper json = new ObjectMapper();
    JsonNode link = json.readTree(meta.get("_dd.span_links")).get(0);
    assertThat(link.get("trace_id").asText()).isEqualTo(LINKED_TRACE_ID);
    assertThat(link.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(link.get("tracestate").asText()).isEqualTo("vendor=value");
    assertThat(link.get("flags").asLong()).isEqualTo(0x80000001L);
    assertThat(link.get("attributes").get("reason").asText()).isEqualTo("retry");
    JsonNode events = json.readTree(meta.get("events"));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("name").asText()).isEqualTo("cache miss");
    assertThat(events.get(0).get("time_unix_nano").asLong()).isEqualTo(1_500);
    assertThat(events.get(0).get("attributes").get("key").asText()).isEqualTo("cart:17");
  }

  @Test
  void theServiceIsTheSameInLogs() throws Exception {
    DatadogSettings settings =
        DatadogExporters.builder()
            .apiKey("0123456789abcdef0123456789abcdef")
            .service("Checkout Service")
            .settings();
    assertThat(Tags.service(settings, Resource.empty())).isEqualTo("checkout_service");
  }
}
