/**
 * Building blocks shared by the modules of otel-retention: the exclusive lock of a directory, files
 * only their owner can read, rate-limited problem logs, reusable encoding buffers, key ordering and
 * well-formed text for encoders, the forward proxy of a destination. Not for applications: these
 * types carry no compatibility promise and may change in any release.
 */
package dev.otelretention.common;
