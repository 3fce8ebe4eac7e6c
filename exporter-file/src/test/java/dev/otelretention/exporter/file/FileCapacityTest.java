package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.capacity.CapacityStatus;
import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.config.EnvironmentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file sink's capacity probe: each file against its rotation bound, and the disk under the
 * directory.
 */
class FileCapacityTest {
  @TempDir Path dir;

  @Test
  void filesAreMeasuredAgainstTheRotationBound() {
    RotationPolicy rotation = RotationPolicy.builder().maxFileSize(1 << 20).maxBackups(9).build();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(RotatingFileExporters.builder().directory(dir).rotation(rotation).buildSink())
            .capacityAlerts(
                CapacityThresholds.builder()
                    .maxProjectedBytes(5L << 20)
                    .minFreeBytes(1)
                    .interval(Duration.ofHours(1))
                    .build())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("capacity").spanBuilder("one").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      List<CapacityStatus> statuses = telemetry.checkCapacity();
      CapacityStatus traces =
          statuses.stream()
              .filter(s -> s.sample().store().equals("traces.jsonl"))
              .findFirst()
              .orElseThrow();
      assertThat(traces.sink()).isEqualTo("file");
      assertThat(traces.sample().usedBytes()).isPositive();
      assertThat(traces.sample().projectedBytes()).as("10 files of 1 MiB").isEqualTo(10L << 20);
      assertThat(traces.alerts()).containsExactly("projected_bytes");
      CapacityStatus disk = statuses.get(statuses.size() - 1);
      assertThat(disk.sample().store()).isEqualTo("disk:" + dir.toAbsolutePath());
      assertThat(disk.sample().freeBytes()).isPositive();
      assertThat(disk.alerts()).isEmpty();
    }
  }
}
