package dev.otelretention.exporter.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.common.ValueType;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfoBuilder;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes one OTLP/JSON export request (a line of a telemetry file, as this library or the
 * OpenTelemetry Collector's file exporter writes it) into the SDK's data types, so that any
 * exporter can send it on. It follows the OTLP/JSON rules: ids in hex, 64-bit integers as strings
 * or numbers, enums as numbers or names, and {@code NaN}/{@code Infinity} as strings.
 *
 * <pre>{@code
 * DecodedTelemetry telemetry = OtlpJsonDecoder.decode(record.json());
 * spanExporter.export(telemetry.spans());
 * }</pre>
 */
public final class OtlpJsonDecoder {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Object NULL = new Object();

  private OtlpJsonDecoder() {}

  /**
   * Decodes a traces, metrics or logs request.
   *
   * @throws IllegalArgumentException naming the field when the text is not a valid OTLP/JSON
   *     request
   */
  public static DecodedTelemetry decode(String json) {
    Map<String, Object> request = object(parse(json), "request");
    List<SpanData> spans = new ArrayList<>();
    List<MetricData> metrics = new ArrayList<>();
    List<LogRecordData> logs = new ArrayList<>();
    boolean known = false;
    if (request.containsKey("resourceSpans")) {
      known = true;
      forEachScope(
          request,
          "resourceSpans",
          "scopeSpans",
          "spans",
          (resource, scope, item, path) -> spans.add(span(resource, scope, item, path)));
    }
    if (request.containsKey("resourceMetrics")) {
      known = true;
      forEachScope(
          request,
          "resourceMetrics",
          "scopeMetrics",
          "metrics",
          (resource, scope, item, path) -> metrics.add(metric(resource, scope, item, path)));
    }
    if (request.containsKey("resourceLogs")) {
      known = true;
      forEachScope(
          request,
          "resourceLogs",
          "scopeLogs",
          "logRecords",
          (resource, scope, item, path) -> logs.add(log(resource, scope, item, path)));
    }
    if (!known) {
      throw new IllegalArgumentException(
          "not an OTLP/JSON request: no resourceSpans, resourceMetrics or resourceLogs");
    }
    return new DecodedTelemetry(spans, metrics, logs);
  }

  private interface ItemDecoder {
    void decode(
        Resource resource, InstrumentationScopeInfo scope, Map<String, Object> item, String path);
  }

  private static void forEachScope(
      Map<String, Object> request,
      String resourcesField,
      String scopesField,
      String itemsField,
      ItemDecoder decoder) {
    List<Object> resources = array(request.get(resourcesField), resourcesField);
    for (int r = 0; r < resources.size(); r++) {
      String resourcePath = resourcesField + "[" + r + "]";
      Map<String, Object> resourceEntry = object(resources.get(r), resourcePath);
      Map<String, Object> resourceObject =
          optionalObject(resourceEntry.get("resource"), resourcePath + ".resource");
      Resource resource =
          Resource.create(
              attributes(resourceObject.get("attributes"), resourcePath + ".resource.attributes"),
              emptyToNull(string(resourceEntry.get("schemaUrl"), resourcePath + ".schemaUrl")));
      List<Object> scopes = array(resourceEntry.get(scopesField), resourcePath + "." + scopesField);
      for (int s = 0; s < scopes.size(); s++) {
        String scopePath = resourcePath + "." + scopesField + "[" + s + "]";
        Map<String, Object> scopeEntry = object(scopes.get(s), scopePath);
        Map<String, Object> scopeObject =
            optionalObject(scopeEntry.get("scope"), scopePath + ".scope");
        InstrumentationScopeInfoBuilder scopeBuilder =
            InstrumentationScopeInfo.builder(
                string(scopeObject.get("name"), scopePath + ".scope.name"));
        String version = string(scopeObject.get("version"), scopePath + ".scope.version");
        if (!version.isEmpty()) {
          scopeBuilder.setVersion(version);
        }
        String schemaUrl = string(scopeEntry.get("schemaUrl"), scopePath + ".schemaUrl");
        if (!schemaUrl.isEmpty()) {
          scopeBuilder.setSchemaUrl(schemaUrl);
        }
        scopeBuilder.setAttributes(
            attributes(scopeObject.get("attributes"), scopePath + ".scope.attributes"));
        InstrumentationScopeInfo scope = scopeBuilder.build();
        List<Object> items = array(scopeEntry.get(itemsField), scopePath + "." + itemsField);
        for (int i = 0; i < items.size(); i++) {
          String itemPath = scopePath + "." + itemsField + "[" + i + "]";
          decoder.decode(resource, scope, object(items.get(i), itemPath), itemPath);
        }
      }
    }
  }

  // ---- spans ----

  private static SpanData span(
      Resource resource, InstrumentationScopeInfo scope, Map<String, Object> span, String path) {
    long flags = int64(span.get("flags"), path + ".flags");
    String traceId = id(span.get("traceId"), 32, path + ".traceId");
    String spanId = id(span.get("spanId"), 16, path + ".spanId");
    TraceState traceState =
        traceState(string(span.get("traceState"), path + ".traceState"), path + ".traceState");
    SpanContext context =
        SpanContext.create(traceId, spanId, TraceFlags.fromByte((byte) flags), traceState);
    String parentSpanId = id(span.get("parentSpanId"), 16, path + ".parentSpanId");
    SpanContext parent = SpanContext.getInvalid();
    if (!parentSpanId.isEmpty()) {
      parent =
          (flags & 0x200) != 0
              ? SpanContext.createFromRemoteParent(
                  traceId, parentSpanId, context.getTraceFlags(), TraceState.getDefault())
              : SpanContext.create(
                  traceId, parentSpanId, context.getTraceFlags(), TraceState.getDefault());
    }
    Attributes attributes = attributes(span.get("attributes"), path + ".attributes");
    List<EventData> events = new ArrayList<>();
    List<Object> eventList = array(span.get("events"), path + ".events");
    for (int i = 0; i < eventList.size(); i++) {
      String eventPath = path + ".events[" + i + "]";
      Map<String, Object> event = object(eventList.get(i), eventPath);
      Attributes eventAttributes = attributes(event.get("attributes"), eventPath + ".attributes");
      events.add(
          EventData.create(
              int64(event.get("timeUnixNano"), eventPath + ".timeUnixNano"),
              string(event.get("name"), eventPath + ".name"),
              eventAttributes,
              eventAttributes.size()
                  + count(
                      event.get("droppedAttributesCount"), eventPath + ".droppedAttributesCount")));
    }
    List<LinkData> links = new ArrayList<>();
    List<Object> linkList = array(span.get("links"), path + ".links");
    for (int i = 0; i < linkList.size(); i++) {
      String linkPath = path + ".links[" + i + "]";
      Map<String, Object> link = object(linkList.get(i), linkPath);
      long linkFlags = int64(link.get("flags"), linkPath + ".flags");
      String linkedTrace = id(link.get("traceId"), 32, linkPath + ".traceId");
      String linkedSpan = id(link.get("spanId"), 16, linkPath + ".spanId");
      TraceState linkedState =
          traceState(
              string(link.get("traceState"), linkPath + ".traceState"), linkPath + ".traceState");
      SpanContext linked =
          (linkFlags & 0x200) != 0
              ? SpanContext.createFromRemoteParent(
                  linkedTrace, linkedSpan, TraceFlags.fromByte((byte) linkFlags), linkedState)
              : SpanContext.create(
                  linkedTrace, linkedSpan, TraceFlags.fromByte((byte) linkFlags), linkedState);
      Attributes linkAttributes = attributes(link.get("attributes"), linkPath + ".attributes");
      links.add(
          LinkData.create(
              linked,
              linkAttributes,
              linkAttributes.size()
                  + count(
                      link.get("droppedAttributesCount"), linkPath + ".droppedAttributesCount")));
    }
    Map<String, Object> status = optionalObject(span.get("status"), path + ".status");
    StatusCode code = statusCode(status.get("code"), path + ".status.code");
    String message = string(status.get("message"), path + ".status.message");
    return new DecodedData.Span(
        resource,
        scope,
        string(span.get("name"), path + ".name"),
        spanKind(span.get("kind"), path + ".kind"),
        context,
        parent,
        StatusData.create(code, message),
        int64(span.get("startTimeUnixNano"), path + ".startTimeUnixNano"),
        int64(span.get("endTimeUnixNano"), path + ".endTimeUnixNano"),
        attributes,
        attributes.size()
            + count(span.get("droppedAttributesCount"), path + ".droppedAttributesCount"),
        List.copyOf(events),
        events.size() + count(span.get("droppedEventsCount"), path + ".droppedEventsCount"),
        List.copyOf(links),
        links.size() + count(span.get("droppedLinksCount"), path + ".droppedLinksCount"));
  }

  private static SpanKind spanKind(Object value, String path) {
    int kind =
        (int)
            enumNumber(
                value,
                path,
                "SPAN_KIND_",
                List.of("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"));
    return switch (kind) {
      case 2 -> SpanKind.SERVER;
      case 3 -> SpanKind.CLIENT;
      case 4 -> SpanKind.PRODUCER;
      case 5 -> SpanKind.CONSUMER;
      default -> SpanKind.INTERNAL;
    };
  }

  private static StatusCode statusCode(Object value, String path) {
    int code = (int) enumNumber(value, path, "STATUS_CODE_", List.of("UNSET", "OK", "ERROR"));
    return code == 1 ? StatusCode.OK : code == 2 ? StatusCode.ERROR : StatusCode.UNSET;
  }

  private static TraceState traceState(String text, String path) {
    if (text.isEmpty()) {
      return TraceState.getDefault();
    }
    TraceStateBuilder builder = TraceState.builder();
    String[] members = text.split(",");
    // the builder puts each new member first, so add them last to first to keep the written order
    for (int i = members.length - 1; i >= 0; i--) {
      String trimmed = members[i].trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            path + ": '" + trimmed + "' is not a key=value trace state member");
      }
      builder.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
    }
    return builder.build();
  }

  // ---- metrics ----

  private static MetricData metric(
      Resource resource, InstrumentationScopeInfo scope, Map<String, Object> metric, String path) {
    String name = string(metric.get("name"), path + ".name");
    String description = string(metric.get("description"), path + ".description");
    String unit = string(metric.get("unit"), path + ".unit");
    if (metric.get("gauge") != null) {
      Map<String, Object> gauge = object(metric.get("gauge"), path + ".gauge");
      List<Map<String, Object>> points = points(gauge, path + ".gauge");
      if (allIntegers(points)) {
        return new DecodedData.Metric(
            resource,
            scope,
            name,
            description,
            unit,
            MetricDataType.LONG_GAUGE,
            GaugeData.createLongGaugeData(longPoints(points, path + ".gauge.dataPoints")));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.DOUBLE_GAUGE,
          GaugeData.createDoubleGaugeData(doublePoints(points, path + ".gauge.dataPoints")));
    }
    if (metric.get("sum") != null) {
      Map<String, Object> sum = object(metric.get("sum"), path + ".sum");
      List<Map<String, Object>> points = points(sum, path + ".sum");
      boolean monotonic = bool(sum.get("isMonotonic"), path + ".sum.isMonotonic");
      AggregationTemporality temporality =
          temporality(sum.get("aggregationTemporality"), path + ".sum.aggregationTemporality");
      if (allIntegers(points)) {
        return new DecodedData.Metric(
            resource,
            scope,
            name,
            description,
            unit,
            MetricDataType.LONG_SUM,
            SumData.createLongSumData(
                monotonic, temporality, longPoints(points, path + ".sum.dataPoints")));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.DOUBLE_SUM,
          SumData.createDoubleSumData(
              monotonic, temporality, doublePoints(points, path + ".sum.dataPoints")));
    }
    if (metric.get("histogram") != null) {
      Map<String, Object> histogram = object(metric.get("histogram"), path + ".histogram");
      List<HistogramPointData> points = new ArrayList<>();
      List<Map<String, Object>> raw = points(histogram, path + ".histogram");
      for (int i = 0; i < raw.size(); i++) {
        String pointPath = path + ".histogram.dataPoints[" + i + "]";
        Map<String, Object> point = raw.get(i);
        points.add(
            new DecodedData.HistogramPoint(
                int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
                int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
                attributes(point.get("attributes"), pointPath + ".attributes"),
                dbl(point.get("sum"), pointPath + ".sum"),
                int64(point.get("count"), pointPath + ".count"),
                point.get("min") != null,
                dbl(point.get("min"), pointPath + ".min"),
                point.get("max") != null,
                dbl(point.get("max"), pointPath + ".max"),
                doubles(point.get("explicitBounds"), pointPath + ".explicitBounds"),
                longs(point.get("bucketCounts"), pointPath + ".bucketCounts"),
                doubleExemplars(point.get("exemplars"), pointPath + ".exemplars")));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.HISTOGRAM,
          HistogramData.create(
              temporality(
                  histogram.get("aggregationTemporality"),
                  path + ".histogram.aggregationTemporality"),
              points));
    }
    if (metric.get("exponentialHistogram") != null) {
      String field = path + ".exponentialHistogram";
      Map<String, Object> histogram = object(metric.get("exponentialHistogram"), field);
      List<ExponentialHistogramPointData> points = new ArrayList<>();
      List<Map<String, Object>> raw = points(histogram, field);
      for (int i = 0; i < raw.size(); i++) {
        String pointPath = field + ".dataPoints[" + i + "]";
        Map<String, Object> point = raw.get(i);
        int scale = (int) int64(point.get("scale"), pointPath + ".scale");
        points.add(
            ExponentialHistogramPointData.create(
                scale,
                dbl(point.get("sum"), pointPath + ".sum"),
                int64(point.get("zeroCount"), pointPath + ".zeroCount"),
                point.get("min") != null,
                dbl(point.get("min"), pointPath + ".min"),
                point.get("max") != null,
                dbl(point.get("max"), pointPath + ".max"),
                buckets(scale, point.get("positive"), pointPath + ".positive"),
                buckets(scale, point.get("negative"), pointPath + ".negative"),
                int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
                int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
                attributes(point.get("attributes"), pointPath + ".attributes"),
                doubleExemplars(point.get("exemplars"), pointPath + ".exemplars")));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.EXPONENTIAL_HISTOGRAM,
          ExponentialHistogramData.create(
              temporality(
                  histogram.get("aggregationTemporality"), field + ".aggregationTemporality"),
              points));
    }
    if (metric.get("summary") != null) {
      Map<String, Object> summary = object(metric.get("summary"), path + ".summary");
      List<SummaryPointData> points = new ArrayList<>();
      List<Map<String, Object>> raw = points(summary, path + ".summary");
      for (int i = 0; i < raw.size(); i++) {
        String pointPath = path + ".summary.dataPoints[" + i + "]";
        Map<String, Object> point = raw.get(i);
        List<ValueAtQuantile> quantiles = new ArrayList<>();
        List<Object> values = array(point.get("quantileValues"), pointPath + ".quantileValues");
        for (int q = 0; q < values.size(); q++) {
          String quantilePath = pointPath + ".quantileValues[" + q + "]";
          Map<String, Object> value = object(values.get(q), quantilePath);
          quantiles.add(
              ValueAtQuantile.create(
                  dbl(value.get("quantile"), quantilePath + ".quantile"),
                  dbl(value.get("value"), quantilePath + ".value")));
        }
        points.add(
            SummaryPointData.create(
                int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
                int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
                attributes(point.get("attributes"), pointPath + ".attributes"),
                int64(point.get("count"), pointPath + ".count"),
                dbl(point.get("sum"), pointPath + ".sum"),
                quantiles));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.SUMMARY,
          SummaryData.create(points));
    }
    throw new IllegalArgumentException(
        path + ": a metric needs gauge, sum, histogram, exponentialHistogram or summary");
  }

  private static List<Map<String, Object>> points(Map<String, Object> data, String path) {
    List<Object> raw = array(data.get("dataPoints"), path + ".dataPoints");
    List<Map<String, Object>> points = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      points.add(object(raw.get(i), path + ".dataPoints[" + i + "]"));
    }
    return points;
  }

  private static boolean allIntegers(List<Map<String, Object>> points) {
    for (Map<String, Object> point : points) {
      if (point.get("asInt") == null) {
        return false;
      }
    }
    return true;
  }

  private static List<LongPointData> longPoints(List<Map<String, Object>> points, String path) {
    List<LongPointData> result = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      String pointPath = path + "[" + i + "]";
      Map<String, Object> point = points.get(i);
      List<LongExemplarData> exemplars = new ArrayList<>();
      List<Object> raw = array(point.get("exemplars"), pointPath + ".exemplars");
      for (int e = 0; e < raw.size(); e++) {
        String exemplarPath = pointPath + ".exemplars[" + e + "]";
        Map<String, Object> exemplar = object(raw.get(e), exemplarPath);
        exemplars.add(
            LongExemplarData.create(
                attributes(
                    exemplar.get("filteredAttributes"), exemplarPath + ".filteredAttributes"),
                int64(exemplar.get("timeUnixNano"), exemplarPath + ".timeUnixNano"),
                exemplarContext(exemplar, exemplarPath),
                exemplar.get("asInt") != null
                    ? int64(exemplar.get("asInt"), exemplarPath + ".asInt")
                    : (long) dbl(exemplar.get("asDouble"), exemplarPath + ".asDouble")));
      }
      result.add(
          new DecodedData.LongPoint(
              int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
              int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
              attributes(point.get("attributes"), pointPath + ".attributes"),
              int64(point.get("asInt"), pointPath + ".asInt"),
              List.copyOf(exemplars)));
    }
    return result;
  }

  private static List<DoublePointData> doublePoints(List<Map<String, Object>> points, String path) {
    List<DoublePointData> result = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      String pointPath = path + "[" + i + "]";
      Map<String, Object> point = points.get(i);
      double value =
          point.get("asInt") != null
              ? int64(point.get("asInt"), pointPath + ".asInt")
              : dbl(point.get("asDouble"), pointPath + ".asDouble");
      result.add(
          DoublePointData.create(
              int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
              int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
              attributes(point.get("attributes"), pointPath + ".attributes"),
              value,
              doubleExemplars(point.get("exemplars"), pointPath + ".exemplars")));
    }
    return result;
  }

  private static List<DoubleExemplarData> doubleExemplars(Object value, String path) {
    List<Object> raw = array(value, path);
    List<DoubleExemplarData> exemplars = new ArrayList<>(raw.size());
    for (int e = 0; e < raw.size(); e++) {
      String exemplarPath = path + "[" + e + "]";
      Map<String, Object> exemplar = object(raw.get(e), exemplarPath);
      exemplars.add(
          DoubleExemplarData.create(
              attributes(exemplar.get("filteredAttributes"), exemplarPath + ".filteredAttributes"),
              int64(exemplar.get("timeUnixNano"), exemplarPath + ".timeUnixNano"),
              exemplarContext(exemplar, exemplarPath),
              exemplar.get("asInt") != null
                  ? int64(exemplar.get("asInt"), exemplarPath + ".asInt")
                  : dbl(exemplar.get("asDouble"), exemplarPath + ".asDouble")));
    }
    return exemplars;
  }

  private static SpanContext exemplarContext(Map<String, Object> exemplar, String path) {
    String traceId = id(exemplar.get("traceId"), 32, path + ".traceId");
    String spanId = id(exemplar.get("spanId"), 16, path + ".spanId");
    if (traceId.isEmpty() || spanId.isEmpty()) {
      return SpanContext.getInvalid();
    }
    return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  private static ExponentialHistogramBuckets buckets(int scale, Object value, String path) {
    Map<String, Object> buckets = optionalObject(value, path);
    return ExponentialHistogramBuckets.create(
        scale,
        (int) int64(buckets.get("offset"), path + ".offset"),
        longs(buckets.get("bucketCounts"), path + ".bucketCounts"));
  }

  private static AggregationTemporality temporality(Object value, String path) {
    long number =
        enumNumber(
            value, path, "AGGREGATION_TEMPORALITY_", List.of("UNSPECIFIED", "DELTA", "CUMULATIVE"));
    if (number == 1) {
      return AggregationTemporality.DELTA;
    }
    if (number == 2) {
      return AggregationTemporality.CUMULATIVE;
    }
    throw new IllegalArgumentException(
        path + ": aggregation temporality must be DELTA (1) or CUMULATIVE (2), got " + number);
  }

  // ---- logs ----

  private static LogRecordData log(
      Resource resource, InstrumentationScopeInfo scope, Map<String, Object> log, String path) {
    String traceId = id(log.get("traceId"), 32, path + ".traceId");
    String spanId = id(log.get("spanId"), 16, path + ".spanId");
    SpanContext context =
        traceId.isEmpty() || spanId.isEmpty()
            ? SpanContext.getInvalid()
            : SpanContext.create(
                traceId,
                spanId,
                TraceFlags.fromByte((byte) int64(log.get("flags"), path + ".flags")),
                TraceState.getDefault());
    Attributes attributes = attributes(log.get("attributes"), path + ".attributes");
    Object body = log.get("body");
    String eventName = string(log.get("eventName"), path + ".eventName");
    return new DecodedData.LogRecord(
        resource,
        scope,
        int64(log.get("timeUnixNano"), path + ".timeUnixNano"),
        int64(log.get("observedTimeUnixNano"), path + ".observedTimeUnixNano"),
        context,
        severity(log.get("severityNumber"), path + ".severityNumber"),
        emptyToNull(string(log.get("severityText"), path + ".severityText")),
        body == null ? null : anyValue(object(body, path + ".body"), path + ".body"),
        attributes,
        attributes.size()
            + count(log.get("droppedAttributesCount"), path + ".droppedAttributesCount"),
        emptyToNull(eventName));
  }

  private static Severity severity(Object value, String path) {
    if (value instanceof String string && string.startsWith("SEVERITY_NUMBER_")) {
      String name = string.substring("SEVERITY_NUMBER_".length());
      for (Severity severity : Severity.values()) {
        if (severity.name().equals(name)) {
          return severity;
        }
      }
      return Severity.UNDEFINED_SEVERITY_NUMBER;
    }
    long number = int64(value, path);
    for (Severity severity : Severity.values()) {
      if (severity.getSeverityNumber() == number) {
        return severity;
      }
    }
    throw new IllegalArgumentException(path + ": severity number must be 0 to 24, got " + number);
  }

  // ---- attributes and values ----

  private static Attributes attributes(Object value, String path) {
    List<Object> list = array(value, path);
    if (list.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder builder = Attributes.builder();
    for (int i = 0; i < list.size(); i++) {
      String itemPath = path + "[" + i + "]";
      Map<String, Object> entry = object(list.get(i), itemPath);
      String key = string(entry.get("key"), itemPath + ".key");
      Value<?> decoded =
          anyValue(optionalObject(entry.get("value"), itemPath + ".value"), itemPath + ".value");
      put(builder, key, decoded);
    }
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private static void put(AttributesBuilder builder, String key, Value<?> value) {
    switch (value.getType()) {
      case STRING -> {
        builder.put(AttributeKey.stringKey(key), (String) value.getValue());
        return;
      }
      case BOOLEAN -> {
        builder.put(AttributeKey.booleanKey(key), (Boolean) value.getValue());
        return;
      }
      case LONG -> {
        builder.put(AttributeKey.longKey(key), (Long) value.getValue());
        return;
      }
      case DOUBLE -> {
        builder.put(AttributeKey.doubleKey(key), (Double) value.getValue());
        return;
      }
      case ARRAY -> {
        List<Value<?>> elements = (List<Value<?>>) value.getValue();
        if (!elements.isEmpty()) {
          ValueType type = elements.get(0).getType();
          boolean homogeneous = true;
          for (Value<?> element : elements) {
            homogeneous &= element.getType() == type;
          }
          if (homogeneous) {
            switch (type) {
              case STRING:
                builder.put(AttributeKey.stringArrayKey(key), values(elements, String.class));
                return;
              case BOOLEAN:
                builder.put(AttributeKey.booleanArrayKey(key), values(elements, Boolean.class));
                return;
              case LONG:
                builder.put(AttributeKey.longArrayKey(key), values(elements, Long.class));
                return;
              case DOUBLE:
                builder.put(AttributeKey.doubleArrayKey(key), values(elements, Double.class));
                return;
              default:
                break;
            }
          }
        } else {
          builder.put(AttributeKey.stringArrayKey(key), List.of());
          return;
        }
        builder.put(AttributeKey.valueKey(key), value);
        return;
      }
      default -> builder.put(AttributeKey.valueKey(key), value);
    }
  }

  private static <T> List<T> values(List<Value<?>> elements, Class<T> type) {
    List<T> result = new ArrayList<>(elements.size());
    for (Value<?> element : elements) {
      result.add(type.cast(element.getValue()));
    }
    return result;
  }

  private static Value<?> anyValue(Map<String, Object> value, String path) {
    if (value.get("stringValue") != null) {
      return Value.of(string(value.get("stringValue"), path + ".stringValue"));
    }
    if (value.get("boolValue") != null) {
      return Value.of(bool(value.get("boolValue"), path + ".boolValue"));
    }
    if (value.get("intValue") != null) {
      return Value.of(int64(value.get("intValue"), path + ".intValue"));
    }
    if (value.get("doubleValue") != null) {
      return Value.of(dbl(value.get("doubleValue"), path + ".doubleValue"));
    }
    if (value.get("arrayValue") != null) {
      Map<String, Object> array = object(value.get("arrayValue"), path + ".arrayValue");
      List<Object> raw = array(array.get("values"), path + ".arrayValue.values");
      List<Value<?>> elements = new ArrayList<>(raw.size());
      for (int i = 0; i < raw.size(); i++) {
        String elementPath = path + ".arrayValue.values[" + i + "]";
        elements.add(anyValue(object(raw.get(i), elementPath), elementPath));
      }
      return Value.of(elements);
    }
    if (value.get("kvlistValue") != null) {
      Map<String, Object> list = object(value.get("kvlistValue"), path + ".kvlistValue");
      List<Object> raw = array(list.get("values"), path + ".kvlistValue.values");
      KeyValue[] entries = new KeyValue[raw.size()];
      for (int i = 0; i < raw.size(); i++) {
        String entryPath = path + ".kvlistValue.values[" + i + "]";
        Map<String, Object> entry = object(raw.get(i), entryPath);
        entries[i] =
            KeyValue.of(
                string(entry.get("key"), entryPath + ".key"),
                anyValue(
                    optionalObject(entry.get("value"), entryPath + ".value"),
                    entryPath + ".value"));
      }
      return Value.of(entries);
    }
    if (value.get("bytesValue") != null) {
      try {
        return Value.of(
            Base64.getDecoder().decode(string(value.get("bytesValue"), path + ".bytesValue")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + ".bytesValue: not base64", e);
      }
    }
    return Value.empty();
  }

  // ---- scalars ----

  private static Object parse(String json) {
    if (json == null) {
      throw new IllegalArgumentException("no JSON text");
    }
    try (JsonParser parser = JSON.createParser(json)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new IllegalArgumentException("empty JSON text");
      }
      Object value = read(parser, token);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("text after the JSON object");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
    }
  }

  private static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          object.put(name, read(parser, parser.nextToken()));
        }
        return object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          array.add(read(parser, next));
        }
        return array;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : parser.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      case VALUE_NULL -> {
        return NULL;
      }
      default -> throw new IOException("unexpected " + token);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String path) {
    if (value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw new IllegalArgumentException(path + ": expected an object");
  }

  private static Map<String, Object> optionalObject(Object value, String path) {
    return value == null || value == NULL ? Map.of() : object(value, path);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> array(Object value, String path) {
    if (value == null || value == NULL) {
      return List.of();
    }
    if (value instanceof List) {
      return (List<Object>) value;
    }
    throw new IllegalArgumentException(path + ": expected an array");
  }

  private static String string(Object value, String path) {
    if (value == null || value == NULL) {
      return "";
    }
    if (value instanceof String string) {
      return string;
    }
    throw new IllegalArgumentException(path + ": expected a string");
  }

  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }

  private static boolean bool(Object value, String path) {
    if (value == null || value == NULL) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(path + ": expected true or false");
  }

  /**
   * A 64-bit integer given as a JSON number or a decimal string; unsigned values above 2^63 wrap as
   * in Java.
   */
  private static long int64(Object value, String path) {
    if (value == null || value == NULL) {
      return 0;
    }
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof BigInteger bigInteger) {
      return bigInteger.longValue();
    }
    if (value instanceof String string) {
      try {
        return new BigInteger(string).longValue();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(path + ": '" + value + "' is not an integer");
      }
    }
    if (value instanceof Double d && d == Math.rint(d)) {
      return d.longValue();
    }
    throw new IllegalArgumentException(path + ": expected an integer");
  }

  private static int count(Object value, String path) {
    long count = int64(value, path);
    if (count < 0 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          path + ": a count must be between 0 and " + Integer.MAX_VALUE + ", got " + count);
    }
    return (int) count;
  }

  private static double dbl(Object value, String path) {
    if (value == null || value == NULL) {
      return 0;
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof String string) {
      return switch (string) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> {
          try {
            yield Double.parseDouble(string);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": '" + value + "' is not a number", e);
          }
        }
      };
    }
    throw new IllegalArgumentException(path + ": expected a number");
  }

  private static List<Double> doubles(Object value, String path) {
    List<Object> raw = array(value, path);
    List<Double> result = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      result.add(dbl(raw.get(i), path + "[" + i + "]"));
    }
    return result;
  }

  private static List<Long> longs(Object value, String path) {
    List<Object> raw = array(value, path);
    List<Long> result = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      result.add(int64(raw.get(i), path + "[" + i + "]"));
    }
    return result;
  }

  private static long enumNumber(Object value, String path, String prefix, List<String> names) {
    if (value instanceof String name && !name.isEmpty() && !Character.isDigit(name.charAt(0))) {

      int index = names.indexOf(name.startsWith(prefix) ? name.substring(prefix.length()) : name);
      if (index < 0) {
        throw new IllegalArgumentException(path + ": unknown value '" + name + "'");
      }
      return index;
    }
    return int64(value, path);
  }

  /** A lowercase hex id of {@code digits} digits, or empty when absent. */
  private static String id(Object value, int digits, String path) {
    String id = string(value, path);
    if (id.isEmpty()) {
      return id;
    }
    String lower = id.toLowerCase(Locale.ROOT);
    if (lower.length() != digits
        || !lower.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException(
          path + ": expected " + digits + " hex digits, got '" + id + "'");
    }
    return lower;
  }
}
