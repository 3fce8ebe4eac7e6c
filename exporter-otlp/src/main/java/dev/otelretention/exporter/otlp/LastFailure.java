package dev.otelretention.exporter.otlp;

import dev.otelretention.export.ExportException;

/**
 * The failure the sender read for the request just made on this thread, handed to the destination
 * past the SDK exporter in between. The SDK exporter calls the sender on the thread that called
 * {@code export}, and the sender answers before it returns, so the request thread that sends is the
 * one that reads.
 */
final class LastFailure {
  private static final ThreadLocal<ExportException> FAILURE = new ThreadLocal<>();

  private LastFailure() {}

  /** Records how the request made on this thread ended: {@code null} when it was accepted. */
  static void record(ExportException failure) {
    if (failure == null) {
      FAILURE.remove();
    } else {
      FAILURE.set(failure);
    }
  }

  /** The failure recorded on this thread since the last call, or {@code null}; forgets it. */
  static ExportException take() {
    ExportException failure = FAILURE.get();
    FAILURE.remove();
    return failure;
  }
}
