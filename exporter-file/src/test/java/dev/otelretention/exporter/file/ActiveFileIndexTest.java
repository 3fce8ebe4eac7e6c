package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.TraceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's index across rotations: an index is used again once written, and when files rotate
 * faster than their indexes are written, a file goes without one instead of indexes piling up.
 */
class ActiveFileIndexTest {
  @TempDir Path dir;

  private final List<TraceIndexBuilder> fed = new ArrayList<>();
  private final List<Throwable> problems = new ArrayList<>();

  @Test
  void smallIndexesWaitingToBeWrittenDoNotStopTheNext() throws Exception {
    ActiveFileIndex index = new ActiveFileIndex(TraceIndexFile.SPANS);
    List<Runnable> writes = new ArrayList<>();
    for (int file = 1; file <= 20; file++) {
      index.opened(0, false);
      assertThat(writeLine(index, file, 100)).as("file %d", file).isNotNull();
      writes.add(index.rotated(backup(file), this::problem));
    }
    writes.forEach(Runnable::run);
    for (int file = 1; file <= 20; file++) {
      assertThat(TraceIndexFile.pathFor(backup(file))).isRegularFile();
    }
  }

  @Test
  void aFileGoesWithoutAnIndexWhileTooManyEntriesAreStillToBeWritten() throws Exception {
    ActiveFileIndex index = new ActiveFileIndex(TraceIndexFile.SPANS);
    int half = (int) (ActiveFileIndex.UNWRITTEN_BUDGET / 2) + 1;

    index.opened(0, false);
    TraceIndexBuilder first = writeLine(index, 1, half);
    Runnable writeFirst = index.rotated(backup(1), this::problem);
    index.opened(0, false);
    TraceIndexBuilder second = writeLine(index, 2, half);
    assertThat(second).isNotNull().isNotSameAs(first);
    Runnable writeSecond = index.rotated(backup(2), this::problem);

    // more entries waiting than the budget: the third file is not indexed
    index.opened(0, false);
    assertThat(writeLine(index, 3, 10)).isNull();
    index.rotated(backup(3), this::problem).run();
    assertThat(TraceIndexFile.pathFor(backup(3))).doesNotExist();

    writeFirst.run();
    assertThat(TraceIndexFile.pathFor(backup(1))).isRegularFile();
    // the first file's index, written, serves the fourth file
    index.opened(0, false);
    assertThat(writeLine(index, 4, 10)).isSameAs(first);
    writeSecond.run();
    assertThat(TraceIndexFile.pathFor(backup(2))).isRegularFile();
    assertThat(problems).isEmpty();
  }

  /**
   * Writes a line of {@code traces} one-span traces and returns the index it was fed to, or null
   * when none was.
   */
  private TraceIndexBuilder writeLine(ActiveFileIndex index, int file, int traces) {
    int before = fed.size();
    index.written(
        0,
        10,
        builder -> {
          for (int trace = 0; trace < traces; trace++) {
            builder.span(TraceId.fromLongs(file, trace + 1), true, "root", "shop", 1, 2, false);
          }
          fed.add(builder);
        });
    return fed.size() == before ? null : fed.get(fed.size() - 1);
  }

  private Path backup(int number) throws Exception {
    Path backup = dir.resolve("traces-" + number + ".jsonl");
    if (!Files.exists(backup)) {
      Files.writeString(backup, "0123456789");
    }
    return backup;
  }

  private void problem(String problem, String message, Throwable error) {
    problems.add(error);
  }
}
