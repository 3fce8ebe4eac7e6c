package dev.otelretention.cli;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * Where ClickHouse is and which tables the application uses: options over the application's
 * environment.
 */
final class ClickHouseOptions {
  /**
   * The ClickHouse client's logger, kept so that its level holds: the client warns of each failed
   * attempt before the command prints its {@code error:} line with the same cause. Held by a class
   * of its own, so that the JDK's logging starts only for the commands that use ClickHouse.
   */
  private static final class ClientLogger {
    static final Logger LOGGER = Logger.getLogger("com.clickhouse");
  }

  @Option(
      names = "--clickhouse-endpoint",
      description = "ClickHouse HTTP(S) endpoint (default: CLICKHOUSE_ENDPOINT)")
  String endpoint;

  @Option(
      names = "--clickhouse-user",
      description = "user (default: CLICKHOUSE_USERNAME or default)")
  String user;

  @Option(
      names = "--clickhouse-password",
      description =
          "password (default: CLICKHOUSE_PASSWORD; prefer the variable, options show in process lists)")
  String password;

  @Option(names = "--database", description = "database (default: CLICKHOUSE_DATABASE or otel)")
  String database;

  /** Whether an endpoint is given here or in the environment. */
  boolean configured(EnvironmentConfig environment) {
    return endpoint != null || environment.isSet("clickhouse.endpoint");
  }

  /** The exporter settings of the environment, with these options applied over them. */
  ClickHouseExporters.Builder settings(EnvironmentConfig environment) {
    ClientLogger.LOGGER.setLevel(Level.OFF);
    ClickHouseExporters.Builder settings = ClickHouseExporters.builder().configure(environment);
    if (endpoint != null) {
      settings.endpoint(endpoint);
    }
    if (user != null) {
      settings.username(user);
    }
    if (password != null) {
      settings.password(password);
    }
    if (database != null) {
      settings.database(database);
    }
    return settings;
  }

  ClickHouseOperations connect() {
    return ClickHouseOperations.connect(settings(EnvironmentConfig.fromSystem()));
  }
}
