/**
 * The shared export pipeline: signals, export stages with retries and memory bounds, the durable
 * spool, statistics.
 */
package dev.otelretention.export;
