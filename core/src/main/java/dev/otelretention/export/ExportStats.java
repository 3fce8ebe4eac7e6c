package dev.otelretention.export;

import dev.otelretention.common.ProblemLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Exact counts of what one exporter did with the items of one signal: delivered, dropped (with a
 * reason), retried, plus the last success and last error. Thread-safe; recording costs a few atomic
 * additions.
 *
 * <p>Every item handed to an exporter ends as exactly one of: exported, dropped, or still pending
 * (queued or in flight). Core reads these counts for the health view and for the self-monitoring
 * metrics. Every drop is also the last error and is logged through the component's {@link
 * ProblemLog} (one line per reason per minute).
 */
public final class ExportStats {
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final String componentName;
  private final String componentType;
  private final Signal signal;
  private final LongAdder exported = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final Map<String, LongAdder> droppedByReason = new ConcurrentHashMap<>();
  private final LongAdder unknown = new LongAdder();
  private final ProblemLog problems;
  private volatile Instant lastDroppedAt;
  private volatile Instant lastSuccess;
  private volatile Instant lastErrorAt;
  private volatile String lastError;
  private volatile IntSupplier queueDepth = () -> 0;
  private volatile int queueCapacity;
  private volatile LongSupplier pendingItems = () -> 0;
  private volatile DoubleHistogram durationHistogram;
  private volatile Attributes durationAttributes = Attributes.empty();

  /**
   * Creates statistics for one exporter.
   *
   * @param componentName the exporter instance name, e.g. {@code file/traces}
   * @param componentType the exporter kind, e.g. {@code otlp_file_span_exporter}
   * @param signal the signal it exports
   */
  public ExportStats(String componentName, String componentType, Signal signal) {
    this.componentName = Objects.requireNonNull(componentName, "componentName");
    this.componentType = Objects.requireNonNull(componentType, "componentType");
    this.signal = Objects.requireNonNull(signal, "signal");
    this.problems = new ProblemLog(Logger.getLogger(ExportStats.class.getName()), componentName);
  }

  /** Records {@code items} delivered in one export operation that took {@code durationNanos}. */
  public void recordExported(long items, long durationNanos) {
    exported.add(items);
    lastSuccess = Instant.now();
    recordDuration(durationNanos, null);
  }

  /**
   * Records one failed attempt to deliver {@code items}. Whether the items are lost is recorded
   * separately with {@link #recordDropped} (they may still be retried).
   */
  public void recordFailedAttempt(
      long items, String errorType, String message, long durationNanos) {
    failedAttempts.increment();
    lastErrorAt = Instant.now();
    lastError = errorType + ": " + message;
    recordDuration(durationNanos, errorType);
  }

  /**
   * Records {@code items} that will never be delivered, with a short reason such as {@code
   * queue_full}.
   */
  public void recordDropped(long items, String reason) {
    recordDropped(items, reason, null);
  }

  /**
   * Records {@code items} that will never be delivered, with a short reason such as {@code
   * queue_full} and what caused it ({@code null} when the reason says all). The drop becomes the
   * last error and is logged, at most once a minute per reason with the counts in between.
   */
  public void recordDropped(long items, String reason, String cause) {
    if (items <= 0) {
      return;
    }
    droppedByReason.computeIfAbsent(reason, r -> new LongAdder()).add(items);
    String message =
        "dropped "
            + items
            + (items == 1 ? " item (" : " items (")
            + reason
            + ")"
            + (cause == null ? "" : ": " + cause);
    recordLoss("dropped " + reason, items, message);
  }

  /**
   * Records {@code items} left out on purpose by a setting (such as Datadog's {@code
   * ignore_resources}): counted under {@code reason} with the drops, so that they show in the
   * statistics, but neither logged nor made the last error, as nothing went wrong.
   */
  public void recordFiltered(long items, String reason) {
    if (items > 0) {
      droppedByReason.computeIfAbsent(reason, r -> new LongAdder()).add(items);
    }
  }

  /** Makes a loss, or an unknown outcome, the last error and logs it under {@code problem}. */
  private void recordLoss(String problem, long items, String message) {
    Instant now = Instant.now();
    lastError = message;
    lastErrorAt = now;
    lastDroppedAt = now;
    problems.report(Level.WARNING, problem, items, message);
  }

  /**
   * Records {@code items} given up on whose last attempt timed out on this side: the destination
   * may have stored them (a request that timed out may still have been applied), so they are
   * counted apart from the items known to be lost, as delivered or not is unknown. Logged like a
   * drop, at most once a minute.
   */
  public void recordUnknown(long items, String reason, String cause) {
    if (items <= 0) {
      return;
    }
    unknown.add(items);
    String message =
        "gave up on "
            + items
            + (items == 1 ? " item" : " items")
            + " whose last attempt timed out ("
            + reason
            + "): the destination may or may not have stored "
            + (items == 1 ? "it" : "them")
            + (cause == null ? "" : "; " + cause);
    recordLoss("unknown " + reason, items, message);
  }

  /** Records {@code items} sent again after a failed attempt. */
  public void recordRetried(long items) {
    retried.add(items);
  }

  /**
   * Tells these statistics how to read the queue depth (in batches), its capacity and the pending
   * items.
   */
  public void bindQueue(IntSupplier depth, int capacity, LongSupplier pending) {
    this.queueDepth = Objects.requireNonNull(depth, "depth");
    this.queueCapacity = capacity;
    this.pendingItems = Objects.requireNonNull(pending, "pending");
  }

  /** Connects the operation-duration histogram once the meter provider exists; called by core. */
  public void bindDurationHistogram(DoubleHistogram histogram, Attributes attributes) {
    this.durationAttributes = Objects.requireNonNull(attributes, "attributes");
    this.durationHistogram = histogram;
  }

  private void recordDuration(long durationNanos, String errorType) {
    DoubleHistogram histogram = durationHistogram;
    if (histogram != null && durationNanos >= 0) {
      Attributes attributes =
          errorType == null
              ? durationAttributes
              : durationAttributes.toBuilder().put(ERROR_TYPE, errorType).build();
      histogram.record(durationNanos / 1e9, attributes);
    }
  }

  /** The exporter instance name, e.g. {@code file/traces}. */
  public String componentName() {
    return componentName;
  }

  /** The exporter kind, e.g. {@code otlp_file_span_exporter}. */
  public String componentType() {
    return componentType;
  }

  /** The signal these statistics are for. */
  public Signal signal() {
    return signal;
  }

  /** Items delivered. */
  public long exported() {
    return exported.sum();
  }

  /** Items sent again after a failed attempt (counted once per retry). */
  public long retried() {
    return retried.sum();
  }

  /** Failed delivery attempts (operations, not items). */
  public long failedAttempts() {
    return failedAttempts.sum();
  }

  /** Items that will never be delivered, all reasons together. */
  public long dropped() {
    long total = 0;
    for (LongAdder adder : droppedByReason.values()) {
      total += adder.sum();
    }
    return total;
  }

  /**
   * Items given up on after an attempt that timed out, which the destination may have stored; not
   * part of {@link #dropped()}.
   */
  public long unknown() {
    return unknown.sum();
  }

  /** Dropped items by reason, sorted by reason. */
  public Map<String, Long> droppedByReason() {
    Map<String, Long> result = new TreeMap<>();
    droppedByReason.forEach((reason, adder) -> result.put(reason, adder.sum()));
    return result;
  }

  /** Batches waiting in the sending queue (0 for exporters without one). */
  public int queueDepth() {
    return queueDepth.getAsInt();
  }

  /** Capacity of the sending queue in batches (0 for exporters without one). */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** Items accepted but neither delivered nor dropped yet. */
  public long pendingItems() {
    return pendingItems.getAsLong();
  }

  /** Time of the last successful export, or {@code null} if none yet. */
  public Instant lastSuccess() {
    return lastSuccess;
  }

  /** Time of the last failed attempt or drop, or {@code null} if none yet. */
  public Instant lastErrorAt() {
    return lastErrorAt;
  }

  /** Type and message of the last failed attempt or drop, or {@code null} if none yet. */
  public String lastError() {
    return lastError;
  }

  /** Time of the last drop, or {@code null} if nothing was dropped. */
  public Instant lastDroppedAt() {
    return lastDroppedAt;
  }

  /** The rate-limited log of this component's problems. */
  public ProblemLog problems() {
    return problems;
  }
}
