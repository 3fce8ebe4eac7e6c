package dev.otelretention.replay;

import java.nio.file.Path;
import java.util.List;

/**
 * What a replay did, file by file.
 *
 * @param files one outcome per file, in replay order
 */
public record ReplayResult(List<FileOutcome> files) {
  /** Copies the list. */
  public ReplayResult {
    files = List.copyOf(files);
  }

  /** What happened to a file. */
  public enum Status {
    /** Loaded from its first record. */
    LOADED,
    /**
     * Loaded from where an earlier replay of the same content stopped (e.g. a file that grew, then
     * rotated).
     */
    RESUMED,
    /** Every record was loaded before: nothing to do. */
    SKIPPED,
    /** A dry run: it would be loaded or resumed. */
    PENDING
  }

  /**
   * One file.
   *
   * @param file the file
   * @param status what happened
   * @param alreadyLoaded records loaded by earlier replays and not loaded again
   * @param records records loaded now
   * @param items spans, metric points and log records loaded now
   * @param skippedLines lines that were not valid OTLP/JSON requests, with why (file:line: reason)
   */
  public record FileOutcome(
      Path file,
      Status status,
      long alreadyLoaded,
      long records,
      long items,
      List<String> skippedLines) {
    /** Copies the list. */
    public FileOutcome {
      skippedLines = List.copyOf(skippedLines);
    }
  }

  /** Items loaded in total. */
  public long items() {
    return files.stream().mapToLong(FileOutcome::items).sum();
  }
}
