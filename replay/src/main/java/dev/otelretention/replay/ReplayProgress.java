package dev.otelretention.replay;

import java.nio.file.Path;

/**
 * Where a replay stands, reported after every batch and every file.
 *
 * @param file the file being read
 * @param fileIndex its position in the replay, from 1
 * @param files the number of files in the replay
 * @param bytesRead bytes of all files read so far, as stored
 * @param totalBytes bytes of all files, as stored
 * @param items spans, metric points and log records loaded so far
 */
public record ReplayProgress(
    Path file, int fileIndex, int files, long bytesRead, long totalBytes, long items) {
  /** The part done, from 0 to 1. */
  public double fraction() {
    return totalBytes == 0 ? 1 : Math.min(1, (double) bytesRead / totalBytes);
  }
}
