package dev.otelretention.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers for the benchmarks on both OpenTelemetry stacks. */
public final class BenchmarkFiles {
  private BenchmarkFiles() {}

  /**
   * A new directory for a benchmark's files: under {@code -Dbenchmark.dir} if given, else in
   * {@code /dev/shm} where it is a writable memory file system (so that a disk's write-back does
   * not disturb the measurement), else in the temporary directory.
   */
  public static Path scratchDirectory(String prefix) throws IOException {
    String chosen = System.getProperty("benchmark.dir");
    Path shm = Path.of("/dev/shm");
    Path parent =
        chosen != null
            ? Path.of(chosen)
            : Files.isDirectory(shm) && Files.isWritable(shm)
                ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
    return Files.createTempDirectory(parent, prefix);
  }

  /** Total bytes of the regular files under {@code directory}. */
  public static long totalSize(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).mapToLong(BenchmarkFiles::size).sum();
    }
  }

  /** Deletes {@code directory} and everything under it. */
  public static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(BenchmarkFiles::delete);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // rotated away while walking
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
