package dev.otelretention.exporter.file;

import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Appends newline-terminated records to one file and rotates it by size or day.
 *
 * <p>Records are buffered and reach the file in whole-record writes, on the flush interval or when
 * the buffer is full. A record is therefore either entirely in the file or not at all, except when
 * the process dies in the middle of a write; the file is then repaired on the next start by ending
 * the partial line, which the reader skips and reports. A failed write is undone by truncating the
 * file back. Items are counted as exported when their bytes reach the file, and as dropped when the
 * write fails.
 *
 * <p>Before each write the writer checks that the path still names the file it has open, and
 * recreates the file if it was deleted or moved away. Existing files are appended to, never
 * truncated.
 */
final class RotatingFileWriter implements Closeable {
  private static final Logger logger = Logger.getLogger(RotatingFileWriter.class.getName());
  static final FileAttribute<?>[] OWNER_ONLY_FILE = posix("rw-------");
  static final FileAttribute<?>[] OWNER_ONLY_DIRECTORY = posix("rwx------");
  private static final Duration RETENTION_CHECK_INTERVAL = Duration.ofHours(1);

  /** How long {@link #close()} waits for the compression and retention of this file's backups. */
  static final Duration HOUSEKEEPING_WAIT = Duration.ofSeconds(30);

  private final Path path;
  private final RotationPolicy policy;
  private final BackupFiles backups;
  private final Clock clock;
  private final ExportStats stats;
  private final boolean flushEveryWrite;
  private final byte[] buffer;
  private int buffered;
  private int bufferedItems;
  private FileChannel channel;
  private Object fileKey;
  private long size;
  private LocalDate fileDay;
  private Instant lastRetentionCheck;

  /** Set under the writer's lock; read without it by {@link #housekeep}. */
  private volatile boolean closed;

  private volatile boolean abandoned;
  private final FileWorkers workers;
  private final BackupHousekeeper housekeeper;
  private final ActiveFileIndex index;

  /** Housekeeping queued and not yet run, by the order it was queued in. */
  private final Map<Long, Future<?>> housekeeping = new ConcurrentHashMap<>();

  private final AtomicLong housekeepingQueued = new AtomicLong();
  private final ScheduledFuture<?> flushTask;

  RotatingFileWriter(
      Path path,
      RotationPolicy policy,
      Duration flushInterval,
      int bufferSize,
      ExportStats stats,
      Clock clock,
      byte indexSignal)
      throws IOException {
    this.path = path.toAbsolutePath();
    this.index = indexSignal == 0 ? null : new ActiveFileIndex(indexSignal);
    this.policy = Objects.requireNonNull(policy, "policy");
    this.stats = Objects.requireNonNull(stats, "stats");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backups = new BackupFiles(this.path, policy.localTime());
    this.housekeeper = new BackupHousekeeper(this.path, policy, backups, clock, this::warn);
    this.buffer = new byte[bufferSize];
    this.flushEveryWrite = flushInterval.isZero();
    createDirectories(this.path.getParent());
    open(false);
    this.lastRetentionCheck = clock.instant();
    this.workers = FileWorkers.acquire();
    housekeep(housekeeper::recoverAndEnforceRetention);
    this.flushTask =
        flushEveryWrite
            ? null
            : workers
                .flusher()
                .scheduleWithFixedDelay(
                    this::tick,
                    flushInterval.toNanos(),
                    flushInterval.toNanos(),
                    TimeUnit.NANOSECONDS);
  }

  /**
   * Queues housekeeping of this file's backups. {@link #close()} waits for what is queued, so that
   * backups rotated before it are compressed and retention applied, and nothing touches the
   * directory after it returns.
   */
  private void housekeep(Runnable task) {
    if (closed) {
      return;
    }
    FutureTask<Void> future =
        new FutureTask<>(
            () -> {
              if (!abandoned) {
                task.run();
              }
            },
            null);
    long id = housekeepingQueued.incrementAndGet();
    housekeeping.put(id, future);
    try {
      workers
          .housekeeper()
          .execute(
              () -> {
                try {
                  future.run();
                } finally {
                  housekeeping.remove(id);
                }
              });
    } catch (RejectedExecutionException e) {
      housekeeping.remove(id);
    }
  }

  Path path() {
    return path;
  }

  /**
   * Appends one record ({@code len} bytes ending with a newline) holding {@code items} telemetry
   * items; {@code indexFeed}, if any, adds them to the file's index.
   *
   * @return false if this call lost data (this record or earlier buffered ones); the loss is
   *     counted
   */
  synchronized boolean write(
      byte[] data, int off, int len, int items, Consumer<TraceIndexBuilder> indexFeed) {
    if (closed) {
      stats.recordDropped(items, "shutdown");
      return false;
    }
    boolean ok = maybeRotate(len);
    if (buffered + len > buffer.length) {
      ok &= flushBuffer();
    }
    if (index != null) {
      index.written(size + buffered, len, indexFeed);
    }
    if (len > buffer.length) {
      ok &= writeToFile(ByteBuffer.wrap(data, off, len), items);
    } else {
      System.arraycopy(data, off, buffer, buffered, len);
      buffered += len;
      bufferedItems += items;
      if (flushEveryWrite) {
        ok &= flushBuffer();
      }
    }
    return ok;
  }

  /**
   * Writes buffered records to the file; with {@code sync}, also forces them to the storage device.
   */
  synchronized boolean flush(boolean sync) {
    boolean ok = flushBuffer();
    if (sync && channel != null) {
      try {
        channel.force(false);
      } catch (IOException e) {
        warn("sync", "could not sync " + path, e);
        ok = false;
      }
    }
    return ok;
  }

  /**
   * Flushes and closes the file; returns once this writer's housekeeping has run (at most {@link
   * #HOUSEKEEPING_WAIT}; what is left then never runs), and stops the background threads when this
   * was the last open writer.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (flushTask != null) {
        flushTask.cancel(false);
      }
      flush(true);
      closed = true;
      closeChannel();
    }
    long deadline = System.nanoTime() + HOUSEKEEPING_WAIT.toNanos();
    try {
      for (Future<?> task : housekeeping.values()) {
        task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      abandon();
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      abandon();
      logger.warning(
          "otel-retention: the compression and retention of "
              + path
              + "'s backups did not end within "
              + HOUSEKEEPING_WAIT.toSeconds()
              + "s of its shutdown; the rest is left for the next start");
    } catch (ExecutionException | CancellationException e) {
      logger.log(Level.WARNING, "otel-retention: housekeeping of " + path + " failed", e);
    }
    FileWorkers.release(workers);
  }

  private void abandon() {
    abandoned = true;
    for (Future<?> task : housekeeping.values()) {
      task.cancel(false);
    }
  }

  /** Periodic work: daily rotation, flushing, and an hourly retention check. */
  private synchronized void tick() {
    if (closed) {
      return;
    }
    try {
      if (policy.dailyRotation() && size + buffered > 0 && !today().equals(fileDay)) {
        rotate("daily");
      }
      flushBuffer();
      Instant now = clock.instant();
      if (Duration.between(lastRetentionCheck, now).compareTo(RETENTION_CHECK_INTERVAL) >= 0) {
        lastRetentionCheck = now;
        housekeep(housekeeper::compressAndEnforceRetention);
      }
    } catch (RuntimeException e) {
      warn("flush", "periodic flush of " + path + " failed", e);
    }
  }

  private boolean maybeRotate(int incoming) {
    long current = size + buffered;
    if (current > 0 && current + incoming > policy.maxFileSize()) {
      return rotate("size");
    }
    if (policy.dailyRotation() && current > 0 && !today().equals(fileDay)) {
      return rotate("daily");
    }
    return true;
  }

  private boolean rotate(String reason) {
    boolean ok = flushBuffer();
    if (size == 0) {
      return ok;
    }
    closeChannel();
    Path backup = backups.newBackupPath(clock.instant(), reason);
    try {
      Files.move(path, backup, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      backup = null;
    } catch (IOException e) {
      warn(
          "rotate",
          "could not rotate " + path + " to " + backup + "; continuing in the same file",
          e);
      backup = null;
    }
    if (backup != null && index != null) {
      housekeep(index.rotated(backup, this::warn));
    }
    try {
      open(false);
    } catch (IOException e) {
      warn("reopen", "could not reopen " + path + " after rotation", e);
    }
    // every rotation also retries the compression of backups whose compression failed before (e.g.
    // a full disk)
    housekeep(housekeeper::compressAndEnforceRetention);
    return ok;
  }

  private boolean flushBuffer() {
    if (buffered == 0) {
      return true;
    }
    int items = bufferedItems;
    int length = buffered;
    buffered = 0;
    bufferedItems = 0;
    return writeToFile(ByteBuffer.wrap(buffer, 0, length), items);
  }

  private boolean writeToFile(ByteBuffer data, int items) {
    long start = System.nanoTime();
    long before = -1;
    try {
      ensureCurrentFile();
      before = size;
      int length = data.remaining();
      while (data.hasRemaining()) {
        channel.write(data);
      }
      size = before + length;
      stats.recordExported(items, System.nanoTime() - start);
      return true;
    } catch (IOException | RuntimeException e) {
      if (index != null) {
        index.failed();
      }
      undoPartialWrite(before);
      stats.recordFailedAttempt(
          items, e.getClass().getName(), ExportException.messageOf(e), System.nanoTime() - start);
      stats.recordDropped(
          items, "io_error", "could not write to " + path + ": " + ExportException.describe(e));
      return false;
    }
  }

  private void undoPartialWrite(long sizeBefore) {
    if (channel == null || sizeBefore < 0) {
      return;
    }
    try {
      if (channel.size() > sizeBefore) {
        channel.truncate(sizeBefore);
      }
    } catch (IOException e) {
      // the next open ends any partial line with a newline, so later records stay intact
      closeChannel();
    }
  }

  /** Reopens the file if it was deleted or replaced since it was opened. */
  private void ensureCurrentFile() throws IOException {
    if (channel != null) {
      Object currentKey;
      try {
        currentKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      } catch (NoSuchFileException e) {
        currentKey = null;
      }
      if (currentKey != null && currentKey.equals(fileKey)) {
        return;
      }
      logger.info("otel-retention: " + path + " was deleted or moved; recreating it");
      closeChannel();
    }
    open(true);
  }

  /** Opens the file; {@code replaced} when it replaces one deleted or moved under the writer. */
  private void open(boolean replaced) throws IOException {
    createDirectories(path.getParent());
    if (!Files.exists(path)) {
      try {
        Files.createFile(path, OWNER_ONLY_FILE);
      } catch (FileAlreadyExistsException e) {
        // created concurrently; append to it
      } catch (UnsupportedOperationException e) {
        Files.createFile(path);
      }
    }
    FileChannel opened =
        FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    try {
      long existing = opened.size();
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (existing > 0 && !endsWithNewline(existing)) {
        ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
        while (newline.hasRemaining()) {
          opened.write(newline);
        }
        existing++;
      }
      channel = opened;
      fileKey = attributes.fileKey();
      size = existing;
      if (index != null) {
        index.opened(existing, replaced);
      }
      fileDay =
          existing == 0
              ? today()
              : LocalDate.ofInstant(attributes.lastModifiedTime().toInstant(), backups.zone());
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  private boolean endsWithNewline(long length) throws IOException {
    try (FileChannel reader = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      return reader.read(last, length - 1) == 1 && last.get(0) == '\n';
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        warn("close", "could not close " + path, e);
      }
      channel = null;
    }
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), backups.zone());
  }

  // ---- helpers ----

  private void warn(String problem, String message, Throwable error) {
    stats
        .problems()
        .report(Level.WARNING, problem, 0, message + ": " + ExportException.describe(error));
  }

  static void createDirectories(Path directory) throws IOException {
    if (directory == null || Files.isDirectory(directory)) {
      return;
    }
    createDirectories(directory.getParent());
    try {
      Files.createDirectory(directory, OWNER_ONLY_DIRECTORY);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(directory)) {
        throw e;
      }
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(directory);
    }
  }

  static void createOwnerOnly(Path file) throws IOException {
    try {
      Files.createFile(file, OWNER_ONLY_FILE);
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }

  private static FileAttribute<?>[] posix(String permissions) {
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
    };
  }
}
