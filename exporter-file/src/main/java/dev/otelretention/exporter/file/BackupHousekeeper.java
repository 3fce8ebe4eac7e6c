package dev.otelretention.exporter.file;

import com.github.luben.zstd.ZstdOutputStream;
import dev.otelretention.exporter.file.BackupFiles.Backup;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The slow work on one file's backups, run on the shared housekeeper thread: removing unfinished
 * compressions at start, compressing backups, and deleting those the rotation policy no longer
 * keeps.
 */
final class BackupHousekeeper {
  /** Reports a problem: its kind, a message and the error. */
  @FunctionalInterface
  interface Problems {
    void warn(String problem, String message, Throwable error);
  }

  private final Path path;
  private final RotationPolicy policy;
  private final BackupFiles backups;
  private final Clock clock;
  private final Problems problems;

  BackupHousekeeper(
      Path path, RotationPolicy policy, BackupFiles backups, Clock clock, Problems problems) {
    this.path = path;
    this.policy = policy;
    this.backups = backups;
    this.clock = clock;
    this.problems = problems;
  }

  private void warn(String problem, String message, Throwable error) {
    problems.warn(problem, message, error);
  }

  void recoverAndEnforceRetention() {
    try {
      for (Path temporary : backups.temporaryFiles()) {
        Files.deleteIfExists(temporary);
      }
      for (Path index : backups.indexFiles()) {
        if (index.getFileName().toString().endsWith(BackupFiles.TEMP_SUFFIX)) {
          Files.deleteIfExists(index);
        }
      }
    } catch (IOException | RuntimeException e) {
      warn("compress", "could not remove unfinished compressions of " + path, e);
    }
    compressAndEnforceRetention();
  }

  /**
   * Compresses every backup not compressed yet (a failed compression is retried here), then applies
   * retention.
   */
  void compressAndEnforceRetention() {
    try {
      if (policy.compression() != Compression.NONE && policy.maxBackups() > 0) {
        for (Backup backup : backups.list()) {
          if (backup.compression() == Compression.NONE) {
            compress(backup.path());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      warn("compress", "could not compress the backups of " + path, e);
    }
    enforceRetention();
  }

  void compress(Path backup) {
    if (!Files.exists(backup)) {
      return; // compressed already by the recovery pass of this writer's start
    }
    Path target = backup.resolveSibling(backup.getFileName() + policy.compression().suffix());
    Path temporary = target.resolveSibling(target.getFileName() + BackupFiles.TEMP_SUFFIX);
    try {
      Files.deleteIfExists(temporary);
      RotatingFileWriter.createOwnerOnly(temporary);
      try (InputStream in = Files.newInputStream(backup);
          OutputStream out =
              compressing(Files.newOutputStream(temporary, StandardOpenOption.WRITE))) {
        in.transferTo(out);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      Files.delete(backup);
    } catch (IOException | RuntimeException e) {
      warn(
          "compress",
          "could not compress " + backup + "; it stays uncompressed until the next rotation",
          e);
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException ignored) {
        // nothing more to do: the uncompressed backup is intact
      }
    }
  }

  private OutputStream compressing(OutputStream raw) throws IOException {
    BufferedOutputStream buffered = new BufferedOutputStream(raw, 1 << 16);
    return switch (policy.compression()) {
      case GZIP -> new GZIPOutputStream(buffered, 1 << 16);
      case ZSTD -> new ZstdOutputStream(buffered, 3);
      default -> buffered;
    };
  }

  /**
   * Deletes backups beyond the count, older than the age, and beyond the total cap (oldest first).
   */
  void enforceRetention() {
    try {
      List<Backup> all = backups.list();
      List<Backup> doomed = new ArrayList<>();
      int excess = all.size() - policy.maxBackups();
      for (int i = 0; i < excess; i++) {
        doomed.add(all.get(i));
      }
      if (!policy.maxAge().isZero()) {
        Instant cutoff = clock.instant().minus(policy.maxAge());
        for (Backup backup : all) {
          if (backup.time().isBefore(cutoff) && !doomed.contains(backup)) {
            doomed.add(backup);
          }
        }
      }
      if (policy.maxTotalSize() > 0) {
        // Room is kept for a full active file, so that the cap holds until the next rotation too.
        long total = Math.max(Files.exists(path) ? Files.size(path) : 0, policy.maxFileSize());
        for (int i = all.size() - 1; i >= 0; i--) {
          Backup backup = all.get(i);
          if (doomed.contains(backup)) {
            continue;
          }
          long fileSize = sizeOf(backup.path()) + sizeOf(TraceIndexFile.pathFor(backup.path()));
          if (total + fileSize > policy.maxTotalSize()) {
            doomed.add(backup);
          } else {
            total += fileSize;
          }
        }
      }
      for (Backup backup : doomed) {
        Files.deleteIfExists(backup.path());
        Files.deleteIfExists(TraceIndexFile.pathFor(backup.path()));
      }
      deleteIndexesWithoutBackup();
    } catch (IOException | RuntimeException e) {
      warn("retention", "could not apply the retention policy to the backups of " + path, e);
    }
  }

  /** Index files whose backup is gone (deleted by hand, say) are deleted too. */
  private void deleteIndexesWithoutBackup() throws IOException {
    List<Path> indexed = new ArrayList<>();
    for (Backup backup : backups.list()) {
      indexed.add(TraceIndexFile.pathFor(backup.path()));
    }
    for (Path index : backups.indexFiles()) {
      if (index.getFileName().toString().endsWith(TraceIndexFile.SUFFIX)
          && !indexed.contains(index)) {
        Files.deleteIfExists(index);
      }
    }
  }

  private static long sizeOf(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }
}
