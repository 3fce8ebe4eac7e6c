package dev.otelretention.exporter.datadog;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.otlp.OtlpExporters;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every signal to Datadog's OTLP intake, with no Agent: OTLP http/protobuf (gzip) through the OTLP
 * sink, to the endpoints and with the headers Datadog documents
 * (docs.datadoghq.com/opentelemetry/setup/otlp_ingest/): {@code dd-api-key} on each request; {@code
 * compute_stats: true} on traces so that the intake computes trace metrics; {@code
 * dd-otel-span-mapping} with the span options and {@code dd-otel-metric-config} with the metric
 * options, so that the intake's translation follows this exporter's settings; and delta temporality
 * for every instrument, the only one the metrics intake takes. {@code DD_SERVICE}, {@code DD_ENV},
 * {@code DD_VERSION} and {@code DD_HOSTNAME} are written into the resource, where the intake reads
 * them.
 */
final class DatadogOtlpIntake {
  private final TelemetrySink otlp;
  private final ResourceOverride override;

  DatadogOtlpIntake(DatadogSettings settings) {
    Map<String, String> common = new LinkedHashMap<>();
    common.put("dd-api-key", settings.apiKey());
    common.put("dd-protocol", "otlp");
    Map<String, String> traces = new LinkedHashMap<>(common);
    if (settings.computeTraceMetrics()) {
      traces.put("compute_stats", "true");
    }
    String spanMapping = spanMapping(settings);
    if (spanMapping != null) {
      traces.put("dd-otel-span-mapping", spanMapping);
    }
    Map<String, String> metrics = new LinkedHashMap<>(common);
    metrics.put("dd-otel-metric-config", metricConfig(settings));
    this.otlp =
        OtlpExporters.builder()
            .protocol(OtlpExporters.OtlpProtocol.HTTP_PROTOBUF)
            .compression("gzip")
            .endpoint(Signal.TRACES, settings.otlpTracesUrl().toString())
            .endpoint(Signal.METRICS, settings.otlpMetricsUrl().toString())
            .endpoint(Signal.LOGS, settings.otlpLogsUrl().toString())
            .headers(Signal.TRACES, traces)
            .headers(Signal.METRICS, metrics)
            .headers(Signal.LOGS, common)
            .temporality(type -> AggregationTemporality.DELTA)
            .buildSink();
    this.override = new ResourceOverride(settings);
  }

  /** The span options as the intake's {@code dd-otel-span-mapping}, or null when none is set. */
  private static String spanMapping(DatadogSettings settings) {
    if (settings.spanNameRemappings().isEmpty() && settings.ignoreResources().isEmpty()) {
      return null;
    }
    return json(
        gen -> {
          if (!settings.ignoreResources().isEmpty()) {
            gen.writeArrayFieldStart("ignore_resources");
            for (Pattern pattern : settings.ignoreResources()) {
              gen.writeString(pattern.pattern());
            }
            gen.writeEndArray();
          }
          if (!settings.spanNameRemappings().isEmpty()) {
            gen.writeObjectFieldStart("span_name_remappings");
            for (Map.Entry<String, String> entry : settings.spanNameRemappings().entrySet()) {
              gen.writeStringField(entry.getKey(), entry.getValue());
            }
            gen.writeEndObject();
          }
        });
  }

  /** The metric options as the intake's {@code dd-otel-metric-config}. */
  private static String metricConfig(DatadogSettings settings) {
    return json(
        gen -> {
          gen.writeBooleanField("resource_attributes_as_tags", settings.resourceAttributesAsTags());
          gen.writeObjectFieldStart("histograms");
          gen.writeStringField("mode", settings.histogramMode());
          gen.writeBooleanField("send_aggregation_metrics", settings.sendAggregationMetrics());
          gen.writeEndObject();
        });
  }

  private interface Fields {
    void write(JsonGenerator gen) throws IOException;
  }

  private static String json(Fields fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator gen = WellFormedJson.generator(bytes)) {
      gen.writeStartObject();
      fields.write(gen);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  SpanExporter spanExporter(SinkContext context) {
    SpanExporter delegate = otlp.createSpanExporter(context);
    if (override.isEmpty()) {
      return delegate;
    }
    return new MappedSpanExporter(delegate, override::spans);
  }

  MetricExporter metricExporter(SinkContext context) {
    MetricExporter delegate = otlp.createMetricExporter(context);
    if (override.isEmpty()) {
      return delegate;
    }
    return new MetricExporter() {
      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return delegate.getAggregationTemporality(type);
      }

      @Override
      public Aggregation getDefaultAggregation(InstrumentType type) {
        return delegate.getDefaultAggregation(type);
      }

      @Override
      public MemoryMode getMemoryMode() {
        return delegate.getMemoryMode();
      }

      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        return delegate.export(override.metrics(metrics));
      }

      @Override
      public CompletableResultCode flush() {
        return delegate.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return delegate.shutdown();
      }

      @Override
      public String toString() {
        return delegate.toString();
      }
    };
  }

  LogRecordExporter logRecordExporter(SinkContext context) {
    LogRecordExporter delegate = otlp.createLogRecordExporter(context);
    if (override.isEmpty()) {
      return delegate;
    }
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        return delegate.export(override.logs(logs));
      }

      @Override
      public CompletableResultCode flush() {
        return delegate.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return delegate.shutdown();
      }

      @Override
      public String toString() {
        return delegate.toString();
      }
    };
  }
}
