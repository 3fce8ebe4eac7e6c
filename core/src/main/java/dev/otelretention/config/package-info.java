/**
 * Settings from system properties and environment variables, profiles, pipeline defaults and
 * configuration errors.
 */
package dev.otelretention.config;
