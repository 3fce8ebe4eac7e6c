/**
 * Internal, not API: spans, metric points and log records as RowBinary rows of the Collector's
 * tables.
 */
package dev.otelretention.exporter.clickhouse.internal.rowbinary;
