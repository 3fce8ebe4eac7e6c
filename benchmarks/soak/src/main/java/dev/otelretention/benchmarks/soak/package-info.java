/** The soak harness: half an hour of steady export through an outage and a restart. */
package dev.otelretention.benchmarks.soak;
