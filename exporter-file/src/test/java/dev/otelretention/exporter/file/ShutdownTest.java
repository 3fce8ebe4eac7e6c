package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After an exporter's shutdown returns, nothing of it runs and nothing touches its directory. */
class ShutdownTest {
  @TempDir Path dir;
  @TempDir Path other;

  private static List<String> threadsOfOurs() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("otel-retention-file-"))
        .toList();
  }

  @Test
  void housekeepingIsDoneWhenShutdownReturnsAndNothingRunsAfterIt() throws Exception {
    // another open exporter keeps the shared threads alive; a task of the test holds the
    // housekeeper busy for a moment, so that the exporter's start-up retention pass is still
    // queued when its shutdown is called
    SpanExporter keepsThreadsAlive =
        RotatingFileExporters.builder().directory(other).buildSpanExporter();
    FileWorkers workers = FileWorkers.acquire();
    CountDownLatch release = new CountDownLatch(1);
    Future<?> busy = workers.housekeeper().submit(() -> release.await(30, TimeUnit.SECONDS));
    try {
      Files.createDirectories(dir);
      Path old = dir.resolve("traces-2026-01-01T00-00-00.000-size.jsonl");
      Files.writeString(old, "{}\n");
      SpanExporter exporter = RotatingFileExporters.builder().directory(dir).buildSpanExporter();
      Thread releaser =
          new Thread(
              () -> {
                try {
                  Thread.sleep(300);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                release.countDown();
              });
      releaser.start();
      assertThat(exporter.shutdown().join(40, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(old)
          .as("past the default 7 days when the exporter started: its retention pass ran")
          .doesNotExist();
      busy.get(10, TimeUnit.SECONDS);

      Path later = dir.resolve("traces-2026-01-02T00-00-00.000-size.jsonl");
      Files.writeString(later, "{}\n");
      FileWorkers.awaitHousekeeping();
      Thread.sleep(100);
      assertThat(later).as("written after the shutdown returned").exists();
    } finally {
      release.countDown();
      FileWorkers.release(workers);
      keepsThreadsAlive.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theLastShutdownStopsTheSharedThreads() throws Exception {
    SpanExporter first = RotatingFileExporters.builder().directory(dir).buildSpanExporter();
    SpanExporter second = RotatingFileExporters.builder().directory(other).buildSpanExporter();
    assertThat(threadsOfOurs()).contains("otel-retention-file-flusher");
    first.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(FileWorkers.running()).isTrue();
    second.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(FileWorkers.running()).isFalse();
    assertThat(threadsOfOurs()).isEmpty();

    // and they start again for the next exporter
    SpanExporter third = RotatingFileExporters.builder().directory(dir).buildSpanExporter();
    assertThat(FileWorkers.running()).isTrue();
    third.shutdown().join(10, TimeUnit.SECONDS);
    assertThat(threadsOfOurs()).isEmpty();
  }
}
