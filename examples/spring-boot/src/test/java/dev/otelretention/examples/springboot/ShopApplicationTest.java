package dev.otelretention.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;

/**
 * The Spring Boot starter picks the rotating file exporter by name; the server spans of requests
 * reach the file.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "otel.exporter.otlp-file-rotating.directory=target/telemetry-spring-test",
      "otel.exporter.otlp-file-rotating.flush-interval=0"
    })
class ShopApplicationTest {
  @Autowired TestRestTemplate http;
  @Autowired OpenTelemetry openTelemetry;

  @Test
  void requestsBecomeServerSpansInTheFiles() throws Exception {
    assertThat(http.getForObject("/stock/teapot", String.class)).isEqualTo("teapot: 42");
    assertThat(openTelemetry).isInstanceOf(OpenTelemetrySdk.class);
    OpenTelemetrySdk sdk = (OpenTelemetrySdk) openTelemetry;
    // the server span ends after the response went out, so it may end after the client has its
    // answer
    Path file = Path.of("target", "telemetry-spring-test", "traces.jsonl");
    String traces = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!traces.contains("\"name\":\"GET /stock/{item}\"") && System.nanoTime() < deadline) {
      assertThat(sdk.getSdkTracerProvider().forceFlush().join(20, TimeUnit.SECONDS).isSuccess())
          .isTrue();
      traces = Files.exists(file) ? Files.readString(file) : "";
      Thread.sleep(50);
    }
    assertThat(traces).contains("\"name\":\"GET /stock/{item}\"").contains("spring-shop");
  }
}
