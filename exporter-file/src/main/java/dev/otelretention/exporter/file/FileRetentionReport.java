package dev.otelretention.exporter.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelretention.exporter.file.BackupFiles.Backup;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a rotating telemetry file and its backups hold on disk, and the most they can use under a
 * rotation policy. Make one with {@link #of(Path, RotationPolicy)}.
 *
 * @param activeFile the active file
 * @param files the active file and its backups that exist
 * @param bytes their total size on disk, with the indexes of the backups
 * @param oldest when the oldest backup was rotated (or the active file last written when there is
 *     none), or {@code null} when nothing exists
 * @param newest when the active file was last written (or the newest backup was rotated, if later),
 *     or {@code null}
 * @param projectedBytes the most the file and its backups use under the policy: a full active file
 *     plus {@code maxBackups} backups (at the compressed size seen so far when backups are
 *     compressed), capped by {@code maxTotalSize}
 */
public record FileRetentionReport(
    Path activeFile, int files, long bytes, Instant oldest, Instant newest, long projectedBytes) {

  /** Reads the sizes and times of {@code activeFile} and its backups. */
  public static FileRetentionReport of(Path activeFile, RotationPolicy policy) throws IOException {
    Objects.requireNonNull(activeFile, "activeFile");
    Objects.requireNonNull(policy, "policy");
    List<Backup> backups = new BackupFiles(activeFile, policy.localTime()).list();
    int files = 0;
    long bytes = 0;
    Instant oldest = null;
    Instant newest = null;
    long compressedBytes = 0;
    int compressed = 0;
    for (Backup backup : backups) {
      if (!Files.exists(backup.path())) {
        continue;
      }
      long size = Files.size(backup.path());
      files++;
      bytes += size;
      Path index = TraceIndexFile.pathFor(backup.path());
      if (Files.exists(index)) {
        bytes += Files.size(index);
      }
      if (backup.compression() != Compression.NONE) {
        compressed++;
        compressedBytes += size;
      }
      if (oldest == null || backup.time().isBefore(oldest)) {
        oldest = backup.time();
      }
      if (newest == null || backup.time().isAfter(newest)) {
        newest = backup.time();
      }
    }
    if (Files.exists(activeFile)) {
      files++;
      bytes += Files.size(activeFile);
      // the file system's clock can lag the one that named the backups by a few milliseconds
      Instant modified = Files.getLastModifiedTime(activeFile).toInstant();
      if (newest == null || modified.isAfter(newest)) {
        newest = modified;
      }
      if (oldest == null) {
        oldest = newest;
      }
    }
    long backupSize =
        policy.compression() != Compression.NONE && compressed > 0
            ? compressedBytes / compressed
            : policy.maxFileSize();
    long projected = policy.maxFileSize() + policy.maxBackups() * backupSize;
    if (policy.maxTotalSize() > 0) {
      projected = Math.min(projected, policy.maxTotalSize());
    }
    return new FileRetentionReport(
        activeFile.toAbsolutePath(), files, bytes, oldest, newest, projected);
  }

  /**
   * The report as a JSON object: file, files, bytes, oldest, newest (ISO-8601 or null) and
   * projectedBytes.
   */
  public String toJson() {
    StringWriter json = new StringWriter();
    try (JsonGenerator gen = new JsonFactory().createGenerator(json)) {
      gen.writeStartObject();
      gen.writeStringField("file", activeFile.toString());
      gen.writeNumberField("files", files);
      gen.writeNumberField("bytes", bytes);
      gen.writeStringField("oldest", oldest == null ? null : oldest.toString());
      gen.writeStringField("newest", newest == null ? null : newest.toString());
      gen.writeNumberField("projectedBytes", projectedBytes);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return json.toString();
  }

  /**
   * One readable line: name, file count, bytes, oldest and newest time (to the second), projected
   * bytes.
   */
  public String toLine() {
    return String.format(
        Locale.ROOT,
        "%-24s %3d file(s) %,15d bytes  oldest %-20s  newest %-20s  at most %,d bytes",
        activeFile.getFileName(),
        files,
        bytes,
        seconds(oldest),
        seconds(newest),
        projectedBytes);
  }

  private static String seconds(Instant time) {
    return time == null ? "-" : time.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
