package dev.otelretention.common;

import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The forward proxy a network sink goes through to reach one destination, chosen the way Java and
 * the command-line tools choose it: Java's standard properties first ({@code https.proxyHost} and
 * {@code https.proxyPort} for {@code https} destinations, {@code http.proxyHost} and {@code
 * http.proxyPort} for {@code http} ones, {@code http.nonProxyHosts} for both, with Java's default
 * exceptions for the local host), then the environment's {@code HTTPS_PROXY}, {@code HTTP_PROXY}
 * and {@code NO_PROXY} (also in lower case). Credentials come only from the variable's URL ({@code
 * http://user:password@proxy:3128}) and are never shown: {@link #toString()} says only that there
 * are some.
 */
public final class ForwardProxy {
  /** Java's {@code http.nonProxyHosts} when the property is not set. */
  static final String JAVA_DEFAULT_NON_PROXY_HOSTS = "localhost|127.*|[::1]|0.0.0.0|[::0]";

  private static final ForwardProxy DIRECT = new ForwardProxy(null, null, null, "direct");

  private final InetSocketAddress address;
  private final String user;
  private final String password;
  private final String source;

  private ForwardProxy(InetSocketAddress address, String user, String password, String source) {
    this.address = address;
    this.user = user;
    this.password = password;
    this.source = source;
  }

  /** No proxy: the destination is reached directly. */
  public static ForwardProxy direct() {
    return DIRECT;
  }

  /**
   * The proxy for {@code destination}.
   *
   * @param properties Java's system properties ({@code System::getProperty})
   * @param environment environment variables by name ({@code System::getenv}); both spellings are
   *     asked for, upper case first
   * @throws IllegalArgumentException when a setting cannot be used, naming it as it was set
   */
  public static ForwardProxy forDestination(
      URI destination, Function<String, String> properties, Function<String, String> environment) {
    Objects.requireNonNull(destination, "destination");
    String scheme =
        destination.getScheme() == null ? "" : destination.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return DIRECT;
    }
    String host = unbracketed(destination.getHost());
    int port =
        destination.getPort() > 0 ? destination.getPort() : (scheme.equals("https") ? 443 : 80);
    ForwardProxy fromJava = fromJavaProperties(scheme, host, properties);
    if (fromJava != null) {
      return fromJava;
    }
    return fromEnvironment(scheme, host, port, environment);
  }

  private static ForwardProxy fromJavaProperties(
      String scheme, String host, Function<String, String> properties) {
    String hostProperty = scheme + ".proxyHost";
    String proxyHost = blankToNull(properties.apply(hostProperty));
    if (proxyHost == null) {
      return null;
    }
    String portProperty = scheme + ".proxyPort";
    String portText = blankToNull(properties.apply(portProperty));
    int proxyPort = scheme.equals("https") ? 443 : 80;
    if (portText != null) {
      proxyPort = port(portProperty, portText);
    }
    String nonProxyHosts = properties.apply("http.nonProxyHosts");
    if (matchesJavaPattern(
        host, nonProxyHosts == null ? JAVA_DEFAULT_NON_PROXY_HOSTS : nonProxyHosts)) {
      return DIRECT;
    }
    return new ForwardProxy(
        InetSocketAddress.createUnresolved(proxyHost, proxyPort),
        null,
        null,
        hostProperty + "=" + proxyHost + ":" + proxyPort);
  }

  private static ForwardProxy fromEnvironment(
      String scheme, String host, int port, Function<String, String> environment) {
    String name = scheme.equals("https") ? "HTTPS_PROXY" : "HTTP_PROXY";
    String value = blankToNull(environment.apply(name));
    if (value == null) {
      name = name.toLowerCase(Locale.ROOT);
      value = blankToNull(environment.apply(name));
    }
    if (value == null) {
      return DIRECT;
    }
    String noProxyName = "NO_PROXY";
    String noProxy = blankToNull(environment.apply(noProxyName));
    if (noProxy == null) {
      noProxyName = "no_proxy";
      noProxy = blankToNull(environment.apply(noProxyName));
    }
    if (noProxy != null && matchesNoProxy(host, port, noProxy, noProxyName)) {
      return DIRECT;
    }
    return parseProxyUrl(name, value);
  }

  private static ForwardProxy parseProxyUrl(String name, String value) {
    String text = value.contains("://") ? value : "http://" + value;
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          name + " is not a proxy URL such as http://proxy.example.com:3128: " + shown(value));
    }
    String proxyScheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!proxyScheme.equals("http")) {
      throw new IllegalArgumentException(
          name
              + " asks for a "
              + proxyScheme
              + " proxy ("
              + shown(value)
              + "); only HTTP proxies (http://host:port, which tunnel HTTPS with CONNECT) are"
              + " supported");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          name + " has no proxy host: " + shown(value) + "; expected http://host:port");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
    }
    int proxyPort = uri.getPort() > 0 ? uri.getPort() : 80;
    return new ForwardProxy(
        InetSocketAddress.createUnresolved(unbracketed(uri.getHost()), proxyPort),
        user,
        password,
        name + "=http://" + (user == null ? "" : "***@") + uri.getHost() + ":" + proxyPort);
  }

  /** The value with any credentials in it replaced, for error messages. */
  private static String shown(String value) {
    return value.replaceAll("//[^/@]*@", "//***@").replaceAll("^[^/@]*@", "***@");
  }

  private static int port(String name, String text) {
    try {
      int port = Integer.parseInt(text.trim());
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be a port number (1 to 65535), not '" + text + "'");
  }

  /** Java's {@code http.nonProxyHosts}: '|'-separated host names with '*' at the start or end. */
  static boolean matchesJavaPattern(String host, String patterns) {
    String lower = host.toLowerCase(Locale.ROOT);
    for (String pattern : patterns.split("\\|")) {
      String p = unbracketed(pattern.trim().toLowerCase(Locale.ROOT));
      if (p.isEmpty()) {
        continue;
      }
      String regex = Pattern.quote(p).replace("*", "\\E.*\\Q");
      if (lower.matches(regex)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code NO_PROXY} as curl and Go read it: comma-separated entries, each {@code *} (every host),
   * a domain that also covers its subdomains (with or without a leading dot), an IP address or an
   * IPv4 range in CIDR notation, any of them with {@code :port} to apply to that port only.
   */
  static boolean matchesNoProxy(String host, int port, String noProxy, String name) {
    String lower = IDN.toASCII(host).toLowerCase(Locale.ROOT);
    for (String raw : noProxy.split(",")) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        return true;
      }
      int entryPort = -1;
      int colon = entry.lastIndexOf(':');
      boolean bracketed = entry.startsWith("[");
      if (colon > 0 && (bracketed ? entry.indexOf(']') < colon : entry.indexOf(':') == colon)) {
        entryPort = port(name + " (the port of '" + entry + "')", entry.substring(colon + 1));
        entry = entry.substring(0, colon);
      }
      entry = unbracketed(entry);
      if (entryPort > 0 && entryPort != port) {
        continue;
      }
      if (entry.contains("/")) {
        if (inRange(lower, entry, name)) {
          return true;
        }
        continue;
      }
      String domain = entry.startsWith(".") ? entry.substring(1) : entry;
      domain = domain.startsWith("*.") ? domain.substring(2) : domain;
      if (lower.equals(domain) || lower.endsWith("." + domain)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inRange(String host, String cidr, String name) {
    String[] parts = cidr.split("/", 2);
    byte[] network;
    int bits;
    try {
      network = literal(parts[0]);
      bits = Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          name + " has an entry '" + cidr + "' that is not an address range such as 10.0.0.0/8");
    }
    if (network == null || bits < 0 || bits > network.length * 8) {
      throw new IllegalArgumentException(
          name + " has an entry '" + cidr + "' that is not an address range such as 10.0.0.0/8");
    }
    byte[] address = literal(host);
    if (address == null || address.length != network.length) {
      return false;
    }
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >> (i % 8);
      if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of an IP literal, or {@code null} for a host name (never looked up). */
  private static byte[] literal(String text) {
    boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
    if (!ipv4 && !ipv6) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String unbracketed(String host) {
    if (host == null) {
      return "";
    }
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Whether the destination is reached directly. */
  public boolean isDirect() {
    return address == null;
  }

  /** The proxy as {@link Proxy}: {@link Proxy#NO_PROXY} when direct. */
  public Proxy proxy() {
    return address == null ? Proxy.NO_PROXY : new Proxy(Proxy.Type.HTTP, address);
  }

  /** The proxy's host, or {@code null} when direct. */
  public String host() {
    return address == null ? null : address.getHostString();
  }

  /** The proxy's port, or 0 when direct. */
  public int port() {
    return address == null ? 0 : address.getPort();
  }

  /** Whether the proxy asks for credentials (they came with the proxy's URL). */
  public boolean hasCredentials() {
    return user != null;
  }

  /** The proxy's user name, or {@code null}; never log it. */
  public String user() {
    return user;
  }

  /** The proxy's password, or {@code null}; never log it. */
  public String password() {
    return password;
  }

  /**
   * The {@code Proxy-Authorization} value for the credentials (HTTP Basic), or {@code null} without
   * any; never log it.
   */
  public String authorization() {
    if (user == null) {
      return null;
    }
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Where the proxy came from and where it is, without credentials. */
  @Override
  public String toString() {
    return address == null
        ? "direct"
        : "proxy " + source + (user == null ? "" : " (with credentials)");
  }
}
