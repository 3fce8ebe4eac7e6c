/**
 * Datadog exporter: traces through the Datadog Agent, metrics and logs to Datadog's intake APIs. Not
 * implemented yet: this module is a placeholder so that the build layout is final.
 */
package dev.otelretention.exporter.datadog;
