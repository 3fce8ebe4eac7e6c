package dev.otelretention.exporter.clickhouse.internal.schema;

import dev.otelretention.config.ConfigException;
import java.util.regex.Pattern;

/** Validation and quoting of ClickHouse identifiers (database, table and cluster names). */
public final class Identifiers {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,205}");

  private Identifiers() {}

  /**
   * Returns {@code name} if it is a plain identifier; throws {@link ConfigException} naming {@code
   * what} otherwise.
   */
  public static String validate(String what, String name) {
    if (name == null || !SAFE.matcher(name).matches()) {
      throw new ConfigException(
          what
              + " must start with a letter or underscore and contain only letters, digits and underscores"
              + " (at most 206 characters), got '"
              + name
              + "'");
    }
    return name;
  }

  /**
   * Returns {@code engine} if it is a MergeTree-family engine name with optional parameters, e.g.
   * {@code ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')}:
   * parameters are identifiers, numbers, closed string literals and nested parentheses, and nothing
   * follows the closing parenthesis. Throws {@link ConfigException} otherwise (the tables need
   * PARTITION BY, ORDER BY and TTL).
   */
  public static String tableEngine(String engine) {
    String problem = tableEngineProblem(engine);
    if (problem != null) {
      throw new ConfigException(
          "tableEngine must be a MergeTree-family engine with optional parameters ("
              + problem
              + "), got '"
              + engine
              + "'");
    }
    return engine;
  }

  private static String tableEngineProblem(String engine) {
    int nameEnd = 0;
    while (nameEnd < engine.length()
        && (Character.isLetterOrDigit(engine.charAt(nameEnd)) || engine.charAt(nameEnd) == '_')
        && engine.charAt(nameEnd) < 128) {
      nameEnd++;
    }
    String name = engine.substring(0, nameEnd);
    if (name.isEmpty() || !Character.isLetter(name.charAt(0)) || !name.endsWith("MergeTree")) {
      return "the name must end with MergeTree";
    }
    if (nameEnd == engine.length()) {
      return null;
    }
    if (engine.charAt(nameEnd) != '(') {
      return "unexpected '" + engine.charAt(nameEnd) + "' after the name";
    }
    int depth = 0;
    for (int i = nameEnd; i < engine.length(); i++) {
      char c = engine.charAt(i);
      if (c == '\'') {
        int close = closingQuote(engine, i);
        if (close < 0) {
          return "a string literal is not closed";
        }
        i = close;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0 && i != engine.length() - 1) {
          return "text after the closing parenthesis";
        }
      } else if (engine.startsWith("--", i) || engine.startsWith("/*", i)) {
        return "a comment";
      } else if (!(Character.isLetterOrDigit(c) && c < 128) && " _,.-{}/".indexOf(c) < 0) {
        return "'" + c + "' outside a string literal";
      }
    }
    return depth == 0 ? null : "the parentheses are not balanced";
  }

  /** The index of the quote closing the literal opened at {@code open}, or -1. */
  private static int closingQuote(String text, int open) {
    for (int i = open + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '\'') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /** {@code `name`}, escaping backquotes and backslashes. */
  public static String quote(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  /** {@code `database`.`table`}. */
  public static String qualified(String database, String table) {
    return quote(database) + "." + quote(table);
  }

  /** A single-quoted SQL string literal. */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
