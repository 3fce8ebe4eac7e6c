package dev.otelretention.testing.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeDatadogTest {
  private static final String ONE_LOG = "[{\"message\":\"hello\",\"status\":\"info\"}]";

  @Test
  void aSlowRequestDoesNotHoldUpTheNext() throws Exception {
    try (FakeDatadog fake = new FakeDatadog();
        Socket slow =
            new Socket(InetAddress.getLoopbackAddress(), URI.create(fake.url()).getPort())) {
      OutputStream out = slow.getOutputStream();
      // the headers and half of the body: the intake waits for the rest
      out.write(
          ("POST /api/v2/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "DD-API-KEY: "
                  + FakeDatadog.API_KEY
                  + "\r\nContent-Length: "
                  + ONE_LOG.length()
                  + "\r\n\r\n"
                  + ONE_LOG.substring(0, 10))
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(200);

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(fake.url() + "/api/v2/logs"))
                      .header("Content-Type", "application/json")
                      .header("DD-API-KEY", FakeDatadog.API_KEY)
                      .timeout(Duration.ofSeconds(10))
                      .POST(HttpRequest.BodyPublishers.ofString(ONE_LOG))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(fake.logs).hasSize(1);
      assertThat(fake.violations).isEmpty();
    }
  }

  @Test
  void stopEndsTheHandlerThreads() throws Exception {
    FakeDatadog fake = new FakeDatadog();
    HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(fake.url() + "/api/v2/logs"))
                .header("Content-Type", "application/json")
                .header("DD-API-KEY", FakeDatadog.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(ONE_LOG))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    fake.close();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (handlerThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(handlerThreads()).isZero();
  }

  private static long handlerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith("fake-datadog-"))
        .count();
  }
}
