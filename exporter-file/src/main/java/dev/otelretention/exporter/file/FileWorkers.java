package dev.otelretention.exporter.file;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Background threads shared by all file writers: one that flushes buffers on their interval, one
 * that compresses backups and enforces retention (slow work that must not delay flushing).
 */
final class FileWorkers {
  static final ScheduledExecutorService FLUSHER =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "otel-retention-file-flusher"));
  static final ExecutorService HOUSEKEEPER =
      Executors.newSingleThreadExecutor(r -> daemon(r, "otel-retention-file-housekeeper"));

  private FileWorkers() {}

  /** Waits until the housekeeping queued so far has run. */
  static void awaitHousekeeping() throws Exception {
    HOUSEKEEPER.submit(() -> {}).get(30, TimeUnit.SECONDS);
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
