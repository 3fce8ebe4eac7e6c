package dev.otelretention.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void defaultsAreTheDesignNoteValues() {
    RetryPolicy policy = RetryPolicy.getDefault();
    assertThat(policy.initialInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.maxInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.maxElapsedTime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.isEnabled()).isTrue();
  }

  @Test
  void backoffGrowsWithJitterAndIsCapped() {
    RetryPolicy policy = RetryPolicy.getDefault();
    long second = 1_000_000_000L;
    assertThat(policy.backoffNanos(0, () -> 0.0)).isEqualTo((long) (2.5 * second));
    assertThat(policy.backoffNanos(0, () -> 0.999999))
        .isBetween((long) (7.49 * second), (long) (7.5 * second));
    assertThat(policy.backoffNanos(1, () -> 0.5)).isEqualTo((long) (7.5 * second));
    assertThat(policy.backoffNanos(2, () -> 0.5)).isEqualTo((long) (11.25 * second));
    for (int retry = 5; retry < 60; retry++) {
      assertThat(policy.backoffNanos(retry, () -> 0.999)).isLessThanOrEqualTo(30 * second);
      assertThat(policy.backoffNanos(retry, () -> 0.0)).isGreaterThanOrEqualTo(15 * second);
    }
  }

  @Test
  void rejectsInvalidSettings() {
    assertThatThrownBy(() -> RetryPolicy.builder().initialInterval(Duration.ZERO))
        .hasMessageContaining("initialInterval");
    assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> RetryPolicy.builder().randomizationFactor(1.0))
        .hasMessageContaining("randomizationFactor");
    assertThatThrownBy(() -> RetryPolicy.builder().initialInterval(Duration.ofMinutes(2)).build())
        .hasMessageContaining("must not exceed maxInterval");
  }
}
