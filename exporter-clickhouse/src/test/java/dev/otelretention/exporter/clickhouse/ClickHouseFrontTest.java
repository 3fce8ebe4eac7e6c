package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The test front survives its engine dying on its own: it comes back on the same port with the same
 * data.
 */
class ClickHouseFrontTest {
  @Test
  void aFrontWhoseEngineDiesIsStartedAgainWithItsData() throws Exception {
    ClickHouseFront front = ClickHouseFront.startNew();
    try {
      front.execute("CREATE TABLE default.survivor (n UInt32) ENGINE = MergeTree ORDER BY n");
      front.execute("INSERT INTO default.survivor VALUES (1), (2), (3)");
      String port = front.endpoint().substring(front.endpoint().lastIndexOf(':') + 1);
      ProcessHandle engine =
          ProcessHandle.current()
              .descendants()
              .filter(p -> p.info().commandLine().orElse("").contains("--port " + port))
              .findFirst()
              .orElseThrow();
      // what a segmentation fault in the native library does: the process is gone at once
      engine.destroyForcibly();
      engine.onExit().get(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Long rows = null;
      while (rows == null && System.nanoTime() < deadline) {
        try {
          rows = front.count("SELECT count() FROM default.survivor");
        } catch (RuntimeException notYet) {
          Thread.sleep(200);
        }
      }
      assertThat(rows).isEqualTo(3L);
    } finally {
      front.stop();
    }
  }
}
