package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.common.ProblemLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding for the ClickHouse client where the application has none: on a plain class path
 * without a binding (chosen by {@link Slf4jFallback}) and inside the agent extension (registered
 * there as a service). Warnings and errors go to {@code java.util.logging} under the one rule of
 * the library, at most one line per message pattern per minute with the count in between; info and
 * below are dropped, since a failing destination is already reported by the exporter's own line
 * with its cause.
 */
public final class ProblemLogSlf4jProvider implements SLF4JServiceProvider {
  private final ILoggerFactory loggers = new Loggers();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /**
   * Instantiated by SLF4J, through {@link java.util.ServiceLoader} or the {@code slf4j.provider}
   * property.
   */
  public ProblemLogSlf4jProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /**
   * The client's endpoint selector: each client of the exporter holds one server, so its lines
   * ("Endpoint … quarantined", "All endpoints are non-responsive") only echo the exporter's own
   * line about the server that failed, and say "all" of one.
   */
  static final String NODE_SELECTOR = "com.clickhouse.client.api.transport.ClientNodeSelector";

  private static final class Loggers implements ILoggerFactory {
    private final Map<String, org.slf4j.Logger> byName = new ConcurrentHashMap<>();

    @Override
    public org.slf4j.Logger getLogger(String name) {
      return name.equals(NODE_SELECTOR)
          ? NOPLogger.NOP_LOGGER
          : byName.computeIfAbsent(name, RateLimitedLogger::new);
    }
  }

  private static final class RateLimitedLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    /**
     * Clients put durations, attempts and ids into the message itself: one problem whatever the
     * numbers.
     */
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private final transient ProblemLog problems;

    RateLimitedLogger(String name) {
      this.name = name;
      this.problems = new ProblemLog(Logger.getLogger(name), name);
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return false;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      if (level != Level.WARN && level != Level.ERROR) {
        return;
      }
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      if (throwable != null) {
        message = message + ": " + throwable;
      }
      problems.report(
          level == Level.ERROR ? java.util.logging.Level.SEVERE : java.util.logging.Level.WARNING,
          level + " " + DIGITS.matcher(pattern).replaceAll("#"),
          0,
          message);
    }
  }
}
