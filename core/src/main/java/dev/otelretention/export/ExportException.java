package dev.otelretention.export;

import java.time.Duration;

/**
 * A failed export request, telling the {@link ExportStage} whether trying again can help. Network faults,
 * server overload and 5xx responses are retryable; bad requests, authentication and schema errors are not.
 */
public final class ExportException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final String errorType;
  private final Duration retryAfter;

  private ExportException(String errorType, String message, boolean retryable, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.errorType = errorType;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /**
   * A failure that may succeed when tried again.
   *
   * @param errorType a short low-cardinality type for metrics, e.g. {@code 503} or {@code timeout}
   */
  public static ExportException retryable(String errorType, String message, Throwable cause) {
    return new ExportException(errorType, message, true, null, cause);
  }

  /** A retryable failure whose server asked to wait at least {@code retryAfter} (e.g. HTTP 429). */
  public static ExportException retryAfter(String errorType, String message, Duration retryAfter) {
    return new ExportException(errorType, message, true, retryAfter, null);
  }

  /** A failure that will fail the same way every time; the batch is dropped at once. */
  public static ExportException permanent(String errorType, String message, Throwable cause) {
    return new ExportException(errorType, message, false, null, cause);
  }

  /** Whether trying again can help. */
  public boolean isRetryable() {
    return retryable;
  }

  /** Short type of the failure, used as the {@code error.type} attribute. */
  public String errorType() {
    return errorType;
  }

  /** The minimum wait the server asked for, or {@code null}. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
