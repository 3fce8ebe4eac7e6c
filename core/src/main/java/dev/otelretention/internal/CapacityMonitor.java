package dev.otelretention.internal;

import dev.otelretention.capacity.CapacityStatus;
import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.sink.CapacityProbe;
import dev.otelretention.sink.CapacityProbe.CapacitySample;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Measures the sinks' stores every interval, compares them with the thresholds, logs alerts as they
 * start and end, and reports both as gauges: {@code otel_retention.capacity.used}, {@code
 * .projected}, {@code .growth}, {@code .free}, {@code .free_ratio} and {@code .alert} (1 while a
 * check is over its limit, else 0).
 */
public final class CapacityMonitor implements AutoCloseable {
  static final String PROJECTED = CapacityThresholds.PROJECTED_BYTES;
  static final String GROWTH = CapacityThresholds.GROWTH_RATE;
  static final String FREE_BYTES = CapacityThresholds.FREE_BYTES;
  static final String FREE_RATIO = CapacityThresholds.FREE_RATIO;
  static final AttributeKey<String> SINK = AttributeKey.stringKey("otel_retention.sink");
  static final AttributeKey<String> STORE = AttributeKey.stringKey("otel_retention.store");
  static final AttributeKey<String> CHECK = AttributeKey.stringKey("otel_retention.check");
  private static final Logger logger = Logger.getLogger(CapacityMonitor.class.getName());

  private final Map<String, CapacityProbe> probes;
  private final CapacityThresholds thresholds;
  private final Map<String, List<CapacityStatus>> statuses = new LinkedHashMap<>();
  private final Set<String> raised = new HashSet<>();
  private final Set<String> failing = new HashSet<>();
  private final ScheduledExecutorService scheduler;
  private boolean measured;
  private volatile boolean closed;

  public CapacityMonitor(Map<String, CapacityProbe> probes, CapacityThresholds thresholds) {
    this.probes = new LinkedHashMap<>(probes);
    this.thresholds = thresholds;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "otel-retention-capacity");
              thread.setDaemon(true);
              return thread;
            });
  }

  public void start() {
    long interval = thresholds.interval().toMillis();
    var unused =
        scheduler.scheduleWithFixedDelay(this::checkQuietly, 0, interval, TimeUnit.MILLISECONDS);
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "otel-retention: capacity check failed", e);
    }
  }

  /** Measures every sink now and returns the statuses. */
  public synchronized List<CapacityStatus> check() {
    for (Map.Entry<String, CapacityProbe> probe : probes.entrySet()) {
      String sink = probe.getKey();
      List<CapacitySample> samples;
      try {
        samples = probe.getValue().sample();
        if (failing.remove(sink)) {
          logger.info("otel-retention: capacity of " + sink + " can be measured again");
        }
      } catch (Exception e) {
        if (failing.add(sink)) {
          logger.warning(
              "otel-retention: cannot measure the capacity of "
                  + sink
                  + " (keeping the last figures): "
                  + e);
        }
        continue;
      }
      Instant now = Instant.now();
      List<CapacityStatus> sinkStatuses = new ArrayList<>();
      for (CapacitySample sample : samples) {
        List<String> alerts = alerts(sample);
        for (String check : List.of(PROJECTED, GROWTH, FREE_BYTES, FREE_RATIO)) {
          String key = sink + " " + sample.store() + " " + check;
          if (alerts.contains(check) && raised.add(key)) {
            logger.warning(
                "otel-retention: capacity alert "
                    + check
                    + " for "
                    + sink
                    + " "
                    + sample.store()
                    + ": "
                    + describe(sample, check));
          } else if (!alerts.contains(check) && raised.remove(key)) {
            logger.info(
                "otel-retention: capacity alert "
                    + check
                    + " for "
                    + sink
                    + " "
                    + sample.store()
                    + " is over");
          }
        }
        sinkStatuses.add(new CapacityStatus(sink, sample, alerts, now));
      }
      statuses.put(sink, sinkStatuses);
    }
    measured = true;
    return statuses();
  }

  public synchronized List<CapacityStatus> statuses() {
    List<CapacityStatus> all = new ArrayList<>();
    statuses.values().forEach(all::addAll);
    return all;
  }

  private List<String> applicable(CapacitySample sample) {
    return thresholds.applicableChecks(sample);
  }

  private List<String> alerts(CapacitySample sample) {
    return thresholds.alerts(sample);
  }

  private String describe(CapacitySample sample, String check) {
    return switch (check) {
      case PROJECTED ->
          "projected " + sample.projectedBytes() + " bytes > " + thresholds.maxProjectedBytes();
      case GROWTH ->
          "growing "
              + Math.round(sample.growthBytesPerDay())
              + " bytes/day > "
              + Math.round(thresholds.maxGrowthBytesPerDay());
      case FREE_BYTES -> sample.freeBytes() + " bytes free < " + thresholds.minFreeBytes();
      default ->
          String.format(
              Locale.ROOT,
              "%.1f%% free < %.1f%%",
              sample.freeRatio() * 100,
              thresholds.minFreeRatio() * 100);
    };
  }

  /**
   * Registers the gauges; close the returned registrations when done. All of them report one
   * snapshot per collection, and a collection before the first measurement waits for it, so that a
   * short-lived process still reports its figures at shutdown.
   */
  public List<AutoCloseable> register(Meter meter) {
    ObservableLongMeasurement used =
        meter
            .gaugeBuilder("otel_retention.capacity.used")
            .ofLongs()
            .setUnit("By")
            .setDescription("Bytes a table, file or disk of a sink uses.")
            .buildObserver();
    ObservableLongMeasurement projected =
        meter
            .gaugeBuilder("otel_retention.capacity.projected")
            .ofLongs()
            .setUnit("By")
            .setDescription(
                "Bytes a table or file will use at its retention and the recent growth.")
            .buildObserver();
    ObservableDoubleMeasurement growth =
        meter
            .gaugeBuilder("otel_retention.capacity.growth")
            .setUnit("By/d")
            .setDescription("Bytes a table or file takes in per day lately.")
            .buildObserver();
    ObservableLongMeasurement free =
        meter
            .gaugeBuilder("otel_retention.capacity.free")
            .ofLongs()
            .setUnit("By")
            .setDescription("Bytes free on a disk a sink writes to.")
            .buildObserver();
    ObservableDoubleMeasurement freeRatio =
        meter
            .gaugeBuilder("otel_retention.capacity.free_ratio")
            .setUnit("1")
            .setDescription("Part of a disk that is free.")
            .buildObserver();
    ObservableLongMeasurement alert =
        meter
            .gaugeBuilder("otel_retention.capacity.alert")
            .ofLongs()
            .setUnit("1")
            .setDescription(
                "1 while a capacity check (otel_retention.check) is over its limit, 0 otherwise.")
            .buildObserver();
    Runnable report =
        () -> {
          for (CapacityStatus status : reportedStatuses()) {
            CapacitySample sample = status.sample();
            Attributes attributes = attributes(status);
            used.record(sample.usedBytes(), attributes);
            if (sample.projectedBytes() >= 0) {
              projected.record(sample.projectedBytes(), attributes);
            }
            if (!Double.isNaN(sample.growthBytesPerDay())) {
              growth.record(sample.growthBytesPerDay(), attributes);
            }
            if (sample.freeBytes() >= 0) {
              free.record(sample.freeBytes(), attributes);
            }
            if (!Double.isNaN(sample.freeRatio())) {
              freeRatio.record(sample.freeRatio(), attributes);
            }
            for (String check : applicable(sample)) {
              alert.record(
                  status.alerts().contains(check) ? 1 : 0,
                  attributes.toBuilder().put(CHECK, check).build());
            }
          }
        };
    return List.of(meter.batchCallback(report, used, projected, growth, free, freeRatio, alert));
  }

  /** The statuses to report: measured now if no measurement has finished yet. */
  private synchronized List<CapacityStatus> reportedStatuses() {
    if (!measured && !closed) {
      check();
    }
    return statuses();
  }

  private static Attributes attributes(CapacityStatus status) {
    return Attributes.of(SINK, status.sink(), STORE, status.sample().store());
  }

  /** Stops the checks and waits for one under way, so that no probe runs after this returns. */
  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
