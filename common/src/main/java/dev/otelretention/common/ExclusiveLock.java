package dev.otelretention.common;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;

/**
 * An exclusive lock on a file, held by one exporter of one process at a time: a second exporter, in
 * this process or another, that asks for the same lock gets a clear error instead of writing over
 * the first one's files. The operating system releases it when the process dies, so a crash never
 * leaves a stale lock behind. The lock file is created owner-readable only and stays in place.
 */
public final class ExclusiveLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private ExclusiveLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code file}, waiting at most {@code patience} for a holder in this process
   * that is closing.
   *
   * @param holder what the lock protects, for the error message, e.g. {@code the spool
   *     /var/spool/x}
   * @throws IOException if the file cannot be created, or another exporter or process holds the
   *     lock
   */
  public static ExclusiveLock acquire(Path file, String holder, Duration patience)
      throws IOException {
    Objects.requireNonNull(holder, "holder");
    OwnerOnlyFiles.file(file);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
    long giveUpAt = System.nanoTime() + patience.toNanos();
    while (true) {
      FileLock acquired;
      try {
        acquired = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        acquired = null;
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      if (acquired != null) {
        return new ExclusiveLock(channel, acquired);
      }
      if (System.nanoTime() - giveUpAt >= 0) {
        channel.close();
        throw new IOException(
            holder
                + " is in use by another exporter or process (lock "
                + file.toAbsolutePath()
                + ")");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        channel.close();
        throw new IOException("interrupted while waiting for the lock of " + holder, e);
      }
    }
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
