/**
 * Not API: the gated batch processors, queue gates, self-monitoring, capacity monitor and sink
 * selection of core.
 */
package dev.otelretention.internal;
