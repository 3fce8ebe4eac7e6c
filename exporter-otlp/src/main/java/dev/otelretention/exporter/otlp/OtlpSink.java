package dev.otelretention.exporter.otlp;

import dev.otelretention.config.ConfigException;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.otlp.OtlpExporters.OtlpProtocol;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.otlpjson.OtlpJsonEncoder;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The OTLP sink: per signal the SDK's OTLP exporter ({@code http/protobuf} or {@code grpc}) behind
 * the core export stage — sending queue, retries with the stage's intervals, request timeout,
 * memory bound, self-monitoring and the durable spool. Create it with {@link
 * OtlpExporters.Builder#buildSink()}.
 */
final class OtlpSink implements TelemetrySink {
  private static final Duration STAGE_MARGIN = Duration.ofSeconds(1);
  private final OtlpSettings settings;

  private OtlpSink(OtlpSettings settings) {
    this.settings = settings;
  }

  /** A sink with these settings. */
  public static OtlpSink create(OtlpSettings settings) {
    return new OtlpSink(Objects.requireNonNull(settings, "settings"));
  }

  @Override
  public String name() {
    return "otlp";
  }

  @Override
  public String description() {
    java.util.Set<String> proxies = new java.util.LinkedHashSet<>();
    for (Signal signal : Signal.values()) {
      if (!settings.signal(signal).proxy().isDirect()) {
        proxies.add(settings.signal(signal).proxy().toString());
      }
    }
    return destinations() + (proxies.isEmpty() ? "" : " through the " + String.join(", ", proxies));
  }

  private String destinations() {
    OtlpSettings.SignalSettings traces = settings.signal(Signal.TRACES);
    OtlpSettings.SignalSettings metrics = settings.signal(Signal.METRICS);
    OtlpSettings.SignalSettings logs = settings.signal(Signal.LOGS);
    boolean oneProtocol =
        traces.protocol() == metrics.protocol() && traces.protocol() == logs.protocol();
    if (oneProtocol
        && traces.protocol() == OtlpProtocol.GRPC
        && traces.displayEndpoint().equals(metrics.displayEndpoint())
        && traces.displayEndpoint().equals(logs.displayEndpoint())) {
      return "OTLP grpc to " + traces.displayEndpoint();
    }
    return oneProtocol
        ? "OTLP "
            + traces.protocol().value()
            + ": traces to "
            + traces.displayEndpoint()
            + ", metrics to "
            + metrics.displayEndpoint()
            + ", logs to "
            + logs.displayEndpoint()
        : "OTLP: traces "
            + traces.protocol().value()
            + " to "
            + traces.displayEndpoint()
            + ", metrics "
            + metrics.protocol().value()
            + " to "
            + metrics.displayEndpoint()
            + ", logs "
            + logs.protocol().value()
            + " to "
            + logs.displayEndpoint();
  }

  /** The settings this sink was built with. */
  public OtlpSettings settings() {
    return settings;
  }

  @Override
  public SpanExporter createSpanExporter(SinkContext context) {
    OtlpSettings.SignalSettings signal = settings.signal(Signal.TRACES);
    Duration timeout = timeout(signal, context);
    SpanExporter exporter =
        signal.protocol() == OtlpProtocol.GRPC
            ? grpcSpans(signal, timeout)
            : httpSpans(signal, timeout);
    OtlpDestination<SpanData> destination =
        new OtlpDestination<>(
            "otlp/traces",
            exporter::export,
            exporter::shutdown,
            batch -> encode(out -> OtlpJsonEncoder.writeSpans(batch, out)),
            json -> OtlpJsonDecoder.decode(json).spans(),
            timeout);
    return staged(timeout, destination, d -> context.spanExporter("otlp_span_exporter", d));
  }

  @Override
  public MetricExporter createMetricExporter(SinkContext context) {
    OtlpSettings.SignalSettings signal = settings.signal(Signal.METRICS);
    Duration timeout = timeout(signal, context);
    MetricExporter exporter =
        signal.protocol() == OtlpProtocol.GRPC
            ? grpcMetrics(signal, timeout)
            : httpMetrics(signal, timeout);
    OtlpDestination<MetricData> destination =
        new OtlpDestination<>(
            "otlp/metrics",
            exporter::export,
            exporter::shutdown,
            batch -> encode(out -> OtlpJsonEncoder.writeMetrics(batch, out)),
            json -> OtlpJsonDecoder.decode(json).metrics(),
            timeout);
    return staged(
        timeout,
        destination,
        d ->
            context.metricExporter(
                "otlp_metric_exporter",
                d,
                settings.temporalitySelector(),
                settings.defaultAggregation()));
  }

  @Override
  public LogRecordExporter createLogRecordExporter(SinkContext context) {
    OtlpSettings.SignalSettings signal = settings.signal(Signal.LOGS);
    Duration timeout = timeout(signal, context);
    LogRecordExporter exporter =
        signal.protocol() == OtlpProtocol.GRPC
            ? grpcLogs(signal, timeout)
            : httpLogs(signal, timeout);
    OtlpDestination<LogRecordData> destination =
        new OtlpDestination<>(
            "otlp/logs",
            exporter::export,
            exporter::shutdown,
            batch -> encode(out -> OtlpJsonEncoder.writeLogs(batch, out)),
            json -> OtlpJsonDecoder.decode(json).logs(),
            timeout);
    return staged(timeout, destination, d -> context.logRecordExporter("otlp_log_exporter", d));
  }

  private static Duration timeout(OtlpSettings.SignalSettings signal, SinkContext context) {
    return signal.timeout() == null ? context.requestTimeout() : signal.timeout();
  }

  /**
   * The stage around {@code destination}. Its request timeout is a second longer than the SDK
   * exporter's, so that a request ends (answered or timed out) before the stage gives up on it and
   * sends the batch again.
   */
  private static <T, E> E staged(
      Duration timeout,
      OtlpDestination<T> destination,
      Function<OtlpDestination<T>, SinkContext.StagedExporter<T, E>> exporter) {
    try {
      return exporter
          .apply(destination)
          .requestTimeout(timeout.plus(STAGE_MARGIN))
          .onStopped(() -> destination.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS))
          .build();
    } catch (RuntimeException e) {
      destination.shutdown();
      throw e;
    }
  }

  private interface Writer {
    void write(java.io.OutputStream out) throws IOException;
  }

  private static byte[] encode(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private byte[] pem(java.nio.file.Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Applies the headers (fixed and supplied), trusted certificates and client TLS of {@code signal}
   * through a builder's own setters: the SDK's six exporter builders share no interface.
   */
  private void applyRequestSettings(
      OtlpSettings.SignalSettings signal,
      BiConsumer<String, String> addHeader,
      Consumer<Supplier<Map<String, String>>> setHeaders,
      Consumer<byte[]> setTrustedCertificates,
      BiConsumer<byte[], byte[]> setClientTls) {
    signal.headers().forEach(addHeader);
    if (settings.headerSupplier() != null) {
      setHeaders.accept(settings.headerSupplier());
    }
    if (signal.trustedCertificates() != null) {
      setTrustedCertificates.accept(pem(signal.trustedCertificates()));
    }
    if (signal.clientCertificate() != null) {
      setClientTls.accept(pem(signal.clientKey()), pem(signal.clientCertificate()));
    }
  }

  private SpanExporter httpSpans(OtlpSettings.SignalSettings signal, Duration timeout) {
    OtlpHttpSpanExporterBuilder builder =
        OtlpHttpSpanExporter.builder()
            .setComponentLoader(new OtlpSenders("otlp/traces", signal.proxy()))
            .setMeterProvider(MeterProvider::noop)
            .setEndpoint(signal.endpoint())
            .setCompression(signal.compression())
            .setTimeout(timeout)
            .setRetryPolicy(null);
    applyRequestSettings(
        signal,
        builder::addHeader,
        builder::setHeaders,
        builder::setTrustedCertificates,
        builder::setClientTls);
    return builder.build();
  }

  private SpanExporter grpcSpans(OtlpSettings.SignalSettings signal, Duration timeout) {
    OtlpGrpcSpanExporterBuilder builder =
        OtlpGrpcSpanExporter.builder()
            .setComponentLoader(new OtlpSenders("otlp/traces", signal.proxy()))
            .setMeterProvider(MeterProvider::noop)
            .setEndpoint(signal.endpoint())
            .setCompression(signal.compression())
            .setTimeout(timeout)
            .setRetryPolicy(null);
    applyRequestSettings(
        signal,
        builder::addHeader,
        builder::setHeaders,
        builder::setTrustedCertificates,
        builder::setClientTls);
    return builder.build();
  }

  private MetricExporter httpMetrics(OtlpSettings.SignalSettings signal, Duration timeout) {
    OtlpHttpMetricExporterBuilder builder =
        OtlpHttpMetricExporter.builder()
            .setComponentLoader(new OtlpSenders("otlp/metrics", signal.proxy()))
            .setMeterProvider(MeterProvider::noop)
            .setEndpoint(signal.endpoint())
            .setCompression(signal.compression())
            .setTimeout(timeout)
            .setRetryPolicy(null);
    applyRequestSettings(
        signal,
        builder::addHeader,
        builder::setHeaders,
        builder::setTrustedCertificates,
        builder::setClientTls);
    return builder.build();
  }

  private MetricExporter grpcMetrics(OtlpSettings.SignalSettings signal, Duration timeout) {
    OtlpGrpcMetricExporterBuilder builder =
        OtlpGrpcMetricExporter.builder()
            .setComponentLoader(new OtlpSenders("otlp/metrics", signal.proxy()))
            .setMeterProvider(MeterProvider::noop)
            .setEndpoint(signal.endpoint())
            .setCompression(signal.compression())
            .setTimeout(timeout)
            .setRetryPolicy(null);
    applyRequestSettings(
        signal,
        builder::addHeader,
        builder::setHeaders,
        builder::setTrustedCertificates,
        builder::setClientTls);
    return builder.build();
  }

  private LogRecordExporter httpLogs(OtlpSettings.SignalSettings signal, Duration timeout) {
    OtlpHttpLogRecordExporterBuilder builder =
        OtlpHttpLogRecordExporter.builder()
            .setComponentLoader(new OtlpSenders("otlp/logs", signal.proxy()))
            .setMeterProvider(MeterProvider::noop)
            .setEndpoint(signal.endpoint())
            .setCompression(signal.compression())
            .setTimeout(timeout)
            .setRetryPolicy(null);
    applyRequestSettings(
        signal,
        builder::addHeader,
        builder::setHeaders,
        builder::setTrustedCertificates,
        builder::setClientTls);
    return builder.build();
  }

  private LogRecordExporter grpcLogs(OtlpSettings.SignalSettings signal, Duration timeout) {
    OtlpGrpcLogRecordExporterBuilder builder =
        OtlpGrpcLogRecordExporter.builder()
            .setComponentLoader(new OtlpSenders("otlp/logs", signal.proxy()))
            .setMeterProvider(MeterProvider::noop)
            .setEndpoint(signal.endpoint())
            .setCompression(signal.compression())
            .setTimeout(timeout)
            .setRetryPolicy(null);
    applyRequestSettings(
        signal,
        builder::addHeader,
        builder::setHeaders,
        builder::setTrustedCertificates,
        builder::setClientTls);
    return builder.build();
  }

  @Override
  public String toString() {
    return "OtlpSink{" + settings + "}";
  }
}
