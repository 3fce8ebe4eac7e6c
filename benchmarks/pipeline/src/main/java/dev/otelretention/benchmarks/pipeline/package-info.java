/** Harness: the whole export pipeline per span, every sink against the SDK's OTLP exporters. */
package dev.otelretention.benchmarks.pipeline;
