package dev.otelretention.cli;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.file.FileTraces;
import dev.otelretention.traces.Trace;
import dev.otelretention.traces.TraceFilter;
import dev.otelretention.traces.TraceSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the trace views read: a directory of telemetry files, or the ClickHouse tables. */
final class TraceSourceOptions {
  @Option(
      names = "--files",
      description = "directory of telemetry files (traces.jsonl, logs.jsonl and their backups)")
  Path files;

  @Mixin ClickHouseOptions clickhouse;

  /** Reads traces from the files or from ClickHouse. */
  interface Source extends AutoCloseable {
    List<TraceSummary> list(TraceFilter filter) throws Exception;

    Optional<Trace> find(String traceId) throws Exception;

    /** Where it reads, for messages. */
    String description();

    @Override
    void close();
  }

  /**
   * The files when {@code --files} is given, else ClickHouse.
   *
   * @throws CommandLine.ParameterException when neither is given or the directory does not exist
   */
  Source open(CommandLine commandLine) {
    EnvironmentConfig environment = EnvironmentConfig.fromSystem();
    if (files != null) {
      if (!Files.isDirectory(files)) {
        throw new CommandLine.ParameterException(
            commandLine,
            (Files.exists(files) ? files + " is not a directory" : "no directory " + files)
                + ": --files takes the directory of the telemetry files");
      }
      FileTraces traces = FileTraces.in(files);
      return new Source() {
        @Override
        public List<TraceSummary> list(TraceFilter filter) throws Exception {
          return traces.list(filter);
        }

        @Override
        public Optional<Trace> find(String traceId) throws Exception {
          return traces.find(traceId);
        }

        @Override
        public String description() {
          return "the files in " + files;
        }

        @Override
        public void close() {}
      };
    }
    if (!clickhouse.configured(environment)) {
      throw new CommandLine.ParameterException(
          commandLine, "nothing to read: give --files DIRECTORY or --clickhouse-endpoint");
    }
    ClickHouseOperations operations =
        ClickHouseOperations.connectReadOnly(clickhouse.settings(environment));
    return new Source() {
      @Override
      public List<TraceSummary> list(TraceFilter filter) throws Exception {
        return operations.inspection().traces(filter);
      }

      @Override
      public Optional<Trace> find(String traceId) throws Exception {
        return operations.inspection().trace(traceId);
      }

      @Override
      public String description() {
        return "ClickHouse";
      }

      @Override
      public void close() {
        operations.close();
      }
    };
  }
}
