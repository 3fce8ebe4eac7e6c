package dev.otelretention.internal;

import java.time.Duration;

/**
 * The defaults of the pipeline settings that do not depend on the {@link Profile}, in one place:
 * the sending queue of a network sink, the timeout of one export request and the time a shutdown
 * may take.
 */
public final class PipelineDefaults {
  /** Capacity of a network sink's sending queue, in batches: 100. */
  public static final int SENDING_QUEUE_BATCHES = 100;

  /** Capacity of a network sink's sending queue, in estimated bytes: 256 MiB. */
  public static final long SENDING_QUEUE_BYTES = 256L << 20;

  /** Timeout of one export request of a network sink: 5 s. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** How long a shutdown may take to send what is queued: 10 s. */
  public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  private PipelineDefaults() {}
}
