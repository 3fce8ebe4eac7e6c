package dev.otelretention.internal.export;

import java.io.IOException;
import java.util.List;

/**
 * Where the batches an {@link ExportStage} accepted wait for a sender, and how one taken from here
 * is sent and settled: in memory ({@link MemoryQueue}) or in the durable spool ({@link
 * SpoolQueue}). The stage owns the lock and the threads; {@link #prepare}, {@link #send} and {@link
 * #release} run outside the lock, every other method under it.
 *
 * @param <T> the item type
 * @param <D> what a sender takes from the queue at once
 */
interface StageQueue<T, D> {
  /** How a delivery ended. */
  enum Outcome {
    /** The destination acknowledged it. */
    DELIVERED,
    /** It failed for good; the drop is counted. */
    DROPPED,
    /** The stage stopped before it was delivered, and the queue keeps it (the spool does). */
    KEPT
  }

  /**
   * A batch ready to be added: its items, their estimated heap size and, for the spool, its
   * encoding.
   */
  record Pending<T>(List<T> items, long bytes, byte[] record) {}

  /** A batch the queue does not take, with the drop reason and, where there is one, its cause. */
  final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Refused(String reason, Exception cause) {
      super(reason, cause, false, false);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  /** Outside the lock: sizes or encodes a batch. */
  Pending<T> prepare(List<T> items) throws Refused;

  /** Adds a prepared batch. */
  void add(Pending<T> pending) throws Refused;

  /**
   * The next delivery, or {@code null} when there is none (or, with {@code now} false, none is due
   * yet).
   */
  D poll(boolean now) throws IOException;

  /** Nanoseconds until a delivery is due without being forced, {@link Long#MAX_VALUE} for never. */
  long nanosUntilDue();

  /** Items in {@code delivery}. */
  int items(D delivery);

  /** Outside the lock: sends {@code delivery} until it ends. */
  Outcome send(D delivery);

  /** Outside the lock: lets go of what {@code delivery} held (memory, destination state). */
  void release(D delivery, Outcome outcome);

  /** Settles {@code delivery}: forgets it, or keeps it for later. */
  void settle(D delivery, Outcome outcome);

  /** Whether nothing waits and nothing is pending, apart from deliveries being sent. */
  boolean isDrained();

  /** Deliveries waiting to be sent. */
  int depth();

  /** The most deliveries that may wait, 0 for no fixed bound. */
  int capacity();

  /** Items accepted and neither delivered nor dropped. */
  long pendingItems();

  /** At the end of shutdown: takes out what waits and will not be kept, to be dropped. */
  List<D> abandon();

  /**
   * After the senders stopped: closes the queue, returning the items it keeps for the next start.
   */
  long close();
}
