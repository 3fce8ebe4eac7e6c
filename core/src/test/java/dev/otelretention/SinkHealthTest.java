package dev.otelretention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.Signal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Any loss shows in health for a minute, also when exports succeed after it. */
class SinkHealthTest {
  @Test
  void aDropMakesTheExporterUnhealthyForAMinuteWhateverSucceedsAfterIt() {
    ExportStats stats = new ExportStats("clickhouse/traces", "test", Signal.TRACES);
    stats.recordExported(100, 1_000);
    assertThat(SinkHealth.of(stats).healthy()).isTrue();
    stats.recordDropped(7, "io_error", "IOException: No space left on device");
    stats.recordExported(100, 1_000);
    SinkHealth health = SinkHealth.of(stats);
    assertThat(health.lastSuccess()).isAfterOrEqualTo(health.lastErrorAt());
    assertThat(health.healthy()).isFalse();
    assertThat(health.lastError())
        .isEqualTo("dropped 7 items (io_error): IOException: No space left on device");
    assertThat(health.droppedByReason()).containsEntry("io_error", 7L);
    Instant later = health.lastDroppedAt().plus(SinkHealth.DROP_WINDOW).plusMillis(1);
    assertThat(health.healthyAt(later)).isTrue();
  }
}
