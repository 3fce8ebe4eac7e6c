/** Capture of application logs (Logback, Log4j) into the pipeline. */
package dev.otelretention.logs;
