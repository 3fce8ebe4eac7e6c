/**
 * Loading archives of rotating OTLP/JSON files into the ClickHouse tables, once each, resumable.
 */
package dev.otelretention.replay;
