package dev.otelretention.exporter.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The index of the file being written, kept by its writer: told of every line written and of every
 * failure, and handed to the housekeeper at rotation to be written beside the backup. A file the
 * writer did not write whole (it existed at start, was replaced, or lost a write) gets no index;
 * readers rebuild it.
 */
final class ActiveFileIndex {
  private final byte signal;
  private TraceIndexBuilder builder;

  /** The index of the last rotated file, once written: emptied and used again for a later file. */
  private final AtomicReference<TraceIndexBuilder> spare = new AtomicReference<>();

  /**
   * Entries in the indexes of rotated files handed to the housekeeper and not written yet: above
   * {@link #UNWRITTEN_BUDGET}, files rotate faster than their indexes are written.
   */
  private final AtomicLong unwritten = new AtomicLong();

  /** About 25 MB of index entries waiting; a 100 MiB file of small spans makes some 150,000. */
  static final long UNWRITTEN_BUDGET = 1 << 18;

  ActiveFileIndex(byte signal) {
    this.signal = signal;
  }

  /**
   * A file was opened holding {@code existingBytes}; {@code replaced} when it replaced the last.
   */
  void opened(long existingBytes, boolean replaced) {
    if (builder == null) {
      builder = fresh();
    }
    if (existingBytes > 0 || replaced) {
      builder.abandon();
    }
  }

  /** A line of {@code length} bytes at {@code start} was appended; {@code feed} adds its items. */
  void written(long start, int length, Consumer<TraceIndexBuilder> feed) {
    if (feed != null && builder != null && !builder.abandoned()) {
      builder.line(start, start + length);
      feed.accept(builder);
    }
  }

  /** A write failed: lines already indexed may be missing from the file. */
  void failed() {
    if (builder != null) {
      builder.abandon();
    }
  }

  /**
   * The file became {@code backup}: returns the work that writes its index, to run off the writer's
   * thread, and starts the index of the new file.
   */
  Runnable rotated(Path backup, BackupHousekeeper.Problems problems) {
    TraceIndexBuilder finished = builder;
    // the next file's index starts when it is opened
    builder = null;
    if (finished.abandoned()) {
      return () -> {};
    }
    long entries = finished.entries();
    unwritten.addAndGet(entries);
    return () -> {
      try {
        write(finished, backup, problems);
      } finally {
        unwritten.addAndGet(-entries);
      }
    };
  }

  private void write(TraceIndexBuilder finished, Path backup, BackupHousekeeper.Problems problems) {
    Path indexFile = TraceIndexFile.pathFor(backup);
    try {
      // compressed or deleted by retention before this ran, the index serves either form
      if (anyFormExists(backup)) {
        TraceIndexFile.write(indexFile, finished);
      }
    } catch (IOException | RuntimeException e) {
      problems.warn(
          "index", "could not write " + indexFile + "; readers will rebuild it from the file", e);
    }
    finished.reset();
    spare.set(finished);
  }

  private TraceIndexBuilder fresh() {
    TraceIndexBuilder recycled = spare.getAndSet(null);
    if (recycled != null) {
      return recycled;
    }
    if (unwritten.get() > UNWRITTEN_BUDGET) {
      // files rotate faster than their indexes are written: this one goes without (readers
      // rebuild it), so that indexes do not pile up in memory and in the collector's work
      TraceIndexBuilder givenUp = new TraceIndexBuilder(signal);
      givenUp.abandon();
      return givenUp;
    }
    return new TraceIndexBuilder(signal);
  }

  private static boolean anyFormExists(Path backup) {
    for (Compression compression : Compression.values()) {
      if (Files.exists(backup.resolveSibling(backup.getFileName() + compression.suffix()))) {
        return true;
      }
    }
    return false;
  }
}
