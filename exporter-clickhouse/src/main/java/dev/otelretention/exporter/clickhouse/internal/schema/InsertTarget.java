package dev.otelretention.exporter.clickhouse.internal.schema;

import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the RowBinary rows of one telemetry table go, given the columns the live table has. Rows
 * are always encoded with every column of {@link TelemetryTable#columns()} (so spooled rows stay
 * readable whatever the table looks like later). When the live table has all of them with the same
 * types, they are inserted directly; when it is an older layout (a column missing, another type),
 * they are inserted through {@code SELECT ... FROM input(...)}, which keeps the columns the table
 * has and converts their types. Columns the table has and the rows do not get their defaults.
 *
 * @param into what follows {@code INSERT INTO}: the qualified table, or for an older layout the
 *     table with its column list and the {@code SELECT} from {@code input}
 * @param columns the column list of a direct insert, empty for an older layout
 * @param missing the row columns the live table does not have, whose values are not stored
 * @param converted the row columns the live table has with another type, as {@code name: ours ->
 *     theirs}
 */
public record InsertTarget(
    String into, List<String> columns, List<String> missing, List<String> converted) {

  public InsertTarget {
    columns = List.copyOf(columns);
    missing = List.copyOf(missing);
    converted = List.copyOf(converted);
  }

  /** A direct insert of every column into {@code qualifiedTable}. */
  public static InsertTarget direct(String qualifiedTable, TelemetryTable table) {
    return direct(qualifiedTable, table, false);
  }

  /** A direct insert of every column of rows in the given attribute layout. */
  public static InsertTarget direct(String qualifiedTable, TelemetryTable table, boolean json) {
    return new InsertTarget(qualifiedTable, table.columnNames(json), List.of(), List.of());
  }

  /**
   * The insert into {@code qualifiedTable} whose live columns (name to type, as {@code
   * system.columns} has them) are {@code live}; a direct insert when {@code live} is empty (the
   * table does not exist, which the insert then reports).
   */
  public static InsertTarget of(
      String qualifiedTable, TelemetryTable table, Map<String, String> live) {
    return of(qualifiedTable, table, live, false);
  }

  /**
   * As {@link #of(String, TelemetryTable, Map)}, for rows whose attributes are in the JSON layout
   * ({@code json}, see {@link TelemetryTable#columns(boolean)}) or the Map layout.
   */
  public static InsertTarget of(
      String qualifiedTable, TelemetryTable table, Map<String, String> live, boolean json) {
    if (live.isEmpty()) {
      return direct(qualifiedTable, table, json);
    }
    List<String> kept = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> converted = new ArrayList<>();
    for (Column column : table.columns(json)) {
      String type = live.get(column.name());
      if (type == null) {
        missing.add(column.name());
        continue;
      }
      kept.add(column.name());
      if (!sameType(type, column.type())) {
        converted.add(column.name() + ": " + column.type() + " -> " + type);
      }
    }
    if (missing.isEmpty() && converted.isEmpty()) {
      return direct(qualifiedTable, table, json);
    }
    String structure =
        table.columns(json).stream()
            .map(c -> Identifiers.quote(c.name()) + " " + c.type())
            .collect(Collectors.joining(", "));
    String selected = kept.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    String into =
        qualifiedTable
            + " ("
            + selected
            + ") SELECT "
            + selected
            + " FROM input("
            + Identifiers.literal(structure)
            + ")";
    return new InsertTarget(into, List.of(), missing, converted);
  }

  /** Why rows with JSON attributes do not go into a table: what follows its name in messages. */
  public static final String JSON_INTO_MAP =
      " keeps its attributes in Map columns, which rows with JSON attributes cannot go into: give"
          + " JSON attributes a new table (tableName, tablePrefix) or turn them off"
          + " (jsonAttributes(false), OTEL_RETENTION_CLICKHOUSE_JSON=false)";

  /** Whether rows with JSON attributes meet Map columns, which the server cannot convert to. */
  public boolean jsonIntoMap() {
    return converted.stream().anyMatch(change -> change.contains("JSON -> Map"));
  }

  /** Whether rows with Map attributes meet JSON columns: they go in with string values. */
  public boolean mapIntoJson() {
    return converted.stream().anyMatch(change -> change.endsWith("-> JSON"));
  }

  /** Whether rows go in through {@code input()} because the live table is an older layout. */
  public boolean adapted() {
    return columns.isEmpty();
  }

  /** Whether two column types as {@code system.columns} writes them are the same type. */
  public static boolean sameType(String a, String b) {
    return a.replaceAll("\\s+", "")
        .toLowerCase(Locale.ROOT)
        .equals(b.replaceAll("\\s+", "").toLowerCase(Locale.ROOT));
  }
}
