package dev.otelretention.export;

import java.time.Duration;

/**
 * A failed export request, telling the staged exporter whether trying again can help. Network
 * faults, server overload and 5xx responses are retryable; bad requests, authentication and schema
 * errors are not.
 */
public final class ExportException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final String errorType;
  private final Duration retryAfter;

  private ExportException(
      String errorType, String message, boolean retryable, Duration retryAfter, Throwable cause) {
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
   * The first message along the cause chain of {@code error}, followed by the innermost cause when
   * that is another exception, e.g. {@code Insert request failed (cause: ConnectException:
   * Connection refused)}. JDK network errors often carry no message of their own ({@code null});
   * then the class name stands for it.
   */
  public static String messageOf(Throwable error) {
    Throwable described = null;
    Throwable innermost = error;
    String message = null;
    Throwable current = error;
    for (int depth = 0; current != null && depth < 8; depth++) {
      String text = current.getMessage();
      boolean wrapsCause =
          current.getCause() != null && String.valueOf(current.getCause()).equals(text);
      if (message == null && text != null && !text.isBlank() && !wrapsCause) {
        message = current == error ? text : current.getClass().getSimpleName() + ": " + text;
        described = current;
      }
      innermost = current;
      if (current.getCause() == current) {
        break;
      }
      current = current.getCause();
    }
    if (message == null) {
      return innermost.getClass().getSimpleName();
    }
    if (innermost == described || innermost == error) {
      return message;
    }
    String cause = innermost.getMessage();
    return message
        + " (cause: "
        + innermost.getClass().getSimpleName()
        + (cause == null || cause.isBlank() ? "" : ": " + cause)
        + ")";
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
