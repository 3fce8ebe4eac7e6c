/** Benchmarks of the file exporter and the spans they share. */
package dev.otelretention.benchmarks;
