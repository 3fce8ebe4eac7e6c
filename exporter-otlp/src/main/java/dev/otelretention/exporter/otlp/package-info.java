/**
 * The OTLP sink: the OpenTelemetry SDK's OTLP exporters (HTTP/protobuf and gRPC) behind the core
 * export stage, so that an outage of the Collector or backend, or a crash of the application, loses
 * nothing that the spool keeps. Built with {@link dev.otelretention.exporter.otlp.OtlpExporters}.
 */
package dev.otelretention.exporter.otlp;
