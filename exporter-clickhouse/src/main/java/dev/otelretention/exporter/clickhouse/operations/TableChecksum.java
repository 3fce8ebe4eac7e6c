package dev.otelretention.exporter.clickhouse.operations;

/**
 * The row count and an order-independent checksum of a table's rows (the sum of {@code cityHash64}
 * over all columns of each row, as computed by the server), to compare a table before a backup and
 * after a restore.
 *
 * @param table the table name
 * @param rows rows counted
 * @param checksum the checksum, as an unsigned 64-bit decimal
 */
public record TableChecksum(String table, long rows, String checksum) {}
