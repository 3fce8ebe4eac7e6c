package dev.otelretention.exporter.clickhouse.internal.rowbinary;

import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;

/**
 * RowBinary rows in the column order of {@link TelemetryTable}, with values encoded as the
 * Collector's ClickHouse exporter encodes them: hex ids, nanosecond timestamps, span kinds and
 * status codes as its current strings ({@code Server}, {@code Error}) or, with {@code
 * legacyValues}, its earlier ones ({@code SPAN_KIND_SERVER}, {@code STATUS_CODE_ERROR}), attribute
 * maps with sorted keys and string values.
 */
public final class RowEncoders {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SCOPE_NAME = AttributeKey.stringKey("otel.scope.name");
  private static final AttributeKey<String> SCOPE_VERSION =
      AttributeKey.stringKey("otel.scope.version");

  private RowEncoders() {}

  /**
   * The last resource seen by this thread and its attribute map, which is the same for almost every
   * item.
   */
  /**
   * The last resource an output encoded, with its attribute strings and service name: a batch
   * usually has one resource, so they are computed once per batch, not per row. Kept in the output
   * (see {@link RowBinaryOutput}), not in a thread.
   */
  static final class ResourceCache {
    Resource resource;
    Map<String, String> attributes;
    String json;
    String serviceName;

    /** The attributes as a Map column's bytes, once written. */
    byte[] mapBytes;
  }

  private static ResourceCache resource(RowBinaryOutput out, Resource resource) {
    ResourceCache cache = out.resourceCache;
    if (cache.resource != resource) {
      cache.resource = resource;
      cache.attributes = AttributeStrings.of(resource.getAttributes());
      cache.json = null;
      cache.mapBytes = null;
      cache.serviceName = serviceName(resource);
    }
    return cache;
  }

  /** The resource attributes as a Map column, or as a JSON column's text. */
  private static void resourceAttributes(
      RowBinaryOutput out, ResourceCache resource, boolean json) {
    if (!json) {
      if (resource.mapBytes != null) {
        out.raw(resource.mapBytes);
      } else {
        int mark = out.size();
        out.stringMap(resource.attributes);
        resource.mapBytes = out.bytesSince(mark);
      }
      return;
    }
    if (resource.json == null) {
      resource.json = AttributeStrings.jsonObject(resource.resource.getAttributes());
    }
    out.string(resource.json);
  }

  /** Attributes as a Map column, or as a JSON column's text. */
  private static void attributes(RowBinaryOutput out, Attributes attributes, boolean json) {
    if (json) {
      out.string(AttributeStrings.jsonObject(attributes));
    } else {
      out.attributeMap(attributes);
    }
  }

  public static String serviceName(Resource resource) {
    String name = resource.getAttribute(SERVICE_NAME);
    return name == null ? "" : name;
  }

  /** {@code Server}, or with {@code legacyValues} {@code SPAN_KIND_SERVER}. */
  static String spanKind(SpanKind kind, boolean legacyValues) {
    String current =
        switch (kind) {
          case INTERNAL -> "Internal";
          case SERVER -> "Server";
          case CLIENT -> "Client";
          case PRODUCER -> "Producer";
          case CONSUMER -> "Consumer";
        };
    return legacyValues ? "SPAN_KIND_" + kind.name() : current;
  }

  /** {@code Error}, or with {@code legacyValues} {@code STATUS_CODE_ERROR}. */
  static String statusCode(StatusCode code, boolean legacyValues) {
    if (legacyValues) {
      return "STATUS_CODE_" + code.name();
    }
    return switch (code) {
      case OK -> "Ok";
      case ERROR -> "Error";
      case UNSET -> "Unset";
    };
  }

  private static String hexId(SpanContext context, boolean trace) {
    if (!context.isValid()) {
      return "";
    }
    return trace ? context.getTraceId() : context.getSpanId();
  }

  /** A span as the Collector writes it now. */
  public static void span(RowBinaryOutput out, SpanData span) {
    span(out, span, false);
  }

  /**
   * A span; with {@code legacyValues} in the Collector's earlier form: {@code SPAN_KIND_*} and
   * {@code STATUS_CODE_*} strings, the scope also copied into the span attributes.
   */
  public static void span(RowBinaryOutput out, SpanData span, boolean legacyValues) {
    span(out, span, legacyValues, false);
  }

  /**
   * A span as {@link #span(RowBinaryOutput, SpanData, boolean)} writes it; with {@code
   * jsonAttributes} its attributes as the text of {@code JSON} columns, values typed.
   */
  public static void span(
      RowBinaryOutput out, SpanData span, boolean legacyValues, boolean jsonAttributes) {
    SpanContext context = span.getSpanContext();
    out.dateTime64Nanos(span.getStartEpochNanos());
    // ids are lowercase hex
    out.asciiString(context.getTraceId());
    out.asciiString(context.getSpanId());
    out.asciiString(
        span.getParentSpanContext().isValid() ? span.getParentSpanContext().getSpanId() : "");
    out.string(traceState(context));
    out.string(span.getName());
    out.string(spanKind(span.getKind(), legacyValues));
    ResourceCache resource = resource(out, span.getResource());
    out.string(resource.serviceName);
    resourceAttributes(out, resource, jsonAttributes);
    InstrumentationScopeInfo scope = span.getInstrumentationScopeInfo();
    out.string(scope.getName());
    out.string(nullToEmpty(scope.getVersion()));
    if (legacyValues && jsonAttributes) {
      var attributes = span.getAttributes().toBuilder();
      if (span.getAttributes().get(SCOPE_NAME) == null) {
        attributes.put(SCOPE_NAME, scope.getName());
      }
      if (scope.getVersion() != null && span.getAttributes().get(SCOPE_VERSION) == null) {
        attributes.put(SCOPE_VERSION, scope.getVersion());
      }
      out.string(AttributeStrings.jsonObject(attributes.build()));
    } else if (legacyValues) {
      Map<String, String> attributes = AttributeStrings.of(span.getAttributes());
      attributes.putIfAbsent("otel.scope.name", scope.getName());
      if (scope.getVersion() != null) {
        attributes.putIfAbsent("otel.scope.version", scope.getVersion());
      }
      out.stringMap(attributes);
    } else {
      attributes(out, span.getAttributes(), jsonAttributes);
    }
    out.uint64(Math.max(0, span.getEndEpochNanos() - span.getStartEpochNanos()));
    out.string(statusCode(span.getStatus().getStatusCode(), legacyValues));
    out.string(nullToEmpty(span.getStatus().getDescription()));
    // indexed loops: the SDK's lists are random access, and an iterator is an allocation per span
    List<EventData> events = span.getEvents();
    int eventCount = events.size();
    out.varint(eventCount);
    for (int i = 0; i < eventCount; i++) {
      out.dateTime64Nanos(events.get(i).getEpochNanos());
    }
    out.varint(eventCount);
    for (int i = 0; i < eventCount; i++) {
      out.string(events.get(i).getName());
    }
    out.varint(eventCount);
    for (int i = 0; i < eventCount; i++) {
      attributes(out, events.get(i).getAttributes(), jsonAttributes);
    }
    List<LinkData> links = span.getLinks();
    int linkCount = links.size();
    out.varint(linkCount);
    for (int i = 0; i < linkCount; i++) {
      out.string(hexId(links.get(i).getSpanContext(), true));
    }
    out.varint(linkCount);
    for (int i = 0; i < linkCount; i++) {
      out.string(hexId(links.get(i).getSpanContext(), false));
    }
    out.varint(linkCount);
    for (int i = 0; i < linkCount; i++) {
      out.string(traceState(links.get(i).getSpanContext()));
    }
    out.varint(linkCount);
    for (int i = 0; i < linkCount; i++) {
      attributes(out, links.get(i).getAttributes(), jsonAttributes);
    }
  }

  public static void log(RowBinaryOutput out, LogRecordData log) {
    log(out, log, false);
  }

  /**
   * A log record; with {@code jsonAttributes} its attributes as the text of {@code JSON} columns,
   * values typed, and without {@code EventName}, which the Collector's JSON logs table lacks.
   */
  public static void log(RowBinaryOutput out, LogRecordData log, boolean jsonAttributes) {
    long timestamp =
        log.getTimestampEpochNanos() != 0
            ? log.getTimestampEpochNanos()
            : log.getObservedTimestampEpochNanos();
    SpanContext context = log.getSpanContext();
    out.dateTime64Nanos(timestamp);
    out.string(hexId(context, true));
    out.string(hexId(context, false));
    out.uint8(context.isValid() ? context.getTraceFlags().asByte() & 0xff : 0);
    out.string(log.getSeverityText() != null ? log.getSeverityText() : severityName(log));
    out.uint8(log.getSeverity().getSeverityNumber());
    ResourceCache resource = resource(out, log.getResource());
    out.string(resource.serviceName);
    out.string(AttributeStrings.valueToString(log.getBodyValue()));
    out.string(nullToEmpty(log.getResource().getSchemaUrl()));
    resourceAttributes(out, resource, jsonAttributes);
    InstrumentationScopeInfo scope = log.getInstrumentationScopeInfo();
    out.string(nullToEmpty(scope.getSchemaUrl()));
    out.string(scope.getName());
    out.string(nullToEmpty(scope.getVersion()));
    attributes(out, scope.getAttributes(), jsonAttributes);
    attributes(out, log.getAttributes(), jsonAttributes);
    if (!jsonAttributes) {
      out.string(nullToEmpty(log.getEventName()));
    }
  }

  private static String severityName(LogRecordData log) {
    return log.getSeverity().getSeverityNumber() == 0 ? "" : log.getSeverity().name();
  }

  /** The table a metric's points go to. */
  public static TelemetryTable tableOf(MetricData metric) {
    return switch (metric.getType()) {
      case LONG_GAUGE, DOUBLE_GAUGE -> TelemetryTable.METRICS_GAUGE;
      case LONG_SUM, DOUBLE_SUM -> TelemetryTable.METRICS_SUM;
      case HISTOGRAM -> TelemetryTable.METRICS_HISTOGRAM;
      case EXPONENTIAL_HISTOGRAM -> TelemetryTable.METRICS_EXPONENTIAL_HISTOGRAM;
      default -> TelemetryTable.METRICS_SUMMARY;
    };
  }

  /** Writes one row per data point of {@code metric}; returns the number of rows. */
  public static int metric(RowBinaryOutput out, MetricData metric) {
    int rows = 0;
    for (PointData point : metric.getData().getPoints()) {
      metricCommon(out, metric, point);
      switch (metric.getType()) {
        case LONG_GAUGE, DOUBLE_GAUGE -> {
          out.float64(numberValue(point));
          out.uint32(0);
          exemplars(out, point.getExemplars());
        }
        case LONG_SUM, DOUBLE_SUM -> {
          SumData<?> sum =
              metric.getType() == MetricDataType.LONG_SUM
                  ? metric.getLongSumData()
                  : metric.getDoubleSumData();
          out.float64(numberValue(point));
          out.uint32(0);
          exemplars(out, point.getExemplars());
          out.int32(temporality(sum.getAggregationTemporality()));
          out.bool(sum.isMonotonic());
        }
        case HISTOGRAM -> {
          HistogramPointData histogram = (HistogramPointData) point;
          out.uint64(histogram.getCount());
          out.float64(histogram.getSum());
          out.varint(histogram.getCounts().size());
          for (Long count : histogram.getCounts()) {
            out.uint64(count);
          }
          out.varint(histogram.getBoundaries().size());
          for (Double bound : histogram.getBoundaries()) {
            out.float64(bound);
          }
          exemplars(out, histogram.getExemplars());
          out.uint32(0);
          out.float64(histogram.hasMin() ? histogram.getMin() : 0);
          out.float64(histogram.hasMax() ? histogram.getMax() : 0);
          out.int32(temporality(metric.getHistogramData().getAggregationTemporality()));
        }
        case EXPONENTIAL_HISTOGRAM -> {
          ExponentialHistogramPointData exponential = (ExponentialHistogramPointData) point;
          out.uint64(exponential.getCount());
          out.float64(exponential.getSum());
          out.int32(exponential.getScale());
          out.uint64(exponential.getZeroCount());
          out.int32(exponential.getPositiveBuckets().getOffset());
          uint64Array(out, exponential.getPositiveBuckets().getBucketCounts());
          out.int32(exponential.getNegativeBuckets().getOffset());
          uint64Array(out, exponential.getNegativeBuckets().getBucketCounts());
          exemplars(out, exponential.getExemplars());
          out.uint32(0);
          out.float64(exponential.hasMin() ? exponential.getMin() : 0);
          out.float64(exponential.hasMax() ? exponential.getMax() : 0);
          out.int32(temporality(metric.getExponentialHistogramData().getAggregationTemporality()));
        }
        default -> {
          SummaryPointData summary = (SummaryPointData) point;
          out.uint64(summary.getCount());
          out.float64(summary.getSum());
          List<ValueAtQuantile> values = summary.getValues();
          out.varint(values.size());
          for (ValueAtQuantile value : values) {
            out.float64(value.getQuantile());
          }
          out.varint(values.size());
          for (ValueAtQuantile value : values) {
            out.float64(value.getValue());
          }
          out.uint32(0);
        }
      }
      rows++;
    }
    return rows;
  }

  private static void metricCommon(RowBinaryOutput out, MetricData metric, PointData point) {
    Resource resource = metric.getResource();
    InstrumentationScopeInfo scope = metric.getInstrumentationScopeInfo();
    ResourceCache cached = resource(out, resource);
    resourceAttributes(out, cached, false);
    out.string(nullToEmpty(resource.getSchemaUrl()));
    out.string(scope.getName());
    out.string(nullToEmpty(scope.getVersion()));
    out.attributeMap(scope.getAttributes());
    out.uint32(0);
    out.string(nullToEmpty(scope.getSchemaUrl()));
    out.string(cached.serviceName);
    out.string(metric.getName());
    out.string(metric.getDescription());
    out.string(metric.getUnit());
    out.attributeMap(point.getAttributes());
    out.dateTime64Nanos(point.getStartEpochNanos());
    out.dateTime64Nanos(point.getEpochNanos());
  }

  private static double numberValue(PointData point) {
    return point instanceof LongPointData longPointData
        ? longPointData.getValue()
        : ((DoublePointData) point).getValue();
  }

  private static void uint64Array(RowBinaryOutput out, List<Long> values) {
    out.varint(values.size());
    for (Long value : values) {
      out.uint64(value);
    }
  }

  private static void exemplars(RowBinaryOutput out, List<? extends ExemplarData> exemplars) {
    out.varint(exemplars.size());
    for (ExemplarData exemplar : exemplars) {
      out.attributeMap(exemplar.getFilteredAttributes());
    }
    out.varint(exemplars.size());
    for (ExemplarData exemplar : exemplars) {
      out.dateTime64Nanos(exemplar.getEpochNanos());
    }
    out.varint(exemplars.size());
    for (ExemplarData exemplar : exemplars) {
      out.float64(
          exemplar instanceof LongExemplarData longExemplarData
              ? longExemplarData.getValue()
              : ((DoubleExemplarData) exemplar).getValue());
    }
    out.varint(exemplars.size());
    for (ExemplarData exemplar : exemplars) {
      out.string(hexId(exemplar.getSpanContext(), false));
    }
    out.varint(exemplars.size());
    for (ExemplarData exemplar : exemplars) {
      out.string(hexId(exemplar.getSpanContext(), true));
    }
  }

  private static int temporality(AggregationTemporality temporality) {
    return temporality == AggregationTemporality.DELTA ? 1 : 2;
  }

  private static String traceState(SpanContext context) {
    if (context.getTraceState().isEmpty()) {
      return "";
    }
    StringBuilder result = new StringBuilder();
    context
        .getTraceState()
        .forEach(
            (k, v) ->
                result.append(result.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return result.toString();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
