package dev.otelretention.agent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@link AgentApp} in a child JVM under the real OpenTelemetry Java agent with the extension
 * jar.
 */
final class AgentRun {
  final int exitCode;
  final String output;

  private AgentRun(int exitCode, String output) {
    this.exitCode = exitCode;
    this.output = output;
  }

  static Path agentJar() {
    return existing("agent.jar");
  }

  static Path extensionJar() {
    return existing("extension.jar");
  }

  private static Path existing(String property) {
    String value = System.getProperty(property);
    if (value == null || !Files.isRegularFile(Path.of(value))) {
      throw new IllegalStateException(
          property + " is not set to a file (run through Maven's verify): " + value);
    }
    return Path.of(value);
  }

  /**
   * The application's class path: its own classes and H2, nothing of OpenTelemetry or this
   * project's main code.
   */
  private static String applicationClassPath() {
    String testClasses =
        Path.of(AgentApp.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .toString();
    String h2 =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> Path.of(entry).getFileName().toString().startsWith("h2-"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no H2 jar on the test class path"));
    return testClasses + File.pathSeparator + h2;
  }

  /** Runs the application with these {@code -D} properties; waits at most two minutes. */
  static AgentRun run(Path workDirectory, Map<String, String> properties)
      throws IOException, InterruptedException {
    return run(workDirectory, properties, Map.of());
  }

  /** As {@link #run(Path, Map)}, with these environment variables added. */
  static AgentRun run(Path workDirectory, Map<String, String> properties, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-javaagent:" + agentJar());
    command.add("-Dotel.javaagent.extensions=" + extensionJar());
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-cp");
    command.add(applicationClassPath());
    command.add(AgentApp.class.getName());
    Path log = workDirectory.resolve("app.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "the application did not finish in two minutes: " + Files.readString(log));
    }
    return new AgentRun(
        process.exitValue(), Files.readAllLines(log).stream().collect(Collectors.joining("\n")));
  }
}
