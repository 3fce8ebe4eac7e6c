/** Internals of the ClickHouse exporter; not API, may change in any release. */
package dev.otelretention.exporter.clickhouse.internal;
