/** Service providers and helpers of this exporter; not API: they may change in any release. */
package dev.otelretention.exporter.otlp.internal;
