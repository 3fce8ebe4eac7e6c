package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.testing.datadog.FakeDatadog;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/** Traces over the Agent's Unix domain socket, as with {@code DD_TRACE_AGENT_URL=unix:///...}. */
class UnixSocketAgentTest {
  @TempDir Path dir;

  @Test
  void tracesGoOverTheUnixSocket() throws Exception {
    Path socket = dir.resolve("apm.socket");
    List<String> requestLines = Collections.synchronizedList(new ArrayList<>());
    List<Integer> spansPerRequest = Collections.synchronizedList(new ArrayList<>());
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread agent =
          new Thread(
              () -> {
                try {
                  while (true) {
                    try (SocketChannel client = server.accept()) {
                      ByteArrayOutputStream received = new ByteArrayOutputStream();
                      ByteBuffer buffer = ByteBuffer.allocate(8192);
                      int headerEnd = -1;
                      int length = -1;
                      while (true) {
                        if (client.read(buffer) < 0) {
                          break;
                        }
                        buffer.flip();
                        received.write(buffer.array(), 0, buffer.limit());
                        buffer.clear();
                        String text = received.toString(StandardCharsets.ISO_8859_1);
                        if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                          Matcher m = Pattern.compile("(?i)Content-Length: (\\d+)").matcher(text);
                          length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                        }
                        if (headerEnd >= 0 && received.size() >= headerEnd + 4 + length) {
                          break;
                        }
                      }
                      byte[] all = received.toByteArray();
                      String head = new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1);
                      requestLines.add(
                          head.split("\r\n")[0]
                              + (head.contains("Content-Type: application/msgpack")
                                  ? " msgpack"
                                  : ""));
                      int spans = 0;
                      try (MessageUnpacker unpacker =
                          MessagePack.newDefaultUnpacker(all, headerEnd + 4, length)) {
                        int traces = unpacker.unpackArrayHeader();
                        for (int t = 0; t < traces; t++) {
                          int count = unpacker.unpackArrayHeader();
                          for (int s = 0; s < count; s++) {
                            unpacker.skipValue();
                            spans++;
                          }
                        }
                      }
                      spansPerRequest.add(spans);
                      client.write(
                          ByteBuffer.wrap(
                              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
                                  .getBytes(StandardCharsets.US_ASCII)));
                    }
                  }
                } catch (Exception e) {
                  // the server was closed at the end of the test
                }
              },
              "fake-agent-uds");
      agent.setDaemon(true);
      agent.start();

      try (FakeDatadog intake = new FakeDatadog()) {
        Map<String, String> environment =
            Map.of(
                "DD_API_KEY",
                FakeDatadog.API_KEY,
                "DD_TRACE_AGENT_URL",
                "unix://" + socket,
                "OTEL_RETENTION_DATADOG_METRICS_URL",
                intake.url(),
                "OTEL_RETENTION_DATADOG_LOGS_URL",
                intake.url());
        try (TelemetryRetention telemetry =
            TelemetryRetention.builder()
                .config(EnvironmentConfig.of(environment))
                .addSink(
                    DatadogExporters.builder()
                        .configure(EnvironmentConfig.of(environment))
                        .buildSink())
                .batchTimeout(Duration.ofMillis(20))
                .closeOnJvmShutdown(false)
                .build()) {
          for (int i = 0; i < 7; i++) {
            telemetry
                .openTelemetry()
                .getTracer("uds")
                .spanBuilder("over-uds-" + i)
                .startSpan()
                .end();
          }
          assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
          var traces =
              telemetry.health().sinks().stream()
                  .filter(s -> s.component().equals("datadog/traces"))
                  .findFirst()
                  .orElseThrow();
          assertThat(traces.exported()).isEqualTo(7);
          assertThat(traces.dropped()).isZero();
        }
      }
    }
    assertThat(requestLines)
        .allSatisfy(line -> assertThat(line).isEqualTo("PUT /v0.4/traces HTTP/1.1 msgpack"));
    assertThat(spansPerRequest.stream().mapToInt(Integer::intValue).sum()).isEqualTo(7);
  }
}
