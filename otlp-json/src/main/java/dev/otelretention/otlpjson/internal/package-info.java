/**
 * Not API: the OTLP/JSON codec, one class per signal for both directions, over shared envelope and
 * attribute code.
 */
package dev.otelretention.otlpjson.internal;
