/**
 * A fake Datadog Agent and intake for tests: decodes every payload and checks it against the
 * documented schema.
 */
package dev.otelretention.testing.datadog;
