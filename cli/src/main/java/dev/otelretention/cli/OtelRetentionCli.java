package dev.otelretention.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operators' command line, {@code otel-retention}: retention report, partitions and checksums,
 * backup and restore, archive, moves and drops of partitions, and replay of telemetry files into
 * ClickHouse. ClickHouse settings come from the options or the {@code CLICKHOUSE_*} / {@code
 * OTEL_RETENTION_CLICKHOUSE_*} environment, so the command sees the same tables as the application.
 * Destructive commands print their plan and do nothing without {@code --confirm}; {@code --dry-run}
 * prints the plan (with its SQL) and stops.
 *
 * <p>{@code generate-completion} prints a bash (and zsh) completion script for the command.
 *
 * <p>Exit status: {@value #OK} done, {@value #FAILED} the operation failed (an error message says
 * why), {@value #USAGE} wrong or missing options, {@value #NOT_CONFIRMED} a destructive plan was
 * shown and not run.
 */
@Command(
    name = "otel-retention",
    mixinStandardHelpOptions = true,
    versionProvider = OtelRetentionCli.Version.class,
    description = "Retention operations for otel-retention telemetry.")
public final class OtelRetentionCli implements Runnable {
  /** Exit status of a command that did what it was asked. */
  public static final int OK = 0;

  /** Exit status of a command whose operation failed (a query, a file). */
  public static final int FAILED = 1;

  /** Exit status of a command with wrong or missing options. */
  public static final int USAGE = 2;

  /** Exit status of a destructive command that was not confirmed. */
  public static final int NOT_CONFIRMED = 3;

  /** The subcommands, in the order the usage help lists them. */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
          ReportCommand.class,
          TracesCommand.class,
          TraceCommand.class,
          PartitionsCommand.class,
          ChecksumsCommand.class,
          BackupCommand.class,
          RestoreCommand.class,
          ArchiveCommand.class,
          UnarchiveCommand.class,
          MoveCommand.class,
          DropCommand.class,
          RetentionCommand.class,
          ReplayCommand.class,
          AutoComplete.GenerateCompletion.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private OtelRetentionCli() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, UTF_8)), true);
    PrintWriter err =
        new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.err, UTF_8)), true);
    int status = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** Runs the command line with the given output and returns the exit status instead of exiting. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return execute(commandLine(args), args, out, err);
  }

  /** Runs {@code args} on {@code commandLine} with the given output; returns the exit status. */
  static int execute(CommandLine commandLine, String[] args, PrintWriter out, PrintWriter err) {
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println("error: " + e.getMessage());
          return FAILED;
        });
    return commandLine.execute(args);
  }

  /**
   * The command line for {@code args}, with only the subcommand they name: picocli builds every
   * registered subcommand's model from its annotations at start. The version alone needs none; the
   * usage help, shell completion and a name that is not a subcommand get them all.
   */
  static CommandLine commandLine(String[] args) {
    CommandLine commandLine = new CommandLine(new OtelRetentionCli());
    if (args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"))) {
      return commandLine;
    }
    Class<?> named = args.length == 0 ? null : subcommandNamed(args[0]);
    for (Class<?> subcommand : SUBCOMMANDS) {
      if (named == null || named == subcommand) {
        commandLine.addSubcommand(subcommand);
      }
    }
    // every subcommand's --help offers -V, which printed nothing (and completion picocli's version)
    Version version = new Version();
    for (CommandLine subcommand : commandLine.getSubcommands().values()) {
      subcommand.getCommandSpec().versionProvider(version);
    }
    return commandLine;
  }

  /** The subcommand {@code name} names, or null; never the completion, which needs all. */
  private static Class<?> subcommandNamed(String name) {
    for (Class<?> subcommand : SUBCOMMANDS) {
      Command command = subcommand.getAnnotation(Command.class);
      if (subcommand != AutoComplete.GenerateCompletion.class
          && command != null
          && command.name().equals(name)) {
        return subcommand;
      }
    }
    return null;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version of this jar, from its manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = OtelRetentionCli.class.getPackage().getImplementationVersion();
      return new String[] {"otel-retention " + (version == null ? "(development build)" : version)};
    }
  }
}
