package dev.otelretention.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the command line in this JVM: exit status, standard output and standard error. */
final class CliRuns {
  /** The subcommands' names, in the order the usage help lists them. */
  static final List<String> SUBCOMMANDS =
      List.of(
          "report",
          "traces",
          "trace",
          "partitions",
          "checksums",
          "backup",
          "restore",
          "archive",
          "unarchive",
          "move",
          "drop",
          "retention",
          "replay",
          "generate-completion");

  private CliRuns() {}

  static String[] run(String... args) {
    return run(OtelRetentionCli.commandLine(args), args);
  }

  /**
   * {@code args} on a command line built for other arguments (its subcommands are what differs).
   */
  static String[] run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        OtelRetentionCli.execute(
            commandLine, args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {Integer.toString(status), out.toString(), err.toString()};
  }

  /** {@code args} against the database {@code database} of the server at {@code endpoint}. */
  static String[] runOn(String endpoint, String password, String database, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--clickhouse-endpoint",
            endpoint,
            "--clickhouse-password",
            password,
            "--database",
            database));
    return run(all.toArray(String[]::new));
  }
}
