/** Internals of the Java agent extension; not API. */
package dev.otelretention.agent.internal;
