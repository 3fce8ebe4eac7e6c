package dev.otelretention.exporter.clickhouse;

import dev.otelretention.sink.ConfigException;
import java.util.regex.Pattern;

/** Validation and quoting of ClickHouse identifiers (database, table and cluster names). */
final class Identifiers {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,205}");

  private Identifiers() {}

  /** Returns {@code name} if it is a plain identifier; throws {@link ConfigException} naming {@code what} otherwise. */
  static String validate(String what, String name) {
    if (name == null || !SAFE.matcher(name).matches()) {
      throw new ConfigException(
          what + " must start with a letter or underscore and contain only letters, digits and underscores"
              + " (at most 206 characters), got '" + name + "'");
    }
    return name;
  }

  /** {@code `name`}, escaping backquotes and backslashes. */
  static String quote(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  /** {@code `database`.`table`}. */
  static String qualified(String database, String table) {
    return quote(database) + "." + quote(table);
  }

  /** A single-quoted SQL string literal. */
  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
