/**
 * The public face: {@code TelemetryRetention}, its builder, health reports and the autoconfigure
 * hook.
 */
package dev.otelretention;
