package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.common.ForwardProxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach and log in to the server. The password is never part of {@link #toString()}.
 *
 * @param endpoint the endpoint URL without credentials
 * @param displayEndpoint the endpoint for messages: no credentials, secret parameters masked
 * @param username the user name
 * @param password the password, empty for none
 * @param compression whether requests and responses are LZ4-compressed
 * @param trustedCertificate PEM file of a CA to trust, or {@code null}
 * @param clientCertificate PEM file of a client certificate, or {@code null}
 * @param clientKey PEM file of the client certificate's key, or {@code null}
 * @param proxy the forward proxy, or a direct connection
 * @param serverSettings server settings sent with every request
 */
public record ConnectionSettings(
    String endpoint,
    String displayEndpoint,
    String username,
    String password,
    boolean compression,
    Path trustedCertificate,
    Path clientCertificate,
    Path clientKey,
    ForwardProxy proxy,
    Map<String, String> serverSettings) {
  public ConnectionSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(displayEndpoint, "displayEndpoint");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(proxy, "proxy");
    serverSettings = Map.copyOf(serverSettings);
  }

  @Override
  public String toString() {
    return "ConnectionSettings{endpoint="
        + displayEndpoint
        + ", username="
        + username
        + ", password="
        + (password.isEmpty() ? "(none)" : "(set)")
        + ", compression="
        + compression
        + (proxy.isDirect() ? "" : ", through " + proxy)
        + (serverSettings.isEmpty() ? "" : ", server settings " + serverSettings.keySet())
        + "}";
  }
}
