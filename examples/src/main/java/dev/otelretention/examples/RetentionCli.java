package dev.otelretention.examples;

import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.RetentionReport;
import dev.otelretention.exporter.file.FileRetentionReport;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.file.RotationPolicy;
import dev.otelretention.sink.EnvironmentConfig;
import dev.otelretention.sink.Signal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operators' command line: {@code otel-retention report} prints what the ClickHouse tables and/or the
 * rotating files hold, how fast they grow and what they will use at the configured retention. ClickHouse
 * settings come from the options or the {@code CLICKHOUSE_*} / {@code OTEL_RETENTION_CLICKHOUSE_*} environment.
 */
@Command(name = "otel-retention", mixinStandardHelpOptions = true, subcommands = RetentionCli.Report.class,
    description = "Retention operations for otel-retention telemetry.")
public final class RetentionCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given output, returning the exit status. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new RetentionCli());
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code report}: the retention report of ClickHouse tables and/or rotating files. */
  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Rows, bytes, time range, ingest per day, projected use and TTL drift of the telemetry.")
  static final class Report implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--clickhouse-endpoint", description = "ClickHouse HTTP(S) endpoint (default: CLICKHOUSE_ENDPOINT)")
    String endpoint;

    @Option(names = "--clickhouse-password", description = "password (default: CLICKHOUSE_PASSWORD)")
    String password;

    @Option(names = "--database", description = "database (default: CLICKHOUSE_DATABASE or otel)")
    String database;

    @Option(names = "--days", defaultValue = "7", description = "window of the ingest figures in days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--files", description = "directory of rotating telemetry files to report on")
    Path files;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      EnvironmentConfig environment = EnvironmentConfig.fromSystem();
      ClickHouseExporters.Builder clickhouse = ClickHouseExporters.builder().configure(environment);
      boolean haveClickHouse = endpoint != null || environment.isSet("clickhouse.endpoint");
      if (!haveClickHouse && files == null) {
        spec.commandLine().getErr().println("nothing to report on: give --clickhouse-endpoint and/or --files");
        return 2;
      }
      if (haveClickHouse) {
        if (endpoint != null) {
          clickhouse.endpoint(endpoint);
        }
        if (password != null) {
          clickhouse.password(password);
        }
        if (database != null) {
          clickhouse.database(database);
        }
        try (ClickHouseOperations operations = ClickHouseOperations.connect(clickhouse)) {
          RetentionReport report = operations.report(days);
          out.print(json ? report.toJson() + System.lineSeparator() : report.toTable());
        }
      }
      if (files != null) {
        RotationPolicy policy = RotatingFileExporters.builder().configure(environment).rotationPolicy();
        for (Signal signal : Signal.values()) {
          FileRetentionReport report = FileRetentionReport.of(files.resolve(RotatingFileExporters.fileName(signal)), policy);
          out.println(json ? report.toJson() : report.toLine());
        }
      }
      return 0;
    }
  }

  private RetentionCli() {}
}
