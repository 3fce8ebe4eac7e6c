package dev.otelretention.logs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Logback: an OpenTelemetry appender on the root logger, and the SDK for appenders declared in
 * logback.xml.
 */
final class LogbackCapture {
  static final String APPENDER_NAME = "otel-retention";

  private LogbackCapture() {}

  /** Whether Logback is the SLF4J backend of this application. */
  static boolean active() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    return factory instanceof LoggerContext;
  }

  /**
   * Hands the SDK to every OpenTelemetry appender of the configuration (they buffer until then).
   */
  static void installDeclared(OpenTelemetry openTelemetry) {
    OpenTelemetryAppender.install(openTelemetry);
  }

  /** Adds the appender to the root logger; closing removes it. */
  static AutoCloseable attach(OpenTelemetry openTelemetry) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> existing = root.getAppender(APPENDER_NAME);
    if (existing != null) {
      root.detachAppender(existing);
      existing.stop();
    }
    OpenTelemetryAppender appender = new OpenTelemetryAppender();
    appender.setName(APPENDER_NAME);
    appender.setContext(context);
    appender.setCaptureExperimentalAttributes(true);
    appender.setCaptureMdcAttributes("*");
    appender.setCaptureKeyValuePairAttributes(true);
    appender.setCaptureMarkerAttribute(true);
    appender.setOpenTelemetry(openTelemetry);
    appender.start();
    root.addAppender(appender);
    return () -> {
      root.detachAppender(appender);
      appender.stop();
    };
  }

  /** Whether any OpenTelemetry appender is declared on the root logger (e.g. in logback.xml). */
  static boolean declared() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Iterator<Appender<ILoggingEvent>> appenders =
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
    while (appenders.hasNext()) {
      if (appenders.next() instanceof OpenTelemetryAppender) {
        return true;
      }
    }
    return false;
  }
}
