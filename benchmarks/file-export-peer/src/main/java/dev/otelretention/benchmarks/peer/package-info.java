/** The peer file exporter benchmark, on the SDK version of its own. */
package dev.otelretention.benchmarks.peer;
