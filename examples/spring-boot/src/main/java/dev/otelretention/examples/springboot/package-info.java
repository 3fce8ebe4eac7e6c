/** A Spring Boot application exporting through the OpenTelemetry starter and otel-retention. */
package dev.otelretention.examples.springboot;
