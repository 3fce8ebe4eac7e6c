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

  /**
   * A short readable description of {@code error} for logs and health: its simple class name and
   * {@link #messageOf}, e.g. {@code ConnectException: Connection refused}.
   */
  public static String describe(Throwable error) {
    if (error == null) {
      return "unknown error";
    }
    String message = messageOf(error);
    String name = error.getClass().getSimpleName();
    return message.equals(name) ? name : name + ": " + message;
  }

  /**
   * The first message along the cause chain of {@code error}; JDK network errors often carry none of their own
   * ({@code null}), so a cause's is used, or else the innermost cause's simple class name.
   */
  public static String messageOf(Throwable error) {
    Throwable current = error;
    Throwable innermost = error;
    for (int depth = 0; current != null && depth < 8; depth++, current = current.getCause()) {
      String message = current.getMessage();
      boolean wrapsCause = current.getCause() != null && String.valueOf(current.getCause()).equals(message);
      if (message != null && !message.isBlank() && !wrapsCause) {
        return current == error ? message : current.getClass().getSimpleName() + ": " + message;
      }
      innermost = current;
      if (current.getCause() == current) {
        break;
      }
    }
    return innermost.getClass().getSimpleName();
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
