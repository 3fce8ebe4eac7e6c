/**
 * Internal, not API: the client connection, the inserts of each signal, schema migration, table
 * inspection and the SLF4J binding of the ClickHouse exporter.
 */
package dev.otelretention.exporter.clickhouse.internal;
