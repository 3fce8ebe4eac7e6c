package dev.otelretention.internal.export;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.RetryPolicy;
import io.opentelemetry.api.impl.InstrumentationUtil;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;

/**
 * The one retry loop of an export stage, for batches from memory and deliveries from the spool
 * alike: each attempt runs on a request thread with a timeout and with instrumentation suppressed,
 * a retryable failure waits the policy's backoff (or the server's {@code Retry-After}, whichever is
 * longer), and every attempt, retry and drop is recorded in the stage's statistics. When retrying
 * ends is the caller's {@link Limit}; what happens to a delivery interrupted by shutdown is the
 * caller's too ({@link Outcome#STOPPED}).
 */
final class RetryingSender {
  /** How a delivery ended. */
  enum Outcome {
    /** The destination acknowledged it. */
    DELIVERED,
    /** It failed for good and was counted as dropped. */
    DROPPED,
    /** The stage stopped before it was delivered; nothing was counted as dropped yet. */
    STOPPED
  }

  /** The end of one delivery: its outcome and, unless delivered, the last failure. */
  record Result(Outcome outcome, ExportException lastFailure) {}

  /** A drop reason and its detail. */
  record Drop(String reason, String detail) {}

  /** When retrying must give up. */
  @FunctionalInterface
  interface Limit {
    /**
     * The drop, if another attempt after waiting {@code waitNanos} from {@code nowNanos} goes past
     * the limit; {@code null} to retry.
     */
    Drop exceeded(long nowNanos, long waitNanos, ExportException lastFailure);
  }

  /** What the sender needs of its stage. */
  interface Stage {
    /** Whether the stage has stopped, so that a failed attempt is not retried. */
    boolean isStopped();

    /** Waits until {@code wakeAtNanos}; false when shutdown does not leave time for the retry. */
    boolean sleepUntil(long wakeAtNanos);
  }

  /** One request to make. */
  @FunctionalInterface
  interface Request {
    void send() throws Exception;
  }

  private final ExportStats stats;
  private final RetryPolicy retryPolicy;
  private final long requestTimeoutNanos;
  private final ExecutorService requestExecutor;
  private final Stage stage;

  RetryingSender(
      ExportStats stats,
      RetryPolicy retryPolicy,
      long requestTimeoutNanos,
      ExecutorService requestExecutor,
      Stage stage) {
    this.stats = stats;
    this.retryPolicy = retryPolicy;
    this.requestTimeoutNanos = requestTimeoutNanos;
    this.requestExecutor = requestExecutor;
    this.stage = stage;
  }

  /** Sends {@code request}, which carries {@code items} items, until it ends. */
  Result send(int items, Request request, Limit limit) {
    for (int retry = 0; ; retry++) {
      long start = System.nanoTime();
      Exception failure = attempt(request);
      long duration = System.nanoTime() - start;
      if (failure == null) {
        stats.recordExported(items, duration);
        return new Result(Outcome.DELIVERED, null);
      }
      ExportException exportFailure = asExportException(failure);
      stats.recordFailedAttempt(
          items, exportFailure.errorType(), exportFailure.getMessage(), duration);
      if (stage.isStopped()) {
        return new Result(Outcome.STOPPED, exportFailure);
      }
      if (!exportFailure.isRetryable()) {
        return dropped(items, new Drop("non_retryable", detail(exportFailure)), exportFailure);
      }
      long wait = backoffNanos(retryPolicy, retry, () -> ThreadLocalRandom.current().nextDouble());
      if (exportFailure.retryAfter() != null) {
        wait = Math.max(wait, exportFailure.retryAfter().toNanos());
      }
      long now = System.nanoTime();
      Drop drop = limit.exceeded(now, wait, exportFailure);
      if (drop != null) {
        return dropped(items, drop, exportFailure);
      }
      reportRetry(items, exportFailure);
      if (!stage.sleepUntil(now + wait)) {
        return new Result(Outcome.STOPPED, exportFailure);
      }
      stats.recordRetried(items);
    }
  }

  /** {@code <error type>: <message>}, as drops are described. */
  static String detail(ExportException failure) {
    return failure.errorType() + ": " + failure.getMessage();
  }

  private Result dropped(int items, Drop drop, ExportException failure) {
    if (TIMEOUT.equals(failure.errorType())) {
      stats.recordUnknown(items, drop.reason(), drop.detail());
    } else {
      stats.recordDropped(items, drop.reason(), drop.detail());
    }
    return new Result(Outcome.DROPPED, failure);
  }

  /** The error type of an attempt that did not end within the request timeout. */
  static final String TIMEOUT = "timeout";

  /**
   * Sends with instrumentation suppressed, so that the Java agent (or any instrumentation that
   * honours the API's documented {@link InstrumentationUtil}) does not trace the exporter's own
   * requests: they would be exported in turn, a loop that grows with traffic.
   */
  private static Void sendUninstrumented(Request request) throws Exception {
    Exception[] failure = {null};
    InstrumentationUtil.suppressInstrumentation(
        () -> {
          try {
            request.send();
          } catch (Exception e) {
            failure[0] = e;
          }
        });
    if (failure[0] != null) {
      throw failure[0];
    }
    return null;
  }

  private Exception attempt(Request request) {
    Future<?> future;
    try {
      future = requestExecutor.submit(() -> sendUninstrumented(request));
    } catch (RejectedExecutionException e) {
      return ExportException.permanent("shutdown", "stage is shut down", e);
    }
    try {
      future.get(requestTimeoutNanos, TimeUnit.NANOSECONDS);
      return null;
    } catch (TimeoutException e) {
      future.cancel(true);
      return ExportException.retryable(
          TIMEOUT,
          "request did not finish within "
              + EnvironmentConfig.format(Duration.ofNanos(requestTimeoutNanos)),
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return cause instanceof Exception exception ? exception : new RuntimeException(cause);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return ExportException.permanent("shutdown", "interrupted by shutdown", e);
    }
  }

  private void reportRetry(int items, ExportException failure) {
    stats
        .problems()
        .report(
            Level.WARNING,
            "attempt failed " + failure.errorType(),
            items,
            "export failed, retrying: " + detail(failure));
  }

  private static ExportException asExportException(Exception failure) {
    return failure instanceof ExportException exportException
        ? exportException
        : ExportException.retryable(
            failure.getClass().getName(), ExportException.messageOf(failure), failure);
  }

  /**
   * The wait in nanoseconds before retry number {@code retry} (0 for the first retry) under {@code
   * policy}.
   *
   * @param random a source of uniform values in [0, 1)
   */
  static long backoffNanos(RetryPolicy policy, int retry, DoubleSupplier random) {
    double maxNanos = policy.maxInterval().toNanos();
    double interval = policy.initialInterval().toNanos() * Math.pow(policy.multiplier(), retry);
    interval = Math.min(interval, maxNanos);
    double delta = policy.randomizationFactor() * interval;
    double low = interval - delta;
    double wait = low + random.getAsDouble() * (2 * delta);
    return (long) Math.min(wait, maxNanos);
  }
}
