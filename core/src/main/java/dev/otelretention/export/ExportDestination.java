package dev.otelretention.export;

import java.util.List;

/**
 * The transport of a network sink: sends one batch and reports the outcome. A staged exporter
 * ({@link dev.otelretention.sink.SinkContext#spanExporter}) supplies queueing, retries, the request
 * timeout and accounting around it.
 *
 * @param <T> the item type, e.g. {@code SpanData}
 */
public interface ExportDestination<T> {
  /**
   * Sends one batch synchronously. Called from the stage's sender threads, never concurrently for
   * the same batch. The stage interrupts the calling thread when the request timeout expires.
   *
   * @throws ExportException to say whether the failure is retryable; any other exception is treated
   *     as retryable
   */
  void send(List<T> batch) throws Exception;

  /**
   * Called once when {@code batch} (the same list instance every {@link #send} of it received) is
   * done: delivered or dropped. A destination that keeps per-batch progress releases it here.
   */
  default void finished(List<T> batch) {}
}
