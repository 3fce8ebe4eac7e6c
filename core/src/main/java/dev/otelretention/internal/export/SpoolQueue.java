package dev.otelretention.internal.export;

import dev.otelretention.config.ConfigException;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.export.SpoolableDestination;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sending queue on disk: batches are encoded and appended to the durable spool before they are
 * accepted, sent in order (several records at once where the destination combines them), retried
 * while younger than the spool's maximum age, and kept for the next start when the stage stops.
 */
final class SpoolQueue<T> implements StageQueue<T, SpoolGroup> {
  private static final Logger logger = Logger.getLogger(ExportStage.class.getName());

  /** The most payload bytes one delivery combines from the spool. */
  private static final long MAX_DELIVERY_BYTES = 32L << 20;

  private final SpoolableDestination<T> destination;
  private final ExportStats stats;
  private final RetryingSender sender;
  private final long maxAgeMillis;
  private final DurableSpool spool;

  /**
   * Opens the spool of {@code settings}, recovering what an earlier process left.
   *
   * @throws ConfigException if the spool cannot be opened
   */
  SpoolQueue(
      SpoolableDestination<T> destination,
      ExportStats stats,
      RetryingSender sender,
      SpoolSettings settings) {
    this.destination = destination;
    this.stats = stats;
    this.sender = sender;
    this.maxAgeMillis = settings.maxAge().toMillis();
    try {
      this.spool =
          DurableSpool.open(
              settings.directory(),
              settings,
              grouping(settings, destination),
              stats::recordDropped);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot use the spool " + settings.directory().toAbsolutePath() + ": " + e.getMessage(),
          e);
    }
  }

  private static SpoolGrouping grouping(
      SpoolSettings settings, SpoolableDestination<?> destination) {
    if (!destination.combinesRecords() || settings.deliveryMaxItems() <= 1) {
      return SpoolGrouping.NONE;
    }
    return new SpoolGrouping(
        settings.deliveryMaxItems(), MAX_DELIVERY_BYTES, settings.deliveryMaxDelay());
  }

  @Override
  public Pending<T> prepare(List<T> items) throws Refused {
    try {
      return new Pending<>(items, 0, destination.encode(items));
    } catch (ExportException e) {
      throw new Refused(e.isRetryable() ? "encode_error" : "non_retryable", e);
    } catch (RuntimeException e) {
      throw new Refused("internal_error", e);
    }
  }

  @Override
  public void add(Pending<T> pending) throws Refused {
    try {
      spool.append(pending.record(), pending.items().size());
    } catch (SpoolFullException e) {
      throw new Refused("spool_full", e);
    } catch (IOException e) {
      throw new Refused("io_error", e);
    }
  }

  @Override
  public SpoolGroup poll(boolean now) throws IOException {
    return spool.pollGroup(now);
  }

  @Override
  public long nanosUntilDue() {
    return spool.nanosUntilDue();
  }

  @Override
  public int items(SpoolGroup group) {
    return group.items();
  }

  /**
   * Sends until delivered, failed for good or expired; a group the stop interrupts stays in the
   * spool.
   */
  @Override
  public Outcome send(SpoolGroup group) {
    long expiresAtMillis = group.createdAtMillis() + maxAgeMillis;
    RetryingSender.Result result =
        sender.send(
            group.items(),
            () -> destination.sendEncoded(group.payloads(), group.token()),
            (now, wait, failure) ->
                System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(wait) > expiresAtMillis
                    ? new RetryingSender.Drop(
                        "spool_expired",
                        "not delivered within the spool's maximum age; last error "
                            + RetryingSender.detail(failure))
                    : null);
    return switch (result.outcome()) {
      case DELIVERED -> Outcome.DELIVERED;
      case DROPPED -> Outcome.DROPPED;
      case STOPPED -> Outcome.KEPT;
    };
  }

  @Override
  public void release(SpoolGroup group, Outcome outcome) {
    if (outcome == Outcome.KEPT) {
      return;
    }
    try {
      destination.finishedEncoded(group.token());
    } catch (RuntimeException e) {
      logger.log(Level.FINE, "otel-retention: destination failed to release a record", e);
    }
  }

  @Override
  public void settle(SpoolGroup group, Outcome outcome) {
    if (outcome == Outcome.KEPT) {
      spool.putBack(group);
    } else {
      spool.done(group);
    }
  }

  @Override
  public boolean isDrained() {
    return spool.pendingRecords() == 0;
  }

  @Override
  public int depth() {
    return spool.waitingRecords();
  }

  @Override
  public int capacity() {
    return 0;
  }

  @Override
  public long pendingItems() {
    return spool.pendingItems();
  }

  @Override
  public List<SpoolGroup> abandon() {
    return List.of();
  }

  @Override
  public long close() {
    long kept = spool.pendingItems();
    spool.close();
    if (kept > 0) {
      logger.info(
          "otel-retention: "
              + stats.componentName()
              + " keeps "
              + kept
              + " items in the spool "
              + spool.directory()
              + " for the next start");
    }
    return kept;
  }
}
