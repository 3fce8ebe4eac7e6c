/** The demos: files, ClickHouse and Datadog (against a fake intake), with a simulated shop. */
package dev.otelretention.examples;
