package dev.otelretention.exporter.clickhouse;

import dev.otelretention.exporter.clickhouse.TelemetryTable.Column;
import java.time.Duration;
import java.util.List;

/**
 * A table whose columns and TTL the schema manager keeps in line with the configuration, and which the retention
 * report covers: a telemetry table or a metric rollup.
 *
 * @param name the table name queries use
 * @param storageName the table that stores the rows ({@code <name>_local} on a cluster)
 * @param columns the columns it must have
 * @param timeColumn the column its TTL and time range are computed from
 * @param ttl how long rows are kept, zero for ever
 * @param ttlExpression the TTL expression the configuration asks for, empty for none
 */
record ManagedTable(String name, String storageName, List<Column> columns, String timeColumn, Duration ttl,
    String ttlExpression) {}
