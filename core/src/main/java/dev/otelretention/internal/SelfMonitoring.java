package dev.otelretention.internal;

import dev.otelretention.export.ExportStats;
import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.Signal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.ArrayList;
import java.util.List;

/**
 * The library's own metrics, named after the {@code otel.sdk.*} semantic conventions where they
 * fit: per exporter {@code otel.sdk.exporter.<item>.exported} (with {@code error.type} for lost
 * items), {@code otel.sdk.exporter.<item>.inflight}, {@code otel.sdk.exporter.operation.duration};
 * per signal {@code otel.sdk.processor.<item>.processed} and {@code .queue.size}/{@code
 * .queue.capacity}; plus {@code otel_retention.exporter.retried}, {@code
 * otel_retention.exporter.queue.size}/{@code .capacity} and {@code
 * otel_retention.memory.used}/{@code .limit} (not under autoconfigure, where the batch queues are
 * the SDK's).
 */
public final class SelfMonitoring {
  public static final String SCOPE = "dev.otelretention";
  static final AttributeKey<String> COMPONENT_TYPE = AttributeKey.stringKey("otel.component.type");
  static final AttributeKey<String> COMPONENT_NAME = AttributeKey.stringKey("otel.component.name");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private SelfMonitoring() {}

  public static List<AutoCloseable> register(
      MeterProvider meterProvider,
      List<ExportStats> stats,
      List<QueueGate> gates,
      MemoryLimiter limiter) {
    Meter meter = meterProvider.get(SCOPE);
    List<AutoCloseable> registrations = new ArrayList<>();
    DoubleHistogram duration =
        meter
            .histogramBuilder("otel.sdk.exporter.operation.duration")
            .setUnit("s")
            .setDescription("Duration of export operations.")
            .build();
    for (ExportStats s : stats) {
      s.bindDurationHistogram(duration, componentAttributes(s));
    }
    for (Signal signal : Signal.values()) {
      List<ExportStats> ofSignal = stats.stream().filter(s -> s.signal() == signal).toList();
      String item = signal.itemName();
      if (!ofSignal.isEmpty()) {
        registrations.add(
            meter
                .counterBuilder("otel.sdk.exporter." + item + ".exported")
                .setUnit("{" + item + "}")
                .setDescription(
                    "Items handed to exporters: delivered, or lost with error.type giving the reason.")
                .buildWithCallback(m -> ofSignal.forEach(s -> observeExported(m, s))));
        registrations.add(
            meter
                .upDownCounterBuilder("otel.sdk.exporter." + item + ".inflight")
                .setUnit("{" + item + "}")
                .setDescription("Items accepted by exporters and not yet delivered or lost.")
                .buildWithCallback(
                    m ->
                        ofSignal.forEach(s -> m.record(s.pendingItems(), componentAttributes(s)))));
      }
      gates.stream()
          .filter(g -> g.signal() == signal)
          .findFirst()
          .ifPresent(gate -> registrations.addAll(registerGate(meter, gate)));
    }
    registrations.add(
        meter
            .counterBuilder("otel_retention.exporter.retried")
            .setUnit("{item}")
            .setDescription("Items sent again after a failed export attempt.")
            .buildWithCallback(
                m -> stats.forEach(s -> m.record(s.retried(), componentAttributes(s)))));
    registrations.add(
        meter
            .upDownCounterBuilder("otel_retention.exporter.queue.size")
            .setUnit("{batch}")
            .setDescription("Batches waiting in an exporter's sending queue.")
            .buildWithCallback(
                m -> stats.forEach(s -> m.record(s.queueDepth(), componentAttributes(s)))));
    registrations.add(
        meter
            .upDownCounterBuilder("otel_retention.exporter.queue.capacity")
            .setUnit("{batch}")
            .setDescription("Capacity of an exporter's sending queue (0 when it has none).")
            .buildWithCallback(
                m -> stats.forEach(s -> m.record(s.queueCapacity(), componentAttributes(s)))));
    if (limiter == null) {
      return registrations;
    }
    registrations.add(
        meter
            .upDownCounterBuilder("otel_retention.memory.used")
            .setUnit("By")
            .setDescription("Estimated bytes of telemetry queued inside the library.")
            .buildWithCallback(m -> m.record(limiter.usedBytes())));
    if (!limiter.isUnlimited()) {
      registrations.add(
          meter
              .upDownCounterBuilder("otel_retention.memory.limit")
              .setUnit("By")
              .setDescription("Soft limit above which telemetry is refused.")
              .buildWithCallback(m -> m.record(limiter.softLimitBytes())));
    }
    return registrations;
  }

  private static List<AutoCloseable> registerGate(Meter meter, QueueGate gate) {
    String item = gate.signal().itemName();
    Attributes base = Attributes.of(COMPONENT_TYPE, "batching_" + item + "_processor");
    Attributes memory = base.toBuilder().put(ERROR_TYPE, "memory_limit").build();
    Attributes full = base.toBuilder().put(ERROR_TYPE, "queue_full").build();
    return List.of(
        meter
            .counterBuilder("otel.sdk.processor." + item + ".processed")
            .setUnit("{" + item + "}")
            .setDescription(
                "Items that entered the batch queue, or were refused with error.type giving the reason.")
            .buildWithCallback(
                m -> {
                  m.record(gate.accepted(), base);
                  m.record(gate.refusedMemoryLimit(), memory);
                  m.record(gate.refusedQueueFull(), full);
                }),
        meter
            .upDownCounterBuilder("otel.sdk.processor." + item + ".queue.size")
            .setUnit("{" + item + "}")
            .setDescription("Items waiting in the batch queue.")
            .buildWithCallback(m -> m.record(gate.queued(), base)),
        meter
            .upDownCounterBuilder("otel.sdk.processor." + item + ".queue.capacity")
            .setUnit("{" + item + "}")
            .setDescription("Capacity of the batch queue.")
            .buildWithCallback(m -> m.record(gate.capacity(), base)));
  }

  private static void observeExported(ObservableLongMeasurement measurement, ExportStats stats) {
    Attributes attributes = componentAttributes(stats);
    measurement.record(stats.exported(), attributes);
    stats
        .droppedByReason()
        .forEach(
            (reason, count) ->
                measurement.record(count, attributes.toBuilder().put(ERROR_TYPE, reason).build()));
    long unknown = stats.unknown();
    if (unknown > 0) {
      // failed as the client saw them, so counted with an error type, the one that says so
      measurement.record(
          unknown, attributes.toBuilder().put(ERROR_TYPE, "timeout_unknown").build());
    }
  }

  public static Attributes componentAttributes(ExportStats stats) {
    return Attributes.of(
        COMPONENT_TYPE, stats.componentType(), COMPONENT_NAME, stats.componentName());
  }
}
