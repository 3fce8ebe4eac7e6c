package dev.otelretention.exporter.clickhouse.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How to reach and log in to the servers. The password is never part of {@link #toString()}.
 *
 * @param servers the servers, tried in this order: one, or the replicas of a cluster
 * @param username the user name
 * @param password the password, empty for none
 * @param compression the codec of insert bodies ({@code lz4}, {@code zstd}, {@code gzip}) or {@code
 *     none}; queries and answers use LZ4 unless {@code none}
 * @param trustedCertificate PEM file of a CA to trust, or {@code null}
 * @param clientCertificate PEM file of a client certificate, or {@code null}
 * @param clientKey PEM file of the client certificate's key, or {@code null}
 * @param serverSettings server settings sent with every request
 */
public record ConnectionSettings(
    List<ServerAddress> servers,
    String username,
    String password,
    String compression,
    Path trustedCertificate,
    Path clientCertificate,
    Path clientKey,
    Map<String, String> serverSettings) {

  public ConnectionSettings {
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no server");
    }
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(compression, "compression");
    serverSettings = Map.copyOf(serverSettings);
  }

  /** The servers for messages, separated by commas. */
  public String displayEndpoint() {
    return servers.stream().map(ServerAddress::displayEndpoint).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    String proxies =
        servers.stream()
            .filter(server -> !server.proxy().isDirect())
            .map(server -> server.proxy().toString())
            .distinct()
            .collect(Collectors.joining(", "));
    return "ConnectionSettings{endpoint="
        + displayEndpoint()
        + ", username="
        + username
        + ", password="
        + (password.isEmpty() ? "(none)" : "(set)")
        + ", compression="
        + compression
        + (proxies.isEmpty() ? "" : ", through " + proxies)
        + (serverSettings.isEmpty() ? "" : ", server settings " + serverSettings.keySet())
        + "}";
  }
}
