package dev.otelretention.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations ({@code 250ms}, {@code 2s}, {@code 15m}, {@code 6h}, {@code 7d}) and points in time.
 */
final class TimeArguments {
  private static final Pattern AMOUNT = Pattern.compile("(\\d+)(ns|us|µs|ms|s|m|h|d)");

  private TimeArguments() {}

  /** A duration written as a number and a unit. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value);
    }
  }

  /** An ISO-8601 instant ({@code 2026-11-30T21:00:00Z}), or a duration back from now. */
  static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      if (AMOUNT.matcher(value.toLowerCase(Locale.ROOT)).matches()) {
        return Instant.now().minus(duration(value));
      }
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "'"
                + value
                + "' is neither an instant like 2026-11-30T21:00:00Z nor a duration like 6h");
      }
    }
  }

  static Duration duration(String value) {
    Matcher matcher = AMOUNT.matcher(value.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration like 250ms, 2s, 15m, 6h or 7d");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ns" -> Duration.ofNanos(amount);
      case "us", "µs" -> Duration.ofNanos(amount * 1_000);
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
