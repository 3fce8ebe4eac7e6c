package dev.otelretention.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.export.RetryPolicy;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  @Test
  void backoffGrowsWithJitterAndIsCapped() {
    RetryPolicy policy = RetryPolicy.getDefault();
    long second = 1_000_000_000L;
    assertThat(RetryingSender.backoffNanos(policy, 0, () -> 0.0)).isEqualTo((long) (2.5 * second));
    assertThat(RetryingSender.backoffNanos(policy, 0, () -> 0.999999))
        .isBetween((long) (7.49 * second), (long) (7.5 * second));
    assertThat(RetryingSender.backoffNanos(policy, 1, () -> 0.5)).isEqualTo((long) (7.5 * second));
    assertThat(RetryingSender.backoffNanos(policy, 2, () -> 0.5))
        .isEqualTo((long) (11.25 * second));
    for (int retry = 5; retry < 60; retry++) {
      assertThat(RetryingSender.backoffNanos(policy, retry, () -> 0.999))
          .isLessThanOrEqualTo(30 * second);
      assertThat(RetryingSender.backoffNanos(policy, retry, () -> 0.0))
          .isGreaterThanOrEqualTo(15 * second);
    }
  }
}
