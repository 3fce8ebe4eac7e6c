/** Internal, not API: the ClickHouse tables, their columns, TTLs, rollups and DDL. */
package dev.otelretention.exporter.clickhouse.internal.schema;
