/**
 * ClickHouse exporter with TTL-based retention and a schema compatible with the OpenTelemetry Collector's
 * ClickHouse exporter. Not implemented yet: this module is a placeholder so that the build layout is final.
 */
package dev.otelretention.exporter.clickhouse;
