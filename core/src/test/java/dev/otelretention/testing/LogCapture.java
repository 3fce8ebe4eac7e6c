package dev.otelretention.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the messages a JUL logger (and its children) publishes while open. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final Level previousLevel;
  private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
  private final Handler handler;

  private LogCapture(Logger logger, Level level, Predicate<LogRecord> filter) {
    this.logger = logger;
    this.previousLevel = logger.getLevel();
    this.handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= level.intValue() && filter.test(record)) {
              messages.add(
                  record.getMessage()
                      + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    if (previousLevel == null || previousLevel.intValue() > level.intValue()) {
      logger.setLevel(level);
    }
  }

  /** Captures what {@code loggerName} ("" for all) publishes at {@code level} or above. */
  public static LogCapture of(String loggerName, Level level) {
    return new LogCapture(Logger.getLogger(loggerName), level, record -> true);
  }

  /**
   * Captures what {@code loggerName} publishes at {@code level} or above and {@code filter}
   * accepts.
   */
  public static LogCapture of(String loggerName, Level level, Predicate<LogRecord> filter) {
    return new LogCapture(Logger.getLogger(loggerName), level, filter);
  }

  /** The messages so far (with the thrown exception, if any), oldest first. */
  public List<String> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(previousLevel);
  }
}
