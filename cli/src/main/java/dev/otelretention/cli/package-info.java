/**
 * The {@code otel-retention} command line: one class per subcommand over the operations and replay
 * APIs.
 */
package dev.otelretention.cli;
