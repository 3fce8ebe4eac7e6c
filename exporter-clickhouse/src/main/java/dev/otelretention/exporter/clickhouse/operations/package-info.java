/**
 * What operators run against the ClickHouse tables: reports, capacity, partitions, backups,
 * archives, moves, drops.
 */
package dev.otelretention.exporter.clickhouse.operations;
