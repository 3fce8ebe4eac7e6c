package dev.otelretention.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.file.RotatingFileExporters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar as a user runs it: {@code java -jar otel-retention-cli-<version>-all.jar ...},
 * nothing else.
 */
class ExecutableJarIT {
  private static final Path JAR = Path.of(System.getProperty("cli.jar", "target/missing.jar"));
  private static final Path LAUNCHER =
      Path.of(System.getProperty("cli.launcher", "target/missing-launcher"));
  @TempDir Path dir;

  /**
   * Exit status, standard output and standard error of the jar run with {@code args} and an empty
   * environment.
   */
  private record Run(int status, String out, String err) {}

  private static Run run(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.startsWith("CLICKHOUSE_") || name.startsWith("OTEL_"));
    return exec(builder);
  }

  private static Run exec(ProcessBuilder builder) throws IOException, InterruptedException {
    Path out = Files.createTempFile("cli-out", ".txt");
    Path err = Files.createTempFile("cli-err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the process exits").isTrue();
    Run run =
        new Run(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  @Test
  void helpListsEverySubcommand() throws Exception {
    assertThat(JAR).as("built by the package phase").isRegularFile();
    Run help = run("--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("Usage: otel-retention").contains(CliRuns.SUBCOMMANDS);
    Run version = run("--version");
    assertThat(version.out().strip())
        .isEqualTo("otel-retention " + System.getProperty("cli.version"));
  }

  @Test
  void reportsOnAFileDirectory() throws Exception {
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("jar-test")
            .addSink(RotatingFileExporters.builder().directory(dir).buildSink())
            .closeOnJvmShutdown(false)
            .build()) {
      for (int i = 0; i < 25; i++) {
        telemetry.openTelemetry().getTracer("t").spanBuilder("work " + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
    }
    Run report = run("report", "--files", dir.toString(), "--json");
    assertThat(report.status()).as(report.err()).isZero();
    assertThat(report.out().lines().filter(line -> line.contains("traces.jsonl")).findFirst())
        .get()
        .asString()
        .doesNotContain("\"bytes\":0,")
        .doesNotContain("\"oldest\":null");
  }

  @Test
  void anUnreachableClickHouseFailsTheReportButNotTheFileReport() throws Exception {
    Files.writeString(dir.resolve("traces.jsonl"), "");
    Run report =
        run(
            "report",
            "--files",
            dir.toString(),
            "--clickhouse-endpoint",
            "http://127.0.0.1:1",
            "--json");
    assertThat(report.status()).isEqualTo(OtelRetentionCli.FAILED);
    // the client's own warnings (quarantined endpoint, failed attempt) say nothing the error line
    // does not
    assertThat(report.err()).startsWith("error: ").doesNotContain("WARNING");
    assertThat(report.out()).contains("traces.jsonl");
  }

  @Test
  void wrongOptionsExitWithTheUsageStatus() throws Exception {
    Run missing = run("report");
    assertThat(missing.status()).isEqualTo(OtelRetentionCli.USAGE);
    assertThat(missing.err()).contains("nothing to report on");
    Run unknown = run("drop", "--since", "2026-11-01");
    assertThat(unknown.status()).isEqualTo(OtelRetentionCli.USAGE);
    assertThat(unknown.err()).contains("--until");
  }

  /** Exit status and output of {@code command} run in a shell, with this JVM's java first. */
  private static Run shell(String command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command);
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    builder.environment().put("PATH", javaBin + java.io.File.pathSeparator + System.getenv("PATH"));
    builder.environment().remove("JAVA_HOME");
    return exec(builder);
  }

  @Test
  void theLauncherIsOneExecutableFileThatRunsFromThePath() throws Exception {
    assertThat(LAUNCHER).as("built by the package phase").isRegularFile().isExecutable();
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(LAUNCHER, bin.resolve("otel-retention"));
    bin.resolve("otel-retention").toFile().setExecutable(true);
    Run version = shell("PATH=\"" + bin + ":$PATH\" otel-retention --version");
    assertThat(version.status()).as(version.err()).isZero();
    assertThat(version.out().strip())
        .isEqualTo("otel-retention " + System.getProperty("cli.version"));
    Run help = shell("PATH=\"" + bin + ":$PATH\" otel-retention traces --help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("Usage: otel-retention traces").contains("--min-duration");
  }

  @Test
  void theLauncherUsesTheSerialCollectorUnlessTheOptionsChooseOne() throws Exception {
    String launcher = "\"" + LAUNCHER + "\" --version";
    Run chosenByUs = shell("OTEL_RETENTION_JAVA_OPTS=-XX:+PrintCommandLineFlags " + launcher);
    assertThat(chosenByUs.status()).as(chosenByUs.err()).isZero();
    assertThat(chosenByUs.out()).contains("-XX:+UseSerialGC").contains("otel-retention ");
    Run chosenByUser =
        shell(
            "OTEL_RETENTION_JAVA_OPTS='-XX:+UseParallelGC -XX:+PrintCommandLineFlags' " + launcher);
    assertThat(chosenByUser.status()).as(chosenByUser.err()).isZero();
    assertThat(chosenByUser.out()).contains("-XX:+UseParallelGC").doesNotContain("UseSerialGC");
    for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
      Run chosenForEveryJvm =
          shell(
              variable
                  + "=-XX:+UseParallelGC OTEL_RETENTION_JAVA_OPTS=-XX:+PrintCommandLineFlags "
                  + launcher);
      assertThat(chosenForEveryJvm.status()).as(variable + ": " + chosenForEveryJvm.err()).isZero();
      assertThat(chosenForEveryJvm.out()).contains("-XX:+UseParallelGC");
    }
  }

  @Test
  void theLauncherRunsLookupsOnTheJitsFirstTierOnly() throws Exception {
    String flags = "OTEL_RETENTION_JAVA_OPTS=-XX:+PrintCommandLineFlags \"" + LAUNCHER + "\" ";
    String files = " --files '" + dir + "'";
    // not found in the empty directory: the command exits with 1 after the JVM printed its flags
    String lookupArguments = "trace" + files + " " + "0".repeat(31) + "1";
    Run lookup = shell(flags + lookupArguments);
    assertThat(lookup.status()).as(lookup.err()).isEqualTo(1);
    assertThat(lookup.out()).contains("-XX:TieredStopAtLevel=1");
    assertThat(shell(flags + "--version").out()).contains("-XX:TieredStopAtLevel=1");
    Run list = shell(flags + "traces" + files);
    assertThat(list.status()).as(list.err()).isZero();
    assertThat(list.out()).contains("-XX:+UseSerialGC").doesNotContain("TieredStopAtLevel");
    Run chosenByUser =
        shell(
            "OTEL_RETENTION_JAVA_OPTS='-XX:TieredStopAtLevel=4 -XX:+PrintCommandLineFlags' \""
                + LAUNCHER
                + "\" "
                + lookupArguments);
    assertThat(chosenByUser.out())
        .contains("-XX:TieredStopAtLevel=4")
        .doesNotContain("TieredStopAtLevel=1");
  }

  @Test
  void shellCompletionCompletesSubcommandsAndOptions() throws Exception {
    Run script = run("generate-completion");
    assertThat(script.status()).as(script.err()).isZero();
    Path completion = dir.resolve("otel-retention.bash");
    Files.writeString(completion, script.out());
    Run subcommands =
        shell(
            "source '"
                + completion
                + "'; COMP_WORDS=(otel-retention tr); COMP_CWORD=1; COMP_LINE='otel-retention tr';"
                + " COMP_POINT=${#COMP_LINE}; _complete_otel-retention; echo \"${COMPREPLY[@]}\"");
    assertThat(subcommands.status()).as(subcommands.err()).isZero();
    assertThat(subcommands.out().strip().split(" ")).containsExactlyInAnyOrder("traces", "trace");
    Run options =
        shell(
            "source '"
                + completion
                + "'; COMP_WORDS=(otel-retention traces --min); COMP_CWORD=2;"
                + " COMP_LINE='otel-retention traces --min'; COMP_POINT=${#COMP_LINE};"
                + " _complete_otel-retention; echo \"${COMPREPLY[@]}\"");
    assertThat(options.out().strip()).isEqualTo("--min-duration");
  }
}
