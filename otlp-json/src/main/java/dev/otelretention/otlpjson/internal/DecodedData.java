package dev.otelretention.otlpjson.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;

/** The SDK data types, as decoded from OTLP/JSON: immutable values with nothing left to compute. */
final class DecodedData {
  private DecodedData() {}

  record Span(
      Resource resource,
      InstrumentationScopeInfo scope,
      String name,
      SpanKind kind,
      SpanContext spanContext,
      SpanContext parentSpanContext,
      StatusData status,
      long startEpochNanos,
      long endEpochNanos,
      Attributes attributes,
      int totalAttributeCount,
      List<EventData> events,
      int totalRecordedEvents,
      List<LinkData> links,
      int totalRecordedLinks)
      implements SpanData {
    @Override
    public String getName() {
      return name;
    }

    @Override
    public SpanKind getKind() {
      return kind;
    }

    @Override
    public SpanContext getSpanContext() {
      return spanContext;
    }

    @Override
    public SpanContext getParentSpanContext() {
      return parentSpanContext;
    }

    @Override
    public StatusData getStatus() {
      return status;
    }

    @Override
    public long getStartEpochNanos() {
      return startEpochNanos;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public List<LinkData> getLinks() {
      return links;
    }

    @Override
    public long getEndEpochNanos() {
      return endEpochNanos;
    }

    @Override
    public boolean hasEnded() {
      return true;
    }

    @Override
    public int getTotalRecordedEvents() {
      return totalRecordedEvents;
    }

    @Override
    public int getTotalRecordedLinks() {
      return totalRecordedLinks;
    }

    @Override
    public int getTotalAttributeCount() {
      return totalAttributeCount;
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return InstrumentationLibraryInfo.create(
          scope.getName(), scope.getVersion(), scope.getSchemaUrl());
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return scope;
    }

    @Override
    public Resource getResource() {
      return resource;
    }
  }

  record LogRecord(
      Resource resource,
      InstrumentationScopeInfo scope,
      long timestampEpochNanos,
      long observedTimestampEpochNanos,
      SpanContext spanContext,
      Severity severity,
      String severityText,
      Value<?> bodyValue,
      Attributes attributes,
      int totalAttributeCount,
      String eventName)
      implements LogRecordData {
    @Override
    public Resource getResource() {
      return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return scope;
    }

    @Override
    public long getTimestampEpochNanos() {
      return timestampEpochNanos;
    }

    @Override
    public long getObservedTimestampEpochNanos() {
      return observedTimestampEpochNanos;
    }

    @Override
    public SpanContext getSpanContext() {
      return spanContext;
    }

    @Override
    public Severity getSeverity() {
      return severity;
    }

    @Override
    public String getSeverityText() {
      return severityText;
    }

    @Override
    @Deprecated
    @SuppressWarnings("deprecation")
    public Body getBody() {
      return bodyValue == null ? Body.empty() : Body.string(bodyValue.asString());
    }

    @Override
    public Value<?> getBodyValue() {
      return bodyValue;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return totalAttributeCount;
    }

    @Override
    public String getEventName() {
      return eventName;
    }
  }

  record Metric(
      Resource resource,
      InstrumentationScopeInfo scope,
      String name,
      String description,
      String unit,
      MetricDataType type,
      Data<?> data)
      implements MetricData {
    @Override
    public Resource getResource() {
      return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return scope;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public String getDescription() {
      return description;
    }

    @Override
    public String getUnit() {
      return unit;
    }

    @Override
    public MetricDataType getType() {
      return type;
    }

    @Override
    public Data<?> getData() {
      return data;
    }
  }

  record LongPoint(
      long startEpochNanos,
      long epochNanos,
      Attributes attributes,
      long value,
      List<LongExemplarData> exemplars)
      implements LongPointData {
    @Override
    public long getStartEpochNanos() {
      return startEpochNanos;
    }

    @Override
    public long getEpochNanos() {
      return epochNanos;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public long getValue() {
      return value;
    }

    @Override
    public List<LongExemplarData> getExemplars() {
      return exemplars;
    }
  }

  record HistogramPoint(
      long startEpochNanos,
      long epochNanos,
      Attributes attributes,
      double sum,
      long count,
      boolean hasMin,
      double min,
      boolean hasMax,
      double max,
      List<Double> boundaries,
      List<Long> counts,
      List<DoubleExemplarData> exemplars)
      implements HistogramPointData {
    @Override
    public long getStartEpochNanos() {
      return startEpochNanos;
    }

    @Override
    public long getEpochNanos() {
      return epochNanos;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public double getSum() {
      return sum;
    }

    @Override
    public long getCount() {
      return count;
    }

    @Override
    public boolean hasMin() {
      return hasMin;
    }

    @Override
    public double getMin() {
      return min;
    }

    @Override
    public boolean hasMax() {
      return hasMax;
    }

    @Override
    public double getMax() {
      return max;
    }

    @Override
    public List<Double> getBoundaries() {
      return boundaries;
    }

    @Override
    public List<Long> getCounts() {
      return counts;
    }

    @Override
    public List<DoubleExemplarData> getExemplars() {
      return exemplars;
    }
  }
}
