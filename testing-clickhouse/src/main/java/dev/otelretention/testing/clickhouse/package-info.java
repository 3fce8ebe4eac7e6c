/** A real ClickHouse for tests, without a server: the embedded engine behind its HTTP interface. */
package dev.otelretention.testing.clickhouse;
