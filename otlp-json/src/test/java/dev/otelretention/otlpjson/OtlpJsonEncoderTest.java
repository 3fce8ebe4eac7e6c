package dev.otelretention.otlpjson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.otlpjson.testing.OtlpProto;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.metrics.TestMetricData;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every encoded line is parsed back with protobuf's JSON parser over the official OTLP classes and
 * compared field by field with the SDK data it came from.
 */
public class OtlpJsonEncoderTest {
  private static final Resource RESOURCE =
      Resource.create(
          Attributes.builder()
              .put("service.name", "checkout")
              .put("host.cores", 8L)
              .put("deployment.tags", "blue", "canary")
              .build(),
          "https://opentelemetry.io/schemas/1.24.0");

  private static String encodeSpans(Collection<SpanData> spans) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OtlpJsonEncoder.writeSpans(spans, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String encodeMetrics(Collection<MetricData> metrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OtlpJsonEncoder.writeMetrics(metrics, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String encodeLogs(Collection<LogRecordData> logs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OtlpJsonEncoder.writeLogs(logs, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- spans

  public static List<SpanData> sampleSpans() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .setSpanLimits(
                SpanLimits.builder().setMaxNumberOfAttributes(12).setMaxNumberOfEvents(3).build())
            .addSpanProcessor(SimpleSpanProcessor.create(memory))
            .build()) {
      Tracer tracer =
          provider
              .tracerBuilder("shop.orders")
              .setInstrumentationVersion("2.1.0")
              .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
              .build();
      Tracer other = provider.get("shop.payments");
      SpanContext remote =
          SpanContext.createFromRemoteParent(
              "0af7651916cd43dd8448eb211c80319c",
              "b7ad6b7169203331",
              TraceFlags.getSampled(),
              TraceState.builder().put("vendor", "v1").put("other", "x").build());
      Span root =
          tracer
              .spanBuilder("GET /orders/{id}")
              .setParent(Context.root().with(Span.wrap(remote)))
              .setSpanKind(SpanKind.SERVER)
              .setAttribute("http.request.method", "GET")
              .setAttribute("http.response.status_code", 200L)
              .setAttribute("sampling.ratio", 0.25)
              .setAttribute("cache.hit", true)
              .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b", ""))
              .setAttribute(AttributeKey.longArrayKey("ports"), List.of(80L, 443L, Long.MAX_VALUE))
              .setAttribute(AttributeKey.doubleArrayKey("ratios"), List.of(0.5, -1.25e300))
              .setAttribute(AttributeKey.booleanArrayKey("flags"), List.of(true, false))
              .setAttribute(AttributeKey.longKey("negative"), Long.MIN_VALUE)
              .setStartTimestamp(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS)
              .startSpan();
      root.addEvent("cache.lookup", Attributes.of(AttributeKey.stringKey("key"), "order:42"));
      root.addEvent("no attributes", 1_700_000_000_200_000_000L, TimeUnit.NANOSECONDS);
      try (Scope ignored = root.makeCurrent()) {
        Span child =
            other
                .spanBuilder("charge card")
                .setSpanKind(SpanKind.CLIENT)
                .addLink(remote, Attributes.of(AttributeKey.stringKey("link.kind"), "follows"))
                .addLink(
                    SpanContext.create(
                        "11111111111111111111111111111111",
                        "2222222222222222",
                        TraceFlags.getDefault(),
                        TraceState.getDefault()))
                .startSpan();
        child.recordException(new IllegalStateException("card declined"));
        child.setStatus(StatusCode.ERROR, "payment failed");
        child.end();
        Span internal = tracer.spanBuilder("many attributes").startSpan();
        for (int i = 0; i < 20; i++) {
          internal.setAttribute("attr." + i, i);
        }
        for (int i = 0; i < 5; i++) {
          internal.addEvent("event " + i);
        }
        internal.setStatus(StatusCode.OK);
        internal.end();
        Span producer = tracer.spanBuilder("publish").setSpanKind(SpanKind.PRODUCER).startSpan();
        producer.end();
        Span consumer =
            tracer.spanBuilder("consume").setSpanKind(SpanKind.CONSUMER).setNoParent().startSpan();
        consumer.end();
      }
      root.end(1_700_000_000_987_654_321L, TimeUnit.NANOSECONDS);
      return memory.getFinishedSpanItems();
    }
  }

  @Test
  void spansRoundTripThroughTheProtobufParser() throws IOException {
    List<SpanData> spans = sampleSpans();
    assertThat(spans)
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(
            "GET /orders/{id}", "charge card", "many attributes", "publish", "consume");
    ExportTraceServiceRequest request = OtlpProto.traces(encodeSpans(spans));
    assertSpansMatch(spans, request);
  }

  static void assertSpansMatch(List<SpanData> spans, ExportTraceServiceRequest request) {
    Map<String, io.opentelemetry.proto.trace.v1.Span> parsed = new HashMap<>();
    Map<String, InstrumentationScope> scopes = new HashMap<>();
    Map<String, ResourceSpans> resources = new HashMap<>();
    Map<String, String> scopeSchemas = new HashMap<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
          String id = OtlpProto.hex(span.getSpanId());
          parsed.put(id, span);
          scopes.put(id, scopeSpans.getScope());
          scopeSchemas.put(id, scopeSpans.getSchemaUrl());
          resources.put(id, resourceSpans);
        }
      }
    }
    assertThat(parsed).hasSize(spans.size());
    for (SpanData expected : spans) {
      io.opentelemetry.proto.trace.v1.Span actual = parsed.get(expected.getSpanId());
      assertThat(actual).as("span %s", expected.getName()).isNotNull();
      assertThat(OtlpProto.hex(actual.getTraceId())).isEqualTo(expected.getTraceId());
      assertThat(actual.getName()).isEqualTo(expected.getName());
      assertThat(actual.getKind().getNumber()).isEqualTo(expected.getKind().ordinal() + 1);
      assertThat(actual.getKind().name()).isEqualTo("SPAN_KIND_" + expected.getKind().name());
      assertThat(actual.getStartTimeUnixNano()).isEqualTo(expected.getStartEpochNanos());
      assertThat(actual.getEndTimeUnixNano()).isEqualTo(expected.getEndEpochNanos());
      String parent = expected.getParentSpanContext().isValid() ? expected.getParentSpanId() : "";
      assertThat(OtlpProto.hex(actual.getParentSpanId())).isEqualTo(parent);
      assertThat(actual.getFlags() & 0xff)
          .isEqualTo(expected.getSpanContext().getTraceFlags().asByte() & 0xff);
      assertThat((actual.getFlags() & 0x100) != 0).isTrue();
      assertThat((actual.getFlags() & 0x200) != 0)
          .isEqualTo(expected.getParentSpanContext().isRemote());
      assertThat(OtlpProto.toMap(actual.getAttributesList()))
          .isEqualTo(OtlpProto.toMap(expected.getAttributes()));
      assertThat(actual.getDroppedAttributesCount())
          .isEqualTo(expected.getTotalAttributeCount() - expected.getAttributes().size());
      assertThat(actual.getEventsCount()).isEqualTo(expected.getEvents().size());
      for (int i = 0; i < expected.getEvents().size(); i++) {
        EventData event = expected.getEvents().get(i);
        assertThat(actual.getEvents(i).getName()).isEqualTo(event.getName());
        assertThat(actual.getEvents(i).getTimeUnixNano()).isEqualTo(event.getEpochNanos());
        assertThat(OtlpProto.toMap(actual.getEvents(i).getAttributesList()))
            .isEqualTo(OtlpProto.toMap(event.getAttributes()));
      }
      assertThat(actual.getDroppedEventsCount())
          .isEqualTo(expected.getTotalRecordedEvents() - expected.getEvents().size());
      assertThat(actual.getLinksCount()).isEqualTo(expected.getLinks().size());
      for (int i = 0; i < expected.getLinks().size(); i++) {
        LinkData link = expected.getLinks().get(i);
        io.opentelemetry.proto.trace.v1.Span.Link parsedLink = actual.getLinks(i);
        assertThat(OtlpProto.hex(parsedLink.getTraceId()))
            .isEqualTo(link.getSpanContext().getTraceId());
        assertThat(OtlpProto.hex(parsedLink.getSpanId()))
            .isEqualTo(link.getSpanContext().getSpanId());
        assertThat(parsedLink.getTraceState())
            .isEqualTo(w3c(link.getSpanContext().getTraceState()));
        assertThat(OtlpProto.toMap(parsedLink.getAttributesList()))
            .isEqualTo(OtlpProto.toMap(link.getAttributes()));
        assertThat((parsedLink.getFlags() & 0x200) != 0)
            .isEqualTo(link.getSpanContext().isRemote());
      }
      assertThat(actual.getTraceState()).isEqualTo(w3c(expected.getSpanContext().getTraceState()));
      assertThat(actual.getStatus().getCode().getNumber())
          .isEqualTo(expected.getStatus().getStatusCode().ordinal());
      assertThat(actual.getStatus().getMessage()).isEqualTo(expected.getStatus().getDescription());
      InstrumentationScopeInfo scope = expected.getInstrumentationScopeInfo();
      assertThat(scopes.get(expected.getSpanId()).getName()).isEqualTo(scope.getName());
      assertThat(scopes.get(expected.getSpanId()).getVersion())
          .isEqualTo(nullToEmpty(scope.getVersion()));
      assertThat(scopeSchemas.get(expected.getSpanId()))
          .isEqualTo(nullToEmpty(scope.getSchemaUrl()));
      ResourceSpans resource = resources.get(expected.getSpanId());
      assertThat(OtlpProto.toMap(resource.getResource().getAttributesList()))
          .isEqualTo(OtlpProto.toMap(expected.getResource().getAttributes()));
      assertThat(resource.getSchemaUrl())
          .isEqualTo(nullToEmpty(expected.getResource().getSchemaUrl()));
    }
  }

  @Test
  void spansAreGroupedByResourceAndScope() throws IOException {
    List<SpanData> spans = sampleSpans();
    ExportTraceServiceRequest request = OtlpProto.traces(encodeSpans(spans));
    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    assertThat(request.getResourceSpans(0).getScopeSpansList())
        .extracting(s -> s.getScope().getName())
        .containsExactlyInAnyOrder("shop.orders", "shop.payments");
  }

  @Test
  void hostileStringsAndNonFiniteDoublesStayValidJson() throws IOException {
    String huge = "x".repeat(3_000_000);
    String control = "tab\tnewline\nnull\u0000bell\u0007quote\"backslash\\";
    String loneHigh = "a\uD800b";
    String loneLow = "\uDC00end";
    String trailingHigh = "end\uD83D";
    String emoji = "ok \uD83D\uDE00";
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(memory)).build()) {
      Span span =
          provider
              .get("t")
              .spanBuilder(control)
              .setAttribute("huge", huge)
              .setAttribute("nan", Double.NaN)
              .setAttribute("inf", Double.POSITIVE_INFINITY)
              .setAttribute("-inf", Double.NEGATIVE_INFINITY)
              .setAttribute(AttributeKey.doubleArrayKey("mixed"), List.of(Double.NaN, 1.0))
              .setAttribute("lone.high", loneHigh)
              .setAttribute("lone.low", loneLow)
              .setAttribute("trailing.high", trailingHigh)
              .setAttribute(emoji, emoji)
              .startSpan();
      span.end();
      spans = memory.getFinishedSpanItems();
    }
    String json = encodeSpans(spans);
    assertThat(isOneJsonObject(json)).isTrue();
    assertThat(
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)))
                .toString())
        .isEqualTo(json);
    io.opentelemetry.proto.trace.v1.Span parsed =
        OtlpProto.traces(json).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    Map<String, Object> attributes = OtlpProto.toMap(parsed.getAttributesList());
    assertThat(parsed.getName()).isEqualTo(control);
    assertThat(attributes.get("huge")).isEqualTo(huge);
    assertThat((Double) attributes.get("nan")).isNaN();
    assertThat(attributes.get("inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(attributes.get("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(attributes.get("lone.high")).isEqualTo("a\uFFFDb");
    assertThat(attributes.get("lone.low")).isEqualTo("\uFFFDend");
    assertThat(attributes.get("trailing.high")).isEqualTo("end\uFFFD");
    assertThat(attributes.get(emoji)).isEqualTo(emoji);
    assertThat((List<?>) attributes.get("mixed")).hasSize(2);
  }

  // ---------------------------------------------------------------- metrics

  static List<MetricData> sampleMetrics(boolean delta) {
    InMemoryMetricReader reader =
        delta ? InMemoryMetricReader.createDelta() : InMemoryMetricReader.create();
    List<MetricData> result = new ArrayList<>();
    try (SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(RESOURCE)
            .registerMetricReader(reader)
            .setExemplarFilter(ExemplarFilter.alwaysOn())
            .registerView(
                InstrumentSelector.builder().setName("latency.exponential").build(),
                View.builder()
                    .setAggregation(Aggregation.base2ExponentialBucketHistogram())
                    .build())
            .build()) {
      Meter meter = provider.meterBuilder("shop.metrics").setInstrumentationVersion("1.0").build();
      InMemorySpanExporter spans = InMemorySpanExporter.create();
      try (SdkTracerProvider tracing =
          SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()) {
        Span span = tracing.get("t").spanBuilder("with exemplars").startSpan();
        try (Scope ignored = span.makeCurrent()) {
          Attributes get = Attributes.of(AttributeKey.stringKey("method"), "GET");
          Attributes post = Attributes.of(AttributeKey.stringKey("method"), "POST");
          var requests =
              meter
                  .counterBuilder("requests")
                  .setUnit("{request}")
                  .setDescription("Requests served")
                  .build();
          requests.add(3, get);
          requests.add(4, post);
          meter.counterBuilder("bytes").ofDoubles().setUnit("By").build().add(1.5, get);
          meter.upDownCounterBuilder("active").build().add(-2, get);
          meter.upDownCounterBuilder("active.double").ofDoubles().build().add(2.5);
          var latency = meter.histogramBuilder("latency").setUnit("s").build();
          latency.record(0.2, get);
          latency.record(12.0, get);
          latency.record(0.7, post);
          meter.histogramBuilder("latency.long").ofLongs().build().record(7, post);
          var exponential = meter.histogramBuilder("latency.exponential").build();
          for (double v : new double[] {0.001, 0.5, 3, 3, 250, 0.0}) {
            exponential.record(v);
          }
          meter.gaugeBuilder("temperature").build().set(21.5, get);
          meter.gaugeBuilder("queue.depth").ofLongs().build().set(17);
          meter.gaugeBuilder("observed").ofLongs().buildWithCallback(m -> m.record(99, post));
        }
        span.end();
      }
      result.addAll(reader.collectAllMetrics());
    }
    result.add(
        TestMetricData.builder()
            .setResource(RESOURCE)
            .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("legacy.summaries"))
            .setName("temperature.delta.exponential")
            .setDescription("negative and positive buckets")
            .setUnit("Cel")
            .setExponentialHistogramData(
                ExponentialHistogramData.create(
                    AggregationTemporality.DELTA,
                    List.of(
                        ExponentialHistogramPointData.create(
                            3,
                            -4.5,
                            2,
                            true,
                            -9.0,
                            true,
                            4.0,
                            ExponentialHistogramBuckets.create(3, 5, List.of(1L, 0L, 2L)),
                            ExponentialHistogramBuckets.create(3, -2, List.of(4L)),
                            1_700_000_000_000_000_000L,
                            1_700_000_060_000_000_000L,
                            Attributes.empty(),
                            List.of()))))
            .build());
    Attributes attrs = Attributes.of(AttributeKey.stringKey("quantiles"), "yes");
    result.add(
        TestMetricData.builder()
            .setResource(RESOURCE)
            .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("legacy.summaries"))
            .setName("rpc.duration.summary")
            .setDescription("")
            .setUnit("ms")
            .setSummaryData(
                SummaryData.create(
                    List.of(
                        SummaryPointData.create(
                            1_700_000_000_000_000_000L,
                            1_700_000_060_000_000_000L,
                            attrs,
                            10,
                            123.5,
                            List.of(
                                ValueAtQuantile.create(0.0, 1.0),
                                ValueAtQuantile.create(0.99, 40.25),
                                ValueAtQuantile.create(1.0, Double.POSITIVE_INFINITY))))))
            .build());
    return result;
  }

  @Test
  void cumulativeMetricsRoundTrip() throws IOException {
    List<MetricData> metrics = sampleMetrics(false);
    assertThat(metrics.stream().map(MetricData::getType).distinct())
        .containsExactlyInAnyOrder(MetricDataType.values());
    assertMetricsMatch(metrics, OtlpProto.metrics(encodeMetrics(metrics)));
  }

  @Test
  void deltaMetricsRoundTrip() throws IOException {
    List<MetricData> metrics = sampleMetrics(true);
    ExportMetricsServiceRequest request = OtlpProto.metrics(encodeMetrics(metrics));
    assertMetricsMatch(metrics, request);
    Metric requests = find(request, "requests");
    assertThat(requests.getSum().getAggregationTemporalityValue()).isEqualTo(1);
  }

  public static Metric find(ExportMetricsServiceRequest request, String name) {
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          if (metric.getName().equals(name)) {
            return metric;
          }
        }
      }
    }
    throw new AssertionError("no metric " + name);
  }

  static void assertMetricsMatch(List<MetricData> metrics, ExportMetricsServiceRequest request) {
    int parsedCount = 0;
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      assertThat(OtlpProto.toMap(resource.getResource().getAttributesList()))
          .isEqualTo(OtlpProto.toMap(RESOURCE.getAttributes()));
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        parsedCount += scope.getMetricsCount();
      }
    }
    assertThat(parsedCount).isEqualTo(metrics.size());
    for (MetricData expected : metrics) {
      Metric actual = find(request, expected.getName());
      assertThat(actual.getDescription()).isEqualTo(expected.getDescription());
      assertThat(actual.getUnit()).isEqualTo(expected.getUnit());
      switch (expected.getType()) {
        case LONG_GAUGE, DOUBLE_GAUGE ->
            assertNumberPoints(
                expected.getData().getPoints(), actual.getGauge().getDataPointsList());
        case LONG_SUM -> {
          assertNumberPoints(expected.getData().getPoints(), actual.getSum().getDataPointsList());
          assertThat(actual.getSum().getIsMonotonic())
              .isEqualTo(expected.getLongSumData().isMonotonic());
          assertThat(actual.getSum().getAggregationTemporalityValue())
              .isEqualTo(expected.getLongSumData().getAggregationTemporality().ordinal() + 1);
        }
        case DOUBLE_SUM -> {
          assertNumberPoints(expected.getData().getPoints(), actual.getSum().getDataPointsList());
          assertThat(actual.getSum().getIsMonotonic())
              .isEqualTo(expected.getDoubleSumData().isMonotonic());
          assertThat(actual.getSum().getAggregationTemporalityValue())
              .isEqualTo(expected.getDoubleSumData().getAggregationTemporality().ordinal() + 1);
        }
        case HISTOGRAM -> {
          assertThat(actual.getHistogram().getAggregationTemporalityValue())
              .isEqualTo(expected.getHistogramData().getAggregationTemporality().ordinal() + 1);
          List<HistogramPointData> points =
              new ArrayList<>(expected.getHistogramData().getPoints());
          assertThat(actual.getHistogram().getDataPointsCount()).isEqualTo(points.size());
          for (var parsed : actual.getHistogram().getDataPointsList()) {
            HistogramPointData point =
                matching(points, OtlpProto.toMap(parsed.getAttributesList()));
            assertThat(parsed.getStartTimeUnixNano()).isEqualTo(point.getStartEpochNanos());
            assertThat(parsed.getTimeUnixNano()).isEqualTo(point.getEpochNanos());
            assertThat(parsed.getCount()).isEqualTo(point.getCount());
            assertThat(parsed.getSum()).isEqualTo(point.getSum());
            assertThat(parsed.getBucketCountsList()).isEqualTo(point.getCounts());
            assertThat(parsed.getExplicitBoundsList()).isEqualTo(point.getBoundaries());
            assertThat(parsed.hasMin()).isEqualTo(point.hasMin());
            assertThat(parsed.getMin()).isEqualTo(point.hasMin() ? point.getMin() : 0.0);
            assertThat(parsed.getMax()).isEqualTo(point.hasMax() ? point.getMax() : 0.0);
            assertExemplars(point.getExemplars(), parsed.getExemplarsList());
          }
        }
        case EXPONENTIAL_HISTOGRAM -> {
          assertThat(actual.getExponentialHistogram().getAggregationTemporalityValue())
              .isEqualTo(
                  expected.getExponentialHistogramData().getAggregationTemporality().ordinal() + 1);
          ExponentialHistogramPointData point =
              expected.getExponentialHistogramData().getPoints().iterator().next();
          var parsed = actual.getExponentialHistogram().getDataPoints(0);
          assertThat(parsed.getCount()).isEqualTo(point.getCount());
          assertThat(parsed.getSum()).isEqualTo(point.getSum());
          assertThat(parsed.getScale()).isEqualTo(point.getScale());
          assertThat(parsed.getZeroCount()).isEqualTo(point.getZeroCount());
          assertThat(parsed.getPositive().getOffset())
              .isEqualTo(point.getPositiveBuckets().getOffset());
          assertThat(parsed.getPositive().getBucketCountsList())
              .isEqualTo(point.getPositiveBuckets().getBucketCounts());
          assertThat(parsed.getNegative().getOffset())
              .isEqualTo(point.getNegativeBuckets().getOffset());
          assertThat(parsed.getNegative().getBucketCountsList())
              .isEqualTo(point.getNegativeBuckets().getBucketCounts());
          assertThat(parsed.getMin()).isEqualTo(point.getMin());
          assertThat(parsed.getMax()).isEqualTo(point.getMax());
          assertThat(parsed.getStartTimeUnixNano()).isEqualTo(point.getStartEpochNanos());
          assertExemplars(point.getExemplars(), parsed.getExemplarsList());
        }
        case SUMMARY -> {
          SummaryPointData summary = expected.getSummaryData().getPoints().iterator().next();
          var parsedSummary = actual.getSummary().getDataPoints(0);
          assertThat(parsedSummary.getCount()).isEqualTo(summary.getCount());
          assertThat(parsedSummary.getSum()).isEqualTo(summary.getSum());
          assertThat(parsedSummary.getStartTimeUnixNano()).isEqualTo(summary.getStartEpochNanos());
          assertThat(parsedSummary.getTimeUnixNano()).isEqualTo(summary.getEpochNanos());
          assertThat(OtlpProto.toMap(parsedSummary.getAttributesList()))
              .isEqualTo(OtlpProto.toMap(summary.getAttributes()));
          assertThat(parsedSummary.getQuantileValuesCount()).isEqualTo(summary.getValues().size());
          for (int i = 0; i < summary.getValues().size(); i++) {
            assertThat(parsedSummary.getQuantileValues(i).getQuantile())
                .isEqualTo(summary.getValues().get(i).getQuantile());
            assertThat(parsedSummary.getQuantileValues(i).getValue())
                .isEqualTo(summary.getValues().get(i).getValue());
          }
        }
      }
    }
  }

  private static <P extends PointData> P matching(
      Collection<P> points, Map<String, Object> attributes) {
    return points.stream()
        .filter(p -> OtlpProto.toMap(p.getAttributes()).equals(attributes))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no point with attributes " + attributes));
  }

  private static void assertNumberPoints(
      Collection<? extends PointData> expected, List<NumberDataPoint> actual) {
    assertThat(actual).hasSize(expected.size());
    for (NumberDataPoint parsed : actual) {
      PointData point = matching(expected, OtlpProto.toMap(parsed.getAttributesList()));
      assertThat(parsed.getStartTimeUnixNano()).isEqualTo(point.getStartEpochNanos());
      assertThat(parsed.getTimeUnixNano()).isEqualTo(point.getEpochNanos());
      if (point instanceof LongPointData longPointData) {
        assertThat(parsed.getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_INT);
        assertThat(parsed.getAsInt()).isEqualTo(longPointData.getValue());
      } else {
        assertThat(parsed.getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_DOUBLE);
        assertThat(parsed.getAsDouble()).isEqualTo(((DoublePointData) point).getValue());
      }
      assertExemplars(point.getExemplars(), parsed.getExemplarsList());
    }
  }

  private static void assertExemplars(
      List<? extends ExemplarData> expected, List<Exemplar> actual) {
    assertThat(actual).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      ExemplarData exemplar = expected.get(i);
      Exemplar parsed = actual.get(i);
      assertThat(parsed.getTimeUnixNano()).isEqualTo(exemplar.getEpochNanos());
      assertThat(OtlpProto.toMap(parsed.getFilteredAttributesList()))
          .isEqualTo(OtlpProto.toMap(exemplar.getFilteredAttributes()));
      if (exemplar instanceof LongExemplarData longExemplarData) {
        assertThat(parsed.getAsInt()).isEqualTo(longExemplarData.getValue());
      } else {
        assertThat(parsed.getAsDouble()).isEqualTo(((DoubleExemplarData) exemplar).getValue());
      }
      if (exemplar.getSpanContext().isValid()) {
        assertThat(OtlpProto.hex(parsed.getTraceId()))
            .isEqualTo(exemplar.getSpanContext().getTraceId());
        assertThat(OtlpProto.hex(parsed.getSpanId()))
            .isEqualTo(exemplar.getSpanContext().getSpanId());
      }
    }
  }

  @Test
  void exemplarsCarryTheSpanTheyWereRecordedIn() throws IOException {
    List<MetricData> metrics = sampleMetrics(false);
    Metric requests = find(OtlpProto.metrics(encodeMetrics(metrics)), "requests");
    Exemplar exemplar = requests.getSum().getDataPoints(0).getExemplars(0);
    assertThat(exemplar.getTraceId().size()).isEqualTo(16);
    assertThat(exemplar.getSpanId().size()).isEqualTo(8);
  }

  // ---------------------------------------------------------------- logs

  static List<LogRecordData> sampleLogs() {
    InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
    try (SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .setResource(RESOURCE)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(memory))
            .build()) {
      Logger logger = provider.loggerBuilder("shop.logs").setInstrumentationVersion("3.0").build();
      List<Value<?>> bodies =
          List.of(
              Value.of("plain message"),
              Value.of(true),
              Value.of(-42L),
              Value.of(3.25),
              Value.of(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}),
              Value.of(Value.of("nested"), Value.of(7L), Value.of(Value.of(false))),
              Value.of(
                  KeyValue.of("user", Value.of("ada")),
                  KeyValue.of("attempts", Value.of(3L)),
                  KeyValue.of("inner", Value.of(KeyValue.of("deep", Value.of(1.5))))),
              Value.empty());
      SpanContext context =
          SpanContext.create(
              "4bf92f3577b34da6a3ce929d0e0e4736",
              "00f067aa0ba902b7",
              TraceFlags.getSampled(),
              TraceState.getDefault());
      long time = 1_700_000_000_000_000_000L;
      for (Value<?> body : bodies) {
        logger
            .logRecordBuilder()
            .setBody(body)
            .setSeverity(Severity.WARN)
            .setSeverityText("WARN")
            .setTimestamp(time++, TimeUnit.NANOSECONDS)
            .setObservedTimestamp(time++, TimeUnit.NANOSECONDS)
            .setAttribute("log.kind", body.getType().name())
            .setAttribute("complex", Value.of(KeyValue.of("k", Value.of("v"))))
            .setContext(Context.root().with(Span.wrap(context)))
            .setEventName("order.event")
            .emit();
      }
      logger.logRecordBuilder().setBody("no context, no severity").emit();
      return memory.getFinishedLogRecordItems();
    }
  }

  @Test
  void logsWithEveryBodyKindRoundTrip() throws IOException {
    List<LogRecordData> logs = sampleLogs();
    ExportLogsServiceRequest request = OtlpProto.logs(encodeLogs(logs));
    List<LogRecord> parsed = new ArrayList<>();
    for (ResourceLogs resource : request.getResourceLogsList()) {
      for (ScopeLogs scope : resource.getScopeLogsList()) {
        assertThat(scope.getScope().getName()).isEqualTo("shop.logs");
        assertThat(scope.getScope().getVersion()).isEqualTo("3.0");
        parsed.addAll(scope.getLogRecordsList());
      }
    }
    assertThat(parsed).hasSize(logs.size());
    for (int i = 0; i < logs.size(); i++) {
      LogRecordData expected = logs.get(i);
      LogRecord actual = parsed.get(i);
      assertThat(actual.getTimeUnixNano()).isEqualTo(expected.getTimestampEpochNanos());
      assertThat(actual.getObservedTimeUnixNano())
          .isEqualTo(expected.getObservedTimestampEpochNanos());
      assertThat(actual.getSeverityNumberValue())
          .isEqualTo(expected.getSeverity().getSeverityNumber());
      assertThat(actual.getSeverityText()).isEqualTo(nullToEmpty(expected.getSeverityText()));
      assertThat(OtlpProto.toJava(actual.getBody()))
          .isEqualTo(OtlpProto.toJava(expected.getBodyValue()));
      assertThat(OtlpProto.toMap(actual.getAttributesList()))
          .isEqualTo(OtlpProto.toMap(expected.getAttributes()));
      assertThat(actual.getEventName()).isEqualTo(nullToEmpty(expected.getEventName()));
      if (expected.getSpanContext().isValid()) {
        assertThat(OtlpProto.hex(actual.getTraceId()))
            .isEqualTo(expected.getSpanContext().getTraceId());
        assertThat(OtlpProto.hex(actual.getSpanId()))
            .isEqualTo(expected.getSpanContext().getSpanId());
        assertThat(actual.getFlags()).isEqualTo(1);
      } else {
        assertThat(actual.getTraceId().isEmpty()).isTrue();
      }
    }
    assertThat(parsed.get(4).getBody().hasBytesValue()).isTrue();
    assertThat(parsed.get(7).getBody().getValueCase()).isEqualTo(AnyValue.ValueCase.VALUE_NOT_SET);
  }

  private static String w3c(TraceState state) {
    StringBuilder result = new StringBuilder();
    state.forEach(
        (k, v) -> result.append(result.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return result.toString();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  /** Whether {@code json} is exactly one well-formed JSON object, as a file line must be. */
  private static boolean isOneJsonObject(String json) throws java.io.IOException {
    try (com.fasterxml.jackson.core.JsonParser parser =
        new com.fasterxml.jackson.core.JsonFactory()
            .createParser(json.getBytes(StandardCharsets.UTF_8))) {
      if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    }
  }
}
