package dev.otelretention.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot shop instrumented by OpenTelemetry's Spring Boot starter; {@code
 * application.properties} sends its telemetry to rotating OTLP/JSON files through {@code
 * otel.traces.exporter=otlp-file-rotating}.
 */
@SpringBootApplication
@RestController
public class ShopApplication {
  /** Starts the shop. */
  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }

  /** The stock of an item. */
  @GetMapping("/stock/{item}")
  public String stock(@PathVariable("item") String item) {
    return item + ": 42";
  }
}
