package dev.otelretention.logs;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.log4j.appender.v2_17.OpenTelemetryAppender;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * Log4j 2: an OpenTelemetry appender on the root logger, and the SDK for appenders declared in
 * log4j2.xml.
 */
final class Log4jCapture {
  static final String APPENDER_NAME = "otel-retention";

  private Log4jCapture() {}

  /** Whether Log4j Core is the Log4j API's implementation here. */
  static boolean active() {
    return LogManager.getContext(false) instanceof LoggerContext;
  }

  /**
   * Hands the SDK to every OpenTelemetry appender of the configuration (they buffer until then).
   */
  static void installDeclared(OpenTelemetry openTelemetry) {
    OpenTelemetryAppender.install(openTelemetry);
  }

  /** Adds the appender to the root logger; closing removes it. */
  static AutoCloseable attach(OpenTelemetry openTelemetry) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration configuration = context.getConfiguration();
    LoggerConfig root = configuration.getRootLogger();
    root.removeAppender(APPENDER_NAME);
    OpenTelemetryAppender appender =
        OpenTelemetryAppender.builder()
            .setName(APPENDER_NAME)
            .setCaptureExperimentalAttributes(true)
            .setCaptureContextDataAttributes("*")
            .setCaptureMapMessageAttributes(true)
            .setCaptureMarkerAttribute(true)
            .setOpenTelemetry(openTelemetry)
            .build();
    appender.start();
    configuration.addAppender(appender);
    root.addAppender(appender, null, null);
    context.updateLoggers();
    return () -> {
      root.removeAppender(APPENDER_NAME);
      if (configuration instanceof AbstractConfiguration abstractConfiguration) {
        abstractConfiguration.removeAppender(APPENDER_NAME);
      }
      context.updateLoggers();
      appender.stop();
    };
  }

  /** Whether the root logger has an OpenTelemetry appender already (e.g. from log4j2.xml). */
  static boolean declared() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    return context.getConfiguration().getRootLogger().getAppenders().values().stream()
        .anyMatch(a -> a instanceof OpenTelemetryAppender);
  }
}
