/** The ClickHouse exporter benchmark against the raw insert ceiling of the same engine. */
package dev.otelretention.benchmarks.clickhouse;
