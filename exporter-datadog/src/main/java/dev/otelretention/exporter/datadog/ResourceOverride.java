package dev.otelretention.exporter.datadog;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The settings that win over the resource ({@code DD_SERVICE}, {@code DD_ENV}, {@code DD_VERSION},
 * {@code DD_HOSTNAME}) written into it as {@code service.name}, {@code
 * deployment.environment.name}, {@code service.version} and {@code host.name}, for Datadog's OTLP
 * intake, which reads them from the resource. The merged resource of the last resource seen is
 * kept, as almost every item shares one.
 */
final class ResourceOverride {
  private final Attributes overrides;
  private volatile Merged last;

  /** A resource and what it became, replaced as a whole so that threads may share it. */
  private record Merged(Resource source, Resource result) {}

  ResourceOverride(DatadogSettings settings) {
    AttributesBuilder builder = Attributes.builder();
    if (settings.service() != null) {
      builder.put("service.name", settings.service());
    }
    if (settings.env() != null) {
      builder.put("deployment.environment.name", settings.env());
    }
    if (settings.version() != null) {
      builder.put("service.version", settings.version());
    }
    if (settings.hostname() != null) {
      builder.put("host.name", settings.hostname());
    }
    this.overrides = builder.build();
  }

  boolean isEmpty() {
    return overrides.isEmpty();
  }

  Resource apply(Resource resource) {
    Merged merged = last;
    if (merged == null || merged.source() != resource) {
      merged = new Merged(resource, resource.merge(Resource.create(overrides)));
      last = merged;
    }
    return merged.result();
  }

  Collection<SpanData> spans(Collection<SpanData> spans) {
    return map(
        spans,
        span ->
            new DelegatingSpanData(span) {
              private final Resource resource = apply(span.getResource());

              @Override
              public Resource getResource() {
                return resource;
              }
            });
  }

  Collection<MetricData> metrics(Collection<MetricData> metrics) {
    return map(metrics, metric -> new OverriddenMetric(metric, apply(metric.getResource())));
  }

  Collection<LogRecordData> logs(Collection<LogRecordData> logs) {
    return map(logs, log -> new OverriddenLog(log, apply(log.getResource())));
  }

  private <T> Collection<T> map(Collection<T> items, Function<T, T> mapper) {
    if (overrides.isEmpty()) {
      return items;
    }
    List<T> mapped = new ArrayList<>(items.size());
    for (T item : items) {
      mapped.add(mapper.apply(item));
    }
    return mapped;
  }

  private record OverriddenMetric(MetricData metric, Resource resource) implements MetricData {
    @Override
    public Resource getResource() {
      return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return metric.getInstrumentationScopeInfo();
    }

    @Override
    public String getName() {
      return metric.getName();
    }

    @Override
    public String getDescription() {
      return metric.getDescription();
    }

    @Override
    public String getUnit() {
      return metric.getUnit();
    }

    @Override
    public MetricDataType getType() {
      return metric.getType();
    }

    @Override
    public Data<?> getData() {
      return metric.getData();
    }
  }

  private record OverriddenLog(LogRecordData log, Resource resource) implements LogRecordData {
    @Override
    public Resource getResource() {
      return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return log.getInstrumentationScopeInfo();
    }

    @Override
    public long getTimestampEpochNanos() {
      return log.getTimestampEpochNanos();
    }

    @Override
    public long getObservedTimestampEpochNanos() {
      return log.getObservedTimestampEpochNanos();
    }

    @Override
    public SpanContext getSpanContext() {
      return log.getSpanContext();
    }

    @Override
    public Severity getSeverity() {
      return log.getSeverity();
    }

    @Override
    public String getSeverityText() {
      return log.getSeverityText();
    }

    @Override
    @SuppressWarnings("deprecation") // the interface still requires it; getBodyValue is read first
    public Body getBody() {
      return log.getBody();
    }

    @Override
    public Value<?> getBodyValue() {
      return log.getBodyValue();
    }

    @Override
    public Attributes getAttributes() {
      return log.getAttributes();
    }

    @Override
    public int getTotalAttributeCount() {
      return log.getTotalAttributeCount();
    }

    @Override
    public String getEventName() {
      return log.getEventName();
    }
  }
}
