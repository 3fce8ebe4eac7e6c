package dev.otelretention.exporter.clickhouse.internal.schema;

import dev.otelretention.config.EnvironmentConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a live table keeps its rows, read from its TTL expression as the server renders it
 * ({@code toDateTime(Timestamp) + toIntervalDay(30)}, {@code TimestampTime + INTERVAL 30 DAY},
 * {@code ts + 86400}), and whether a configured retention would keep less. Only the clauses that
 * delete count: a {@code TO VOLUME}, {@code TO DISK}, {@code RECOMPRESS} or {@code GROUP BY} clause
 * moves or rewrites rows and keeps them.
 */
public final class TtlRetention {
  private static final Pattern KEEPING_CLAUSE =
      Pattern.compile(
          "\\b(TO\\s+(VOLUME|DISK)|RECOMPRESS|GROUP\\s+BY)\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern CONDITION = Pattern.compile("\\bWHERE\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern FUNCTION_INTERVAL =
      Pattern.compile(
          "toInterval(Second|Minute|Hour|Day|Week|Month|Quarter|Year)\\(\\s*(\\d+)\\s*\\)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern KEYWORD_INTERVAL =
      Pattern.compile(
          "INTERVAL\\s+'?(\\d+)'?\\s+(SECOND|MINUTE|HOUR|DAY|WEEK|MONTH|QUARTER|YEAR)S?\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SECONDS = Pattern.compile("\\+\\s*(\\d+)\\s*(DELETE)?\\s*$");

  private TtlRetention() {}

  /**
   * How long rows are kept under {@code expression}: {@link Duration#ZERO} when no clause deletes
   * (no TTL: kept forever), {@code null} when a deleting clause cannot be read (a condition, a
   * computed interval); the shortest deleting clause wins. Months count 30 days, years 365.
   */
  public static Duration of(String expression) {
    Duration shortest = null;
    for (String clause : clauses(expression)) {
      if (clause.isBlank() || KEEPING_CLAUSE.matcher(clause).find()) {
        continue;
      }
      if (CONDITION.matcher(clause).find()) {
        return null;
      }
      Duration kept = interval(clause);
      if (kept == null) {
        return null;
      }
      shortest = shortest == null || kept.compareTo(shortest) < 0 ? kept : shortest;
    }
    return shortest == null ? Duration.ZERO : shortest;
  }

  /**
   * Returns {@code ttl} if a table may keep rows for it: zero (forever) or at least a second, as
   * ClickHouse counts TTLs in whole seconds.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static Duration check(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException(
          "a TTL must not be negative, got " + EnvironmentConfig.format(ttl));
    }
    if (!ttl.isZero() && ttl.toSeconds() == 0) {
      throw new IllegalArgumentException(
          "a TTL must be at least 1s, or 0 to keep rows forever, got "
              + EnvironmentConfig.format(ttl));
    }
    return ttl;
  }

  /**
   * Whether {@code wanted} (zero: forever) keeps rows for less time than a live table that keeps
   * them {@code live} (zero: forever; {@code null}: unknown, so any limit may be shorter).
   */
  public static boolean shortens(Duration wanted, Duration live) {
    if (wanted.isZero()) {
      return false;
    }
    return live == null || live.isZero() || wanted.compareTo(live) < 0;
  }

  /** {@code retention} as people say it, {@code unknown} for {@code null}. */
  public static String describe(Duration retention) {
    return retention == null ? "an unknown time" : Schema.describeRetention(retention);
  }

  /** The clauses of {@code expression} that move or rewrite rows and keep them, in order. */
  public static List<String> keepingClauses(String expression) {
    List<String> kept = new ArrayList<>();
    for (String clause : clauses(expression)) {
      if (!clause.isBlank() && KEEPING_CLAUSE.matcher(clause).find()) {
        kept.add(clause.trim());
      }
    }
    return kept;
  }

  /** The comma-separated clauses of a TTL, commas inside parentheses or quotes left alone. */
  static List<String> clauses(String expression) {
    List<String> clauses = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < expression.length(); i++) {
      char c = expression.charAt(i);
      if (c == '\'' && (i == 0 || expression.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        clauses.add(expression.substring(start, i).trim());
        start = i + 1;
      }
    }
    clauses.add(expression.substring(start).trim());
    return clauses;
  }

  private static Duration interval(String clause) {
    Duration total = Duration.ZERO;
    boolean found = false;
    Matcher function = FUNCTION_INTERVAL.matcher(clause);
    while (function.find()) {
      total = total.plus(unit(function.group(1), Long.parseLong(function.group(2))));
      found = true;
    }
    Matcher keyword = KEYWORD_INTERVAL.matcher(clause);
    while (keyword.find()) {
      total = total.plus(unit(keyword.group(2), Long.parseLong(keyword.group(1))));
      found = true;
    }
    if (!found) {
      Matcher seconds = SECONDS.matcher(clause.trim());
      if (!seconds.find()) {
        return null;
      }
      return Duration.ofSeconds(Long.parseLong(seconds.group(1)));
    }
    return total;
  }

  private static Duration unit(String unit, long amount) {
    return switch (unit.toUpperCase(Locale.ROOT)) {
      case "SECOND" -> Duration.ofSeconds(amount);
      case "MINUTE" -> Duration.ofMinutes(amount);
      case "HOUR" -> Duration.ofHours(amount);
      case "DAY" -> Duration.ofDays(amount);
      case "WEEK" -> Duration.ofDays(7 * amount);
      case "MONTH" -> Duration.ofDays(30 * amount);
      case "QUARTER" -> Duration.ofDays(91 * amount);
      default -> Duration.ofDays(365 * amount);
    };
  }

  /**
   * Whether a live TTL expression says the same as a configured one. The logs tables of Collector
   * releases before v0.151.0 keep {@code TimestampTime DEFAULT toDateTime(Timestamp)} and compute
   * their TTL from it; that is the same instant as {@code toDateTime(Timestamp)}.
   */
  public static boolean sameTtl(String live, String configured) {
    return canonicalTtl(live).equals(canonicalTtl(configured));
  }

  private static String canonicalTtl(String expression) {
    return expression
        .replaceAll("\\s+", "")
        .toLowerCase(java.util.Locale.ROOT)
        .replaceAll("(?<![a-z0-9_(])timestamptime(?![a-z0-9_])", "todatetime(timestamp)");
  }
}
