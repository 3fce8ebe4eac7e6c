package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ClickHouse client logs through SLF4J. On a class path without an SLF4J binding its messages
 * reach {@code java.util.logging} and SLF4J prints no warning; with a binding, the application's
 * binding is used.
 */
class Slf4jFallbackTest {
  @TempDir Path dir;

  @Test
  void withoutABindingTheClientLogsThroughJavaUtilLoggingAndSlf4jStaysQuiet() throws Exception {
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.contains("slf4j-jdk14"))
            .collect(Collectors.joining(File.pathSeparator));
    String output = run(classPath);

    assertThat(output).doesNotContain("SLF4J");
    assertThat(output)
        .contains(
            "provider=dev.otelretention.exporter.clickhouse.internal.ProblemLogSlf4jProvider");
    // the client's own warnings about the refused connection, through java.util.logging
    assertThat(output)
        .containsPattern(
            "(?m)^WARNING: otel-retention: com\\.clickhouse\\.client\\.api\\.Client: ");
  }

  @Test
  void anApplicationBindingIsLeftAlone() throws Exception {
    String output = run(System.getProperty("java.class.path"));

    assertThat(output).doesNotContain("SLF4J");
    assertThat(output).contains("provider=org.slf4j.jul.JDK14LoggerFactory");
  }

  private String run(String classPath) throws IOException, InterruptedException {
    Path log = dir.resolve("child-" + System.nanoTime() + ".log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                Slf4jFallbackChild.class.getName(),
                "http://127.0.0.1:" + closedPort())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(output).isZero();
    return output;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
