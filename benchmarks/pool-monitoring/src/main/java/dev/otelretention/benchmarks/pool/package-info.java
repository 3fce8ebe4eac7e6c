/** The pool monitoring benchmark against OpenTelemetry's HikariCP instrumentation. */
package dev.otelretention.benchmarks.pool;
