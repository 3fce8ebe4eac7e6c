/**
 * Rotating OTLP/JSON files: exporters, the file sink, the reader and decoder, the file retention
 * report.
 */
package dev.otelretention.exporter.file;
