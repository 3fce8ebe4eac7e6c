package dev.otelretention.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.Signal;
import dev.otelretention.testing.LogCapture;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Refusals are counted one by one and logged at most once a minute, with the counts, and at close.
 */
class QueueGateTest {
  @Test
  void refusalsAreLoggedOnceAMinuteWithTheirCounts() {
    try (LogCapture lines = LogCapture.of(QueueGate.class.getName(), Level.WARNING)) {
      QueueGate gate = new QueueGate(Signal.TRACES, MemoryLimiter.unlimited(), 2);
      assertThat(gate.lastRefusedAt()).isNull();
      for (int i = 0; i < 1000; i++) {
        gate.tryEnter(100);
      }
      assertThat(gate.refusedQueueFull()).isEqualTo(998);
      assertThat(gate.lastRefusedAt()).isNotNull();
      assertThat(lines.messages())
          .containsExactly(
              "otel-retention: traces batch queue: refused 1 item (queue_full)"
                  + " since the last report: the queue holds its maximum of 2");
      gate.close();
      assertThat(lines.messages())
          .hasSize(2)
          .last()
          .asString()
          .isEqualTo(
              "otel-retention: traces batch queue: refused 997 items (queue_full) since the last report: the"
                  + " queue holds its maximum of 2");
    }
  }
}
