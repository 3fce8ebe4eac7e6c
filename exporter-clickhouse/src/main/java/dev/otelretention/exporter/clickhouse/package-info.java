/**
 * The ClickHouse exporter: {@link dev.otelretention.exporter.clickhouse.ClickHouseExporters} builds
 * immutable {@link dev.otelretention.exporter.clickhouse.ClickHouseSettings} and the sink that
 * writes into the tables of the OpenTelemetry Collector's ClickHouse exporter.
 */
package dev.otelretention.exporter.clickhouse;
