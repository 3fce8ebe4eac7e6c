package dev.otelretention.exporter.file;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.otelretention.export.WellFormedText;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Streams OTLP export requests as OTLP/JSON (the protobuf JSON mapping): lowerCamelCase names, hex
 * ids, integer enums, 64-bit integers as decimal strings, non-finite doubles as {@code
 * "NaN"}/{@code "Infinity"}, bytes as base64. Default values are omitted. Strings with unpaired
 * UTF-16 surrogates are written with U+FFFD in their place so that every line is valid UTF-8 JSON.
 */
final class OtlpJsonEncoder {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
          .build();

  private static final SerializableString RESOURCE_SPANS = name("resourceSpans");
  private static final SerializableString RESOURCE_METRICS = name("resourceMetrics");
  private static final SerializableString RESOURCE_LOGS = name("resourceLogs");
  private static final SerializableString SCOPE_SPANS = name("scopeSpans");
  private static final SerializableString SCOPE_METRICS = name("scopeMetrics");
  private static final SerializableString SCOPE_LOGS = name("scopeLogs");
  private static final SerializableString RESOURCE = name("resource");
  private static final SerializableString SCOPE = name("scope");
  private static final SerializableString SCHEMA_URL = name("schemaUrl");
  private static final SerializableString SPANS = name("spans");
  private static final SerializableString METRICS = name("metrics");
  private static final SerializableString LOG_RECORDS = name("logRecords");
  private static final SerializableString ATTRIBUTES = name("attributes");
  private static final SerializableString DROPPED_ATTRIBUTES = name("droppedAttributesCount");
  private static final SerializableString KEY = name("key");
  private static final SerializableString VALUE = name("value");
  private static final SerializableString VALUES = name("values");
  private static final SerializableString STRING_VALUE = name("stringValue");
  private static final SerializableString BOOL_VALUE = name("boolValue");
  private static final SerializableString INT_VALUE = name("intValue");
  private static final SerializableString DOUBLE_VALUE = name("doubleValue");
  private static final SerializableString ARRAY_VALUE = name("arrayValue");
  private static final SerializableString KVLIST_VALUE = name("kvlistValue");
  private static final SerializableString BYTES_VALUE = name("bytesValue");
  private static final SerializableString NAME = name("name");
  private static final SerializableString VERSION = name("version");
  private static final SerializableString TRACE_ID = name("traceId");
  private static final SerializableString SPAN_ID = name("spanId");
  private static final SerializableString PARENT_SPAN_ID = name("parentSpanId");
  private static final SerializableString TRACE_STATE = name("traceState");
  private static final SerializableString FLAGS = name("flags");
  private static final SerializableString KIND = name("kind");
  private static final SerializableString START_TIME = name("startTimeUnixNano");
  private static final SerializableString END_TIME = name("endTimeUnixNano");
  private static final SerializableString TIME = name("timeUnixNano");
  private static final SerializableString OBSERVED_TIME = name("observedTimeUnixNano");
  private static final SerializableString EVENTS = name("events");
  private static final SerializableString DROPPED_EVENTS = name("droppedEventsCount");
  private static final SerializableString LINKS = name("links");
  private static final SerializableString DROPPED_LINKS = name("droppedLinksCount");
  private static final SerializableString STATUS = name("status");
  private static final SerializableString MESSAGE = name("message");
  private static final SerializableString CODE = name("code");
  private static final SerializableString DESCRIPTION = name("description");
  private static final SerializableString UNIT = name("unit");
  private static final SerializableString GAUGE = name("gauge");
  private static final SerializableString SUM = name("sum");
  private static final SerializableString HISTOGRAM = name("histogram");
  private static final SerializableString EXPONENTIAL_HISTOGRAM = name("exponentialHistogram");
  private static final SerializableString SUMMARY = name("summary");
  private static final SerializableString DATA_POINTS = name("dataPoints");
  private static final SerializableString TEMPORALITY = name("aggregationTemporality");
  private static final SerializableString IS_MONOTONIC = name("isMonotonic");
  private static final SerializableString AS_DOUBLE = name("asDouble");
  private static final SerializableString AS_INT = name("asInt");
  private static final SerializableString EXEMPLARS = name("exemplars");
  private static final SerializableString FILTERED_ATTRIBUTES = name("filteredAttributes");
  private static final SerializableString COUNT = name("count");
  private static final SerializableString BUCKET_COUNTS = name("bucketCounts");
  private static final SerializableString EXPLICIT_BOUNDS = name("explicitBounds");
  private static final SerializableString MIN = name("min");
  private static final SerializableString MAX = name("max");
  private static final SerializableString SCALE = name("scale");
  private static final SerializableString ZERO_COUNT = name("zeroCount");
  private static final SerializableString POSITIVE = name("positive");
  private static final SerializableString NEGATIVE = name("negative");
  private static final SerializableString OFFSET = name("offset");
  private static final SerializableString QUANTILE_VALUES = name("quantileValues");
  private static final SerializableString QUANTILE = name("quantile");
  private static final SerializableString SEVERITY_NUMBER = name("severityNumber");
  private static final SerializableString SEVERITY_TEXT = name("severityText");
  private static final SerializableString BODY = name("body");
  private static final SerializableString EVENT_NAME = name("eventName");

  /** Span flags bits 8 and 9 of the proto: the parent's remote-ness is known, and it is remote. */
  private static final int HAS_IS_REMOTE = 0x100;

  private static final int IS_REMOTE = 0x200;

  private final JsonGenerator gen;
  private final char[] digits = new char[20];
  private final BiConsumer<AttributeKey<?>, Object> attributeWriter = this::writeAttributeUnchecked;

  private OtlpJsonEncoder(JsonGenerator gen) {
    this.gen = gen;
  }

  private static SerializableString name(String name) {
    return new SerializedString(name);
  }

  /** Writes {@code spans} as one {@code ExportTraceServiceRequest} JSON object (no newline). */
  static void writeSpans(Collection<SpanData> spans, OutputStream out) throws IOException {
    write(
        out,
        encoder ->
            encoder.request(
                spans,
                SpanData::getResource,
                SpanData::getInstrumentationScopeInfo,
                RESOURCE_SPANS,
                SCOPE_SPANS,
                SPANS,
                encoder::writeSpan));
  }

  /** Writes {@code metrics} as one {@code ExportMetricsServiceRequest} JSON object (no newline). */
  static void writeMetrics(Collection<MetricData> metrics, OutputStream out) throws IOException {
    write(
        out,
        encoder ->
            encoder.request(
                metrics,
                MetricData::getResource,
                MetricData::getInstrumentationScopeInfo,
                RESOURCE_METRICS,
                SCOPE_METRICS,
                METRICS,
                encoder::writeMetric));
  }

  /** Writes {@code logs} as one {@code ExportLogsServiceRequest} JSON object (no newline). */
  static void writeLogs(Collection<LogRecordData> logs, OutputStream out) throws IOException {
    write(
        out,
        encoder ->
            encoder.request(
                logs,
                LogRecordData::getResource,
                LogRecordData::getInstrumentationScopeInfo,
                RESOURCE_LOGS,
                SCOPE_LOGS,
                LOG_RECORDS,
                encoder::writeLog));
  }

  /** Writes one item of a request. */
  private interface ItemWriter<T> {
    void write(T item) throws IOException;
  }

  /** Writes one request with a generator of its own. */
  private interface RequestWriter {
    void write(OtlpJsonEncoder encoder) throws IOException;
  }

  private static void write(OutputStream out, RequestWriter request) throws IOException {
    try (JsonGenerator gen = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      request.write(new OtlpJsonEncoder(gen));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * {@code {"resourceX":[{"resource":..,"scopeX":[{"scope":..,"items":[..]}]}]}}, grouped by
   * resource and scope.
   */
  private <T> void request(
      Collection<T> items,
      Function<T, Resource> resourceOf,
      Function<T, InstrumentationScopeInfo> scopeOf,
      SerializableString resourcesField,
      SerializableString scopesField,
      SerializableString itemsField,
      ItemWriter<T> itemWriter)
      throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(resourcesField);
    gen.writeStartArray();
    for (ResourceGroup<T> resource : group(items, resourceOf, scopeOf)) {
      gen.writeStartObject();
      writeResource(resource.resource);
      gen.writeFieldName(scopesField);
      gen.writeStartArray();
      for (ScopeGroup<T> scope : resource.scopes) {
        gen.writeStartObject();
        writeScope(scope.scope);
        gen.writeFieldName(itemsField);
        gen.writeStartArray();
        for (T item : scope.items) {
          itemWriter.write(item);
        }
        gen.writeEndArray();
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  // ---- grouping by resource, then scope, keeping first-seen order ----

  private static final class ResourceGroup<T> {
    final Resource resource;
    final List<ScopeGroup<T>> scopes = new ArrayList<>(2);

    ResourceGroup(Resource resource) {
      this.resource = resource;
    }
  }

  private static final class ScopeGroup<T> {
    final InstrumentationScopeInfo scope;
    final List<T> items = new ArrayList<>();

    ScopeGroup(InstrumentationScopeInfo scope) {
      this.scope = scope;
    }
  }

  static <T> List<ResourceGroup<T>> group(
      Collection<T> items,
      Function<T, Resource> resourceOf,
      Function<T, InstrumentationScopeInfo> scopeOf) {
    List<ResourceGroup<T>> groups = new ArrayList<>(1);
    ResourceGroup<T> lastResource = null;
    ScopeGroup<T> lastScope = null;
    for (T item : items) {
      Resource resource = resourceOf.apply(item);
      InstrumentationScopeInfo scope = scopeOf.apply(item);
      if (lastResource == null || lastResource.resource != resource) {
        lastResource = findResource(groups, resource);
        lastScope = null;
      }
      if (lastScope == null || lastScope.scope != scope) {
        lastScope = findScope(lastResource, scope);
      }
      lastScope.items.add(item);
    }
    return groups;
  }

  private static <T> ResourceGroup<T> findResource(
      List<ResourceGroup<T>> groups, Resource resource) {
    for (ResourceGroup<T> group : groups) {
      if (group.resource == resource || group.resource.equals(resource)) {
        return group;
      }
    }
    ResourceGroup<T> created = new ResourceGroup<>(resource);
    groups.add(created);
    return created;
  }

  private static <T> ScopeGroup<T> findScope(
      ResourceGroup<T> group, InstrumentationScopeInfo scope) {
    for (ScopeGroup<T> candidate : group.scopes) {
      if (candidate.scope == scope || candidate.scope.equals(scope)) {
        return candidate;
      }
    }
    ScopeGroup<T> created = new ScopeGroup<>(scope);
    group.scopes.add(created);
    return created;
  }

  // ---- common messages ----

  private void writeResource(Resource resource) throws IOException {
    gen.writeFieldName(RESOURCE);
    gen.writeStartObject();
    writeAttributes(ATTRIBUTES, resource.getAttributes());
    gen.writeEndObject();
    writeNonEmptyString(SCHEMA_URL, resource.getSchemaUrl());
  }

  private void writeScope(InstrumentationScopeInfo scope) throws IOException {
    gen.writeFieldName(SCOPE);
    gen.writeStartObject();
    writeNonEmptyString(NAME, scope.getName());
    writeNonEmptyString(VERSION, scope.getVersion());
    writeAttributes(ATTRIBUTES, scope.getAttributes());
    gen.writeEndObject();
    writeNonEmptyString(SCHEMA_URL, scope.getSchemaUrl());
  }

  private void writeAttributes(SerializableString field, Attributes attributes) throws IOException {
    if (attributes.isEmpty()) {
      return;
    }
    gen.writeFieldName(field);
    gen.writeStartArray();
    attributes.forEach(attributeWriter);
    gen.writeEndArray();
  }

  private void writeAttributeUnchecked(AttributeKey<?> key, Object value) {
    try {
      writeAttribute(key, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeAttribute(AttributeKey<?> key, Object value) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(KEY);
    writeString(key.getKey());
    gen.writeFieldName(VALUE);
    gen.writeStartObject();
    switch (key.getType()) {
      case STRING -> {
        gen.writeFieldName(STRING_VALUE);
        writeString((String) value);
      }
      case BOOLEAN -> {
        gen.writeFieldName(BOOL_VALUE);
        gen.writeBoolean((Boolean) value);
      }
      case LONG -> {
        gen.writeFieldName(INT_VALUE);
        writeLongString((Long) value);
      }
      case DOUBLE -> {
        gen.writeFieldName(DOUBLE_VALUE);
        writeDouble((Double) value);
      }
      case STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> {
        gen.writeFieldName(ARRAY_VALUE);
        gen.writeStartObject();
        List<?> elements = (List<?>) value;
        if (!elements.isEmpty()) {
          gen.writeFieldName(VALUES);
          gen.writeStartArray();
          for (Object element : elements) {
            writeArrayElement(element);
          }
          gen.writeEndArray();
        }
        gen.writeEndObject();
      }
      case VALUE -> writeAnyValueFields((Value<?>) value);
    }
    gen.writeEndObject();
    gen.writeEndObject();
  }

  private void writeArrayElement(Object element) throws IOException {
    gen.writeStartObject();
    if (element instanceof String string) {
      gen.writeFieldName(STRING_VALUE);
      writeString(string);
    } else if (element instanceof Boolean b) {
      gen.writeFieldName(BOOL_VALUE);
      gen.writeBoolean(b);
    } else if (element instanceof Long l) {
      gen.writeFieldName(INT_VALUE);
      writeLongString(l);
    } else if (element instanceof Double d) {
      gen.writeFieldName(DOUBLE_VALUE);
      writeDouble(d);
    }
    gen.writeEndObject();
  }

  /** Writes the fields of an AnyValue (the caller opened the object). */
  private void writeAnyValueFields(Value<?> value) throws IOException {
    switch (value.getType()) {
      case STRING -> {
        gen.writeFieldName(STRING_VALUE);
        writeString((String) value.getValue());
      }
      case BOOLEAN -> {
        gen.writeFieldName(BOOL_VALUE);
        gen.writeBoolean((Boolean) value.getValue());
      }
      case LONG -> {
        gen.writeFieldName(INT_VALUE);
        writeLongString((Long) value.getValue());
      }
      case DOUBLE -> {
        gen.writeFieldName(DOUBLE_VALUE);
        writeDouble((Double) value.getValue());
      }
      case ARRAY -> {
        gen.writeFieldName(ARRAY_VALUE);
        gen.writeStartObject();
        List<?> elements = (List<?>) value.getValue();
        if (!elements.isEmpty()) {
          gen.writeFieldName(VALUES);
          gen.writeStartArray();
          for (Object element : elements) {
            gen.writeStartObject();
            writeAnyValueFields((Value<?>) element);
            gen.writeEndObject();
          }
          gen.writeEndArray();
        }
        gen.writeEndObject();
      }
      case KEY_VALUE_LIST -> {
        gen.writeFieldName(KVLIST_VALUE);
        gen.writeStartObject();
        List<?> entries = (List<?>) value.getValue();
        if (!entries.isEmpty()) {
          gen.writeFieldName(VALUES);
          gen.writeStartArray();
          for (Object entry : entries) {
            KeyValue keyValue = (KeyValue) entry;
            gen.writeStartObject();
            gen.writeFieldName(KEY);
            writeString(keyValue.getKey());
            gen.writeFieldName(VALUE);
            gen.writeStartObject();
            writeAnyValueFields(keyValue.getValue());
            gen.writeEndObject();
            gen.writeEndObject();
          }
          gen.writeEndArray();
        }
        gen.writeEndObject();
      }
      case BYTES -> {
        ByteBuffer buffer = ((ByteBuffer) value.getValue()).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        gen.writeFieldName(BYTES_VALUE);
        gen.writeString(Base64.getEncoder().encodeToString(bytes));
      }
      case EMPTY -> {}
    }
  }

  // ---- spans ----

  private void writeSpan(SpanData span) throws IOException {
    gen.writeStartObject();
    SpanContext context = span.getSpanContext();
    writeIds(context);
    String traceState = encodeTraceState(context);
    writeNonEmptyString(TRACE_STATE, traceState);
    SpanContext parent = span.getParentSpanContext();
    if (parent.isValid()) {
      gen.writeFieldName(PARENT_SPAN_ID);
      gen.writeString(parent.getSpanId());
    }
    int flags = (context.getTraceFlags().asByte() & 0xff) | HAS_IS_REMOTE;
    if (parent.isRemote()) {
      flags |= IS_REMOTE;
    }
    gen.writeFieldName(FLAGS);
    gen.writeNumber(flags);
    gen.writeFieldName(NAME);
    writeString(span.getName());
    gen.writeFieldName(KIND);
    gen.writeNumber(span.getKind().ordinal() + 1);
    gen.writeFieldName(START_TIME);
    writeLongString(span.getStartEpochNanos());
    gen.writeFieldName(END_TIME);
    writeLongString(span.getEndEpochNanos());
    Attributes attributes = span.getAttributes();
    writeAttributes(ATTRIBUTES, attributes);
    writeCount(DROPPED_ATTRIBUTES, span.getTotalAttributeCount() - attributes.size());
    List<EventData> events = span.getEvents();
    if (!events.isEmpty()) {
      gen.writeFieldName(EVENTS);
      gen.writeStartArray();
      for (EventData event : events) {
        gen.writeStartObject();
        gen.writeFieldName(TIME);
        writeLongString(event.getEpochNanos());
        gen.writeFieldName(NAME);
        writeString(event.getName());
        writeAttributes(ATTRIBUTES, event.getAttributes());
        writeCount(DROPPED_ATTRIBUTES, event.getDroppedAttributesCount());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    writeCount(DROPPED_EVENTS, span.getTotalRecordedEvents() - events.size());
    List<LinkData> links = span.getLinks();
    if (!links.isEmpty()) {
      gen.writeFieldName(LINKS);
      gen.writeStartArray();
      for (LinkData link : links) {
        gen.writeStartObject();
        SpanContext linked = link.getSpanContext();
        writeIds(linked);
        writeNonEmptyString(TRACE_STATE, encodeTraceState(linked));
        writeAttributes(ATTRIBUTES, link.getAttributes());
        writeCount(DROPPED_ATTRIBUTES, link.getTotalAttributeCount() - link.getAttributes().size());
        int linkFlags = (linked.getTraceFlags().asByte() & 0xff) | HAS_IS_REMOTE;
        if (linked.isRemote()) {
          linkFlags |= IS_REMOTE;
        }
        gen.writeFieldName(FLAGS);
        gen.writeNumber(linkFlags);
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    writeCount(DROPPED_LINKS, span.getTotalRecordedLinks() - links.size());
    StatusData status = span.getStatus();
    String description = status.getDescription();
    int code = statusCode(status);
    if (code != 0 || (description != null && !description.isEmpty())) {
      gen.writeFieldName(STATUS);
      gen.writeStartObject();
      writeNonEmptyString(MESSAGE, description);
      if (code != 0) {
        gen.writeFieldName(CODE);
        gen.writeNumber(code);
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static int statusCode(StatusData status) {
    return switch (status.getStatusCode()) {
      case OK -> 1;
      case ERROR -> 2;
      default -> 0;
    };
  }

  private void writeIds(SpanContext context) throws IOException {
    if (context.isValid()) {
      gen.writeFieldName(TRACE_ID);
      gen.writeString(context.getTraceId());
      gen.writeFieldName(SPAN_ID);
      gen.writeString(context.getSpanId());
    }
  }

  private static String encodeTraceState(SpanContext context) {
    if (context.getTraceState().isEmpty()) {
      return null;
    }
    StringBuilder result = new StringBuilder();
    context
        .getTraceState()
        .forEach(
            (key, value) -> {
              if (result.length() > 0) {
                result.append(',');
              }
              result.append(key).append('=').append(value);
            });
    return result.toString();
  }

  // ---- metrics ----

  private void writeMetric(MetricData metric) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(NAME);
    writeString(metric.getName());
    writeNonEmptyString(DESCRIPTION, metric.getDescription());
    writeNonEmptyString(UNIT, metric.getUnit());
    switch (metric.getType()) {
      case LONG_GAUGE, DOUBLE_GAUGE -> {
        gen.writeFieldName(GAUGE);
        gen.writeStartObject();
        writeNumberPoints(metric.getData().getPoints());
        gen.writeEndObject();
      }
      case LONG_SUM -> writeSum(metric.getLongSumData());
      case DOUBLE_SUM -> writeSum(metric.getDoubleSumData());
      case HISTOGRAM -> {
        gen.writeFieldName(HISTOGRAM);
        gen.writeStartObject();
        gen.writeFieldName(DATA_POINTS);
        gen.writeStartArray();
        for (HistogramPointData point : metric.getHistogramData().getPoints()) {
          writeHistogramPoint(point);
        }
        gen.writeEndArray();
        writeTemporality(metric.getHistogramData().getAggregationTemporality());
        gen.writeEndObject();
      }
      case EXPONENTIAL_HISTOGRAM -> {
        gen.writeFieldName(EXPONENTIAL_HISTOGRAM);
        gen.writeStartObject();
        gen.writeFieldName(DATA_POINTS);
        gen.writeStartArray();
        for (ExponentialHistogramPointData point :
            metric.getExponentialHistogramData().getPoints()) {
          writeExponentialHistogramPoint(point);
        }
        gen.writeEndArray();
        writeTemporality(metric.getExponentialHistogramData().getAggregationTemporality());
        gen.writeEndObject();
      }
      case SUMMARY -> {
        gen.writeFieldName(SUMMARY);
        gen.writeStartObject();
        gen.writeFieldName(DATA_POINTS);
        gen.writeStartArray();
        for (SummaryPointData point : metric.getSummaryData().getPoints()) {
          writeSummaryPoint(point);
        }
        gen.writeEndArray();
        gen.writeEndObject();
      }
    }
    gen.writeEndObject();
  }

  private void writeSum(SumData<? extends PointData> sum) throws IOException {
    gen.writeFieldName(SUM);
    gen.writeStartObject();
    writeNumberPoints(sum.getPoints());
    writeTemporality(sum.getAggregationTemporality());
    if (sum.isMonotonic()) {
      gen.writeFieldName(IS_MONOTONIC);
      gen.writeBoolean(true);
    }
    gen.writeEndObject();
  }

  private void writeTemporality(AggregationTemporality temporality) throws IOException {
    gen.writeFieldName(TEMPORALITY);
    gen.writeNumber(temporality == AggregationTemporality.DELTA ? 1 : 2);
  }

  private void writeNumberPoints(Collection<? extends PointData> points) throws IOException {
    gen.writeFieldName(DATA_POINTS);
    gen.writeStartArray();
    for (PointData point : points) {
      gen.writeStartObject();
      writePointTimes(point);
      if (point instanceof LongPointData longPointData) {
        gen.writeFieldName(AS_INT);
        writeLongString(longPointData.getValue());
      } else {
        gen.writeFieldName(AS_DOUBLE);
        writeDouble(((DoublePointData) point).getValue());
      }
      writeExemplars(point.getExemplars());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  private void writePointTimes(PointData point) throws IOException {
    writeAttributes(ATTRIBUTES, point.getAttributes());
    if (point.getStartEpochNanos() != 0) {
      gen.writeFieldName(START_TIME);
      writeLongString(point.getStartEpochNanos());
    }
    gen.writeFieldName(TIME);
    writeLongString(point.getEpochNanos());
  }

  private void writeHistogramPoint(HistogramPointData point) throws IOException {
    gen.writeStartObject();
    writePointTimes(point);
    gen.writeFieldName(COUNT);
    writeLongString(point.getCount());
    gen.writeFieldName(SUM);
    writeDouble(point.getSum());
    List<Long> counts = point.getCounts();
    if (!counts.isEmpty()) {
      gen.writeFieldName(BUCKET_COUNTS);
      gen.writeStartArray();
      for (Long count : counts) {
        writeLongString(count);
      }
      gen.writeEndArray();
    }
    List<Double> bounds = point.getBoundaries();
    if (!bounds.isEmpty()) {
      gen.writeFieldName(EXPLICIT_BOUNDS);
      gen.writeStartArray();
      for (Double bound : bounds) {
        writeDouble(bound);
      }
      gen.writeEndArray();
    }
    writeExemplars(point.getExemplars());
    writeMinMax(point.hasMin(), point.getMin(), point.hasMax(), point.getMax());
    gen.writeEndObject();
  }

  private void writeExponentialHistogramPoint(ExponentialHistogramPointData point)
      throws IOException {
    gen.writeStartObject();
    writePointTimes(point);
    gen.writeFieldName(COUNT);
    writeLongString(point.getCount());
    gen.writeFieldName(SUM);
    writeDouble(point.getSum());
    if (point.getScale() != 0) {
      gen.writeFieldName(SCALE);
      gen.writeNumber(point.getScale());
    }
    if (point.getZeroCount() != 0) {
      gen.writeFieldName(ZERO_COUNT);
      writeLongString(point.getZeroCount());
    }
    writeBuckets(POSITIVE, point.getPositiveBuckets());
    writeBuckets(NEGATIVE, point.getNegativeBuckets());
    writeExemplars(point.getExemplars());
    writeMinMax(point.hasMin(), point.getMin(), point.hasMax(), point.getMax());
    gen.writeEndObject();
  }

  private void writeBuckets(SerializableString field, ExponentialHistogramBuckets buckets)
      throws IOException {
    gen.writeFieldName(field);
    gen.writeStartObject();
    if (buckets.getOffset() != 0) {
      gen.writeFieldName(OFFSET);
      gen.writeNumber(buckets.getOffset());
    }
    List<Long> counts = buckets.getBucketCounts();
    if (!counts.isEmpty()) {
      gen.writeFieldName(BUCKET_COUNTS);
      gen.writeStartArray();
      for (Long count : counts) {
        writeLongString(count);
      }
      gen.writeEndArray();
    }
    gen.writeEndObject();
  }

  private void writeMinMax(boolean hasMin, double min, boolean hasMax, double max)
      throws IOException {
    if (hasMin) {
      gen.writeFieldName(MIN);
      writeDouble(min);
    }
    if (hasMax) {
      gen.writeFieldName(MAX);
      writeDouble(max);
    }
  }

  private void writeSummaryPoint(SummaryPointData point) throws IOException {
    gen.writeStartObject();
    writePointTimes(point);
    gen.writeFieldName(COUNT);
    writeLongString(point.getCount());
    gen.writeFieldName(SUM);
    writeDouble(point.getSum());
    List<ValueAtQuantile> values = point.getValues();
    if (!values.isEmpty()) {
      gen.writeFieldName(QUANTILE_VALUES);
      gen.writeStartArray();
      for (ValueAtQuantile value : values) {
        gen.writeStartObject();
        gen.writeFieldName(QUANTILE);
        writeDouble(value.getQuantile());
        gen.writeFieldName(VALUE);
        writeDouble(value.getValue());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    gen.writeEndObject();
  }

  private void writeExemplars(List<? extends ExemplarData> exemplars) throws IOException {
    if (exemplars.isEmpty()) {
      return;
    }
    gen.writeFieldName(EXEMPLARS);
    gen.writeStartArray();
    for (ExemplarData exemplar : exemplars) {
      gen.writeStartObject();
      writeAttributes(FILTERED_ATTRIBUTES, exemplar.getFilteredAttributes());
      gen.writeFieldName(TIME);
      writeLongString(exemplar.getEpochNanos());
      if (exemplar instanceof LongExemplarData longExemplarData) {
        gen.writeFieldName(AS_INT);
        writeLongString(longExemplarData.getValue());
      } else {
        gen.writeFieldName(AS_DOUBLE);
        writeDouble(((DoubleExemplarData) exemplar).getValue());
      }
      writeIds(exemplar.getSpanContext());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  // ---- logs ----

  private void writeLog(LogRecordData log) throws IOException {
    gen.writeStartObject();
    if (log.getTimestampEpochNanos() != 0) {
      gen.writeFieldName(TIME);
      writeLongString(log.getTimestampEpochNanos());
    }
    if (log.getObservedTimestampEpochNanos() != 0) {
      gen.writeFieldName(OBSERVED_TIME);
      writeLongString(log.getObservedTimestampEpochNanos());
    }
    int severity = log.getSeverity().getSeverityNumber();
    if (severity != 0) {
      gen.writeFieldName(SEVERITY_NUMBER);
      gen.writeNumber(severity);
    }
    writeNonEmptyString(SEVERITY_TEXT, log.getSeverityText());
    Value<?> body = log.getBodyValue();
    if (body != null) {
      gen.writeFieldName(BODY);
      gen.writeStartObject();
      writeAnyValueFields(body);
      gen.writeEndObject();
    }
    Attributes attributes = log.getAttributes();
    writeAttributes(ATTRIBUTES, attributes);
    writeCount(DROPPED_ATTRIBUTES, log.getTotalAttributeCount() - attributes.size());
    SpanContext context = log.getSpanContext();
    if (context.isValid()) {
      int flags = context.getTraceFlags().asByte() & 0xff;
      if (flags != 0) {
        gen.writeFieldName(FLAGS);
        gen.writeNumber(flags);
      }
    }
    writeIds(context);
    writeNonEmptyString(EVENT_NAME, log.getEventName());
    gen.writeEndObject();
  }

  // ---- scalars ----

  private void writeCount(SerializableString field, int count) throws IOException {
    if (count > 0) {
      gen.writeFieldName(field);
      gen.writeNumber(count);
    }
  }

  private void writeNonEmptyString(SerializableString field, String value) throws IOException {
    if (value != null && !value.isEmpty()) {
      gen.writeFieldName(field);
      writeString(value);
    }
  }

  /** Writes a 64-bit integer as a JSON string of its decimal digits, without allocating. */
  private void writeLongString(long value) throws IOException {
    if (value == Long.MIN_VALUE) {
      gen.writeString("-9223372036854775808");
      return;
    }
    int position = digits.length;
    long remaining = Math.abs(value);
    do {
      digits[--position] = (char) ('0' + (remaining % 10));
      remaining /= 10;
    } while (remaining != 0);
    if (value < 0) {
      digits[--position] = '-';
    }
    gen.writeString(digits, position, digits.length - position);
  }

  private void writeDouble(double value) throws IOException {
    if (Double.isNaN(value)) {
      gen.writeString("NaN");
    } else if (Double.isInfinite(value)) {
      gen.writeString(value > 0 ? "Infinity" : "-Infinity");
    } else {
      gen.writeNumber(value);
    }
  }

  private void writeString(String value) throws IOException {
    gen.writeString(wellFormed(value));
  }

  /**
   * Returns {@code value} with every unpaired surrogate replaced by U+FFFD (the same instance if
   * none).
   */
  static String wellFormed(String value) {
    return WellFormedText.of(value);
  }
}
