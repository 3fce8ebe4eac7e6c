/** The Datadog exporter: traces to the Agent, metrics and logs to the intake. */
package dev.otelretention.exporter.datadog;
