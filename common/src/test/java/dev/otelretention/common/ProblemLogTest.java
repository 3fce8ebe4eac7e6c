package dev.otelretention.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** One line per problem per minute, with the counts of what was not logged in between. */
class ProblemLogTest {
  private final List<String> lines = new ArrayList<>();
  private final Logger logger = Logger.getAnonymousLogger();
  private final AtomicLong now = new AtomicLong();

  ProblemLogTest() {
    logger.setUseParentHandlers(false);
    logger.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @Test
  void repeatsWithinAMinuteAreCountedAndReportedWithTheNextLine() {
    ProblemLog log = new ProblemLog(logger, "clickhouse/traces", now::get, Duration.ofMinutes(1));
    for (int i = 0; i < 108; i++) {
      log.report(Level.WARNING, "dropped io_error", 10, "dropped 10 items (io_error): disk full");
      now.addAndGet(Duration.ofMillis(50).toNanos());
    }
    log.report(Level.WARNING, "dropped queue_full", 3, "dropped 3 items (queue_full)");
    assertThat(lines)
        .containsExactly(
            "WARNING otel-retention: clickhouse/traces: dropped 10 items (io_error): disk full",
            "WARNING otel-retention: clickhouse/traces: dropped 3 items (queue_full)");
    now.addAndGet(Duration.ofSeconds(60).toNanos());
    log.report(Level.WARNING, "dropped io_error", 10, "dropped 10 items (io_error): disk full");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(2))
        .isEqualTo(
            "WARNING otel-retention: clickhouse/traces: dropped 10 items (io_error): disk full"
                + " (107 more times, 1070 items in the last 65 s)");
  }

  @Test
  void closeReportsWhatWasCountedButNotLogged() {
    ProblemLog log = new ProblemLog(logger, "datadog/logs", now::get, Duration.ofMinutes(1));
    log.report(Level.WARNING, "attempt failed timeout", 5, "export failed, retrying: timeout");
    log.report(Level.WARNING, "attempt failed timeout", 5, "export failed, retrying: timeout");
    log.report(Level.WARNING, "attempt failed timeout", 5, "export failed, retrying: timeout");
    log.close();
    log.close();
    assertThat(lines)
        .containsExactly(
            "WARNING otel-retention: datadog/logs: export failed, retrying: timeout",
            "WARNING otel-retention: datadog/logs: export failed, retrying: timeout (2 more times, 10 items in the last 0 s)"
                + " [at close]");
  }
}
