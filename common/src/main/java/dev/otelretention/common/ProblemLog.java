package dev.otelretention.common;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one logging rule of every sink: at most one line per problem per minute, and the lines in
 * between are counted, not lost. The first occurrence of a problem is logged at once; later ones
 * within the minute are counted (times and items) and reported with the next line of that problem,
 * or by {@link #close()}.
 *
 * <p>A problem is named by a short key such as {@code dropped io_error} or {@code attempt failed
 * timeout}; the message is free text and must not contain secrets.
 */
public final class ProblemLog {
  /** The shortest time between two lines of the same problem: one minute. */
  public static final Duration INTERVAL = Duration.ofMinutes(1);

  private final Logger logger;
  private final String component;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private final Map<String, Problem> problems = new LinkedHashMap<>();

  private static final class Problem {
    long loggedAt;
    Level level;
    String lastMessage;
    long suppressedTimes;
    long suppressedItems;
  }

  /** A log for {@code component} (e.g. {@code clickhouse/traces}) that writes to {@code logger}. */
  public ProblemLog(Logger logger, String component) {
    this(logger, component, System::nanoTime, INTERVAL);
  }

  ProblemLog(Logger logger, String component, LongSupplier nanoClock, Duration interval) {
    this.logger = Objects.requireNonNull(logger, "logger");
    this.component = Objects.requireNonNull(component, "component");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Reports one occurrence of {@code problem} concerning {@code items} items (0 when none are
   * concerned). Logs {@code message} unless the same problem was logged less than a minute ago.
   */
  public void report(Level level, String problem, long items, String message) {
    Objects.requireNonNull(problem, "problem");
    String line;
    synchronized (problems) {
      long now = nanoClock.getAsLong();
      Problem known = problems.get(problem);
      if (known != null && now - known.loggedAt < intervalNanos) {
        known.suppressedTimes++;
        known.suppressedItems += items;
        known.lastMessage = message;
        known.level = level;
        return;
      }
      if (known == null) {
        known = new Problem();
        problems.put(problem, known);
      }
      line = format(message, known, now);
      known.loggedAt = now;
      known.suppressedTimes = 0;
      known.suppressedItems = 0;
    }
    logger.log(level, line);
  }

  /** Logs the occurrences still counted but not logged, one line per problem. */
  public void close() {
    Map<String, String> lines = new LinkedHashMap<>();
    Map<String, Level> levels = new LinkedHashMap<>();
    synchronized (problems) {
      long now = nanoClock.getAsLong();
      for (Map.Entry<String, Problem> entry : problems.entrySet()) {
        Problem problem = entry.getValue();
        if (problem.suppressedTimes > 0) {
          lines.put(entry.getKey(), format(problem.lastMessage, problem, now) + " [at close]");
          levels.put(entry.getKey(), problem.level);
          problem.suppressedTimes = 0;
          problem.suppressedItems = 0;
          problem.loggedAt = now;
        }
      }
    }
    lines.forEach((key, line) -> logger.log(levels.get(key), line));
  }

  private String format(String message, Problem problem, long now) {
    StringBuilder line =
        new StringBuilder("otel-retention: ").append(component).append(": ").append(message);
    if (problem.suppressedTimes > 0) {
      line.append(" (")
          .append(problem.suppressedTimes)
          .append(problem.suppressedTimes == 1 ? " more time" : " more times");
      if (problem.suppressedItems > 0) {
        line.append(", ").append(problem.suppressedItems).append(" items");
      }
      line.append(" in the last ")
          .append(TimeUnit.NANOSECONDS.toSeconds(now - problem.loggedAt))
          .append(" s)");
    }
    return line.toString();
  }
}
