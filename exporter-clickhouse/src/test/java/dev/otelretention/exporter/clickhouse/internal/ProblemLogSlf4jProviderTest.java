package dev.otelretention.exporter.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.testing.LogCapture;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/**
 * The client's warnings, whose text carries durations and attempt numbers, are one problem a
 * minute.
 */
class ProblemLogSlf4jProviderTest {
  @Test
  void messagesThatDifferOnlyInNumbersAreOneProblem() {
    try (LogCapture log = LogCapture.of("test.clickhouse.client", Level.ALL)) {
      Logger logger =
          new ProblemLogSlf4jProvider().getLoggerFactory().getLogger("test.clickhouse.client");
      logger.warn("Query request failed (attempt: 1, duration: 113ms, queryId: null)");
      logger.warn("Query request failed (attempt: 1, duration: 2ms, queryId: null)");
      logger.warn("Endpoint 127.0.0.1 quarantined for 30000 ms");
      logger.info("Connected");
      List<String> lines = log.messages();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0)).contains("Query request failed").contains("113ms");
      assertThat(lines.get(1)).contains("quarantined");
    }
  }

  @Test
  void theClientsEndpointSelectorIsSilentSinceEachClientHoldsOneServer() {
    ILoggerFactory loggers = new ProblemLogSlf4jProvider().getLoggerFactory();
    assertThat(ProblemLogSlf4jProvider.NODE_SELECTOR)
        .isEqualTo(com.clickhouse.client.api.transport.ClientNodeSelector.class.getName());
    assertThat(loggers.getLogger(ProblemLogSlf4jProvider.NODE_SELECTOR).isWarnEnabled()).isFalse();
    assertThat(loggers.getLogger("com.clickhouse.client.api.Client").isWarnEnabled()).isTrue();
  }
}
