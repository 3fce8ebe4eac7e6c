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
