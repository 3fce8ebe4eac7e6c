package dev.otelretention.logs;

import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes the application's own log events — Logback or Log4j 2, through OpenTelemetry's maintained
 * appenders — into a {@code TelemetryRetention}'s logger provider, with the active trace and span
 * ids, logger name, thread, severity, exception and MDC / ThreadContext entries. {@code
 * TelemetryRetentionBuilder.captureApplicationLogs()} uses it; both frameworks are optional
 * dependencies, looked for at run time.
 */
public final class ApplicationLogs {
  private static final Logger logger = Logger.getLogger(ApplicationLogs.class.getName());

  /** The logging frameworks that can be captured. */
  public enum Framework {
    /** Logback (through SLF4J), with {@code opentelemetry-logback-appender-1.0}. */
    LOGBACK(
        "ch.qos.logback.classic.LoggerContext",
        "io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender"),
    /** Log4j 2 (Log4j Core), with {@code opentelemetry-log4j-appender-2.17}. */
    LOG4J(
        "org.apache.logging.log4j.core.LoggerContext",
        "io.opentelemetry.instrumentation.log4j.appender.v2_17.OpenTelemetryAppender");

    private final String frameworkClass;
    private final String appenderClass;

    Framework(String frameworkClass, String appenderClass) {
      this.frameworkClass = frameworkClass;
      this.appenderClass = appenderClass;
    }

    /**
     * Whether the framework and its OpenTelemetry appender are on the class path and the framework
     * is in use.
     */
    public boolean available() {
      if (!present(frameworkClass) || !present(appenderClass)) {
        return false;
      }
      try {
        return this == LOGBACK ? LogbackCapture.active() : Log4jCapture.active();
      } catch (LinkageError e) {
        return false;
      }
    }

    private static boolean present(String className) {
      try {
        Class.forName(className, false, ApplicationLogs.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
  }

  private ApplicationLogs() {}

  /**
   * Hands {@code openTelemetry} to the OpenTelemetry appenders the application declared itself (in
   * {@code logback.xml} or {@code log4j2.xml}) of every framework that is present. Cheap; does
   * nothing without them.
   */
  public static void installDeclared(OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    for (Framework framework : Framework.values()) {
      if (framework.available()) {
        if (framework == Framework.LOGBACK) {
          LogbackCapture.installDeclared(openTelemetry);
        } else {
          Log4jCapture.installDeclared(openTelemetry);
        }
      }
    }
  }

  /**
   * Adds an OpenTelemetry appender to the root logger of each of {@code frameworks} (every
   * available one when empty), unless the configuration declares one already. Close the result to
   * remove them again.
   *
   * @throws IllegalStateException if a framework that was asked for by name is not available
   */
  public static AutoCloseable capture(OpenTelemetry openTelemetry, List<Framework> frameworks) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    List<Framework> wanted = new ArrayList<>(frameworks);
    boolean auto = wanted.isEmpty();
    if (auto) {
      for (Framework framework : Framework.values()) {
        if (framework.available()) {
          wanted.add(framework);
        }
      }
    }
    List<AutoCloseable> attached = new ArrayList<>();
    for (Framework framework : wanted) {
      if (!framework.available()) {
        throw new IllegalStateException(
            "cannot capture "
                + framework.name().toLowerCase(Locale.ROOT)
                + " logs: the framework or its OpenTelemetry appender ("
                + framework.appenderClass
                + ") is not on the class path, or another logging backend is in use");
      }
      boolean declared =
          framework == Framework.LOGBACK ? LogbackCapture.declared() : Log4jCapture.declared();
      if (declared) {
        logger.fine(
            "otel-retention: " + framework + " already has an OpenTelemetry appender; using it");
        continue;
      }
      attached.add(
          framework == Framework.LOGBACK
              ? LogbackCapture.attach(openTelemetry)
              : Log4jCapture.attach(openTelemetry));
    }
    if (auto && wanted.isEmpty()) {
      logger.info(
          "otel-retention: no Logback or Log4j 2 with its OpenTelemetry appender found; application logs"
              + " are not captured");
    }
    return () -> {
      for (AutoCloseable handle : attached) {
        try {
          handle.close();
        } catch (Exception e) {
          logger.log(Level.FINE, "otel-retention: removing a log appender failed", e);
        }
      }
    };
  }
}
