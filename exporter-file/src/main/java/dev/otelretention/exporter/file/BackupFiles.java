package dev.otelretention.exporter.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names, finds and orders the backups of one active file: {@code
 * <stem>-<timestamp>-<reason><ext>[.gz|.zst]}.
 */
final class BackupFiles {
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS");
  static final String TEMP_SUFFIX = ".tmp";

  private final Path directory;
  private final String stem;
  private final String extension;
  private final ZoneId zone;
  private final Pattern pattern;

  BackupFiles(Path activeFile, boolean localTime) {
    this.directory = activeFile.toAbsolutePath().getParent();
    String fileName = activeFile.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    this.stem = dot > 0 ? fileName.substring(0, dot) : fileName;
    this.extension = dot > 0 ? fileName.substring(dot) : "";
    this.zone = localTime ? ZoneId.systemDefault() : ZoneOffset.UTC;
    this.pattern =
        Pattern.compile(
            Pattern.quote(stem)
                + "-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3})-([a-z]+)"
                + Pattern.quote(extension)
                + "(\\.gz|\\.zst)?");
  }

  /** One backup file. */
  record Backup(
      Path path, String timestamp, Instant time, String reason, Compression compression) {}

  ZoneId zone() {
    return zone;
  }

  /** A fresh backup path for a rotation at {@code now}; never one that exists already. */
  Path newBackupPath(Instant now, String reason) {
    Instant candidate = now;
    while (true) {
      String name =
          stem
              + "-"
              + TIMESTAMP.format(LocalDateTime.ofInstant(candidate, zone))
              + "-"
              + reason
              + extension;
      Path path = directory.resolve(name);
      if (!Files.exists(path) && !existsCompressed(path)) {
        return path;
      }
      candidate = candidate.plusMillis(1);
    }
  }

  private static boolean existsCompressed(Path path) {
    for (Compression compression : Compression.values()) {
      if (compression != Compression.NONE
          && Files.exists(path.resolveSibling(path.getFileName() + compression.suffix()))) {
        return true;
      }
    }
    return false;
  }

  /** Parses a file name; {@code null} when it is not a backup of this file. */
  Backup parse(Path path) {
    Matcher m = pattern.matcher(path.getFileName().toString());
    if (!m.matches()) {
      return null;
    }
    Instant time;
    try {
      time = LocalDateTime.parse(m.group(1), TIMESTAMP).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
    String suffix = m.group(3);
    Compression compression =
        suffix == null
            ? Compression.NONE
            : suffix.equals(".gz") ? Compression.GZIP : Compression.ZSTD;
    return new Backup(path, m.group(1), time, m.group(2), compression);
  }

  /**
   * All backups, oldest first (ties broken by name). Temporary files of unfinished compressions are
   * left out.
   */
  List<Backup> list() throws IOException {
    List<Backup> backups = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return backups;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, stem + "-*")) {
      for (Path entry : entries) {
        Backup backup = parse(entry);
        if (backup != null) {
          backups.add(backup);
        }
      }
    }
    backups.sort(
        Comparator.comparing(Backup::timestamp)
            .thenComparing(b -> b.path().getFileName().toString()));
    return backups;
  }

  /** Leftover temporary files of compressions a crash interrupted. */
  List<Path> temporaryFiles() throws IOException {
    List<Path> result = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return result;
    }
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(directory, stem + "-*" + TEMP_SUFFIX)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (parse(entry.resolveSibling(name.substring(0, name.length() - TEMP_SUFFIX.length())))
            != null) {
          result.add(entry);
        }
      }
    }
    return result;
  }

  /** Index files of backups, finished ({@code .idx}) or not ({@code .idx.tmp}). */
  List<Path> indexFiles() throws IOException {
    List<Path> result = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return result;
    }
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(directory, stem + "-*" + TraceIndexFile.SUFFIX + "*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String index =
            name.endsWith(TEMP_SUFFIX)
                ? name.substring(0, name.length() - TEMP_SUFFIX.length())
                : name;
        if (index.endsWith(TraceIndexFile.SUFFIX)
            && parse(
                    entry.resolveSibling(
                        index.substring(0, index.length() - TraceIndexFile.SUFFIX.length())))
                != null) {
          result.add(entry);
        }
      }
    }
    return result;
  }
}
