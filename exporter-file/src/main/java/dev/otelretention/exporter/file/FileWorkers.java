package dev.otelretention.exporter.file;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Background threads shared by the open file writers: one that flushes buffers on their interval,
 * one that compresses backups and enforces retention (slow work that must not delay flushing). They
 * start with the first writer and stop, waited for, when the last one closes, so that nothing of
 * this library runs once its exporters are shut down and the application's class loader is not held
 * by a thread of ours.
 */
final class FileWorkers {
  private static final Logger logger = Logger.getLogger(FileWorkers.class.getName());
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private static FileWorkers shared;
  private static int users;

  private final ScheduledExecutorService flusher;
  private final ExecutorService housekeeper;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  private FileWorkers() {
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "otel-retention-file-flusher"));
    this.housekeeper =
        Executors.newSingleThreadExecutor(r -> daemon(r, "otel-retention-file-housekeeper"));
  }

  /** The workers, started if no writer is open; every call is matched by one {@link #release}. */
  static synchronized FileWorkers acquire() {
    if (shared == null) {
      shared = new FileWorkers();
    }
    users++;
    return shared;
  }

  /** Ends a writer's use; the last one stops both threads and waits for them to end. */
  static void release(FileWorkers workers) {
    synchronized (FileWorkers.class) {
      if (workers != shared || --users > 0) {
        return;
      }
      shared = null;
    }
    workers.flusher.shutdownNow();
    workers.housekeeper.shutdownNow();
    try {
      long deadline = System.nanoTime() + STOP_WAIT.toNanos();
      boolean stopped =
          workers.flusher.awaitTermination(STOP_WAIT.toNanos(), TimeUnit.NANOSECONDS)
              && workers.housekeeper.awaitTermination(
                  Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      // an executor is terminated a moment before its thread has ended
      for (Thread thread : workers.threads) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        stopped &= !thread.isAlive();
      }
      if (!stopped) {
        logger.warning(
            "otel-retention: file housekeeping did not stop within 30s of the last file exporter's"
                + " shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  ScheduledExecutorService flusher() {
    return flusher;
  }

  ExecutorService housekeeper() {
    return housekeeper;
  }

  /** Waits until the housekeeping queued so far has run; returns at once when no writer is open. */
  static void awaitHousekeeping() throws Exception {
    FileWorkers workers;
    synchronized (FileWorkers.class) {
      workers = shared;
    }
    if (workers != null && !workers.housekeeper.isShutdown()) {
      workers.housekeeper.submit(() -> {}).get(30, TimeUnit.SECONDS);
    }
  }

  /** Whether the threads run now, for tests. */
  static synchronized boolean running() {
    return shared != null;
  }

  private Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    threads.add(thread);
    thread.setDaemon(true);
    // the library's own loader, not the context loader of whichever application opened a writer
    thread.setContextClassLoader(FileWorkers.class.getClassLoader());
    return thread;
  }
}
