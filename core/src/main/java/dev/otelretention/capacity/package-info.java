/** Capacity thresholds and the statuses checked against them. */
package dev.otelretention.capacity;
