package dev.otelretention.sink;

import dev.otelretention.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A validated network endpoint: scheme, host and port checked, credentials taken out of the URL.
 * Its {@link #toString()} and every error message built here show the URL without credentials and
 * with secret-looking query parameters masked, so an endpoint can be logged and described safely.
 */
public final class Endpoint {
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/@\\s?#]*@");
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)([?&;](?:[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|signature|credential|api[_-]?key|access[_-]?key"
              + "|sig)[a-z0-9_.-]*)=)[^&;#\\s]*");

  private final URI uri;
  private final String user;
  private final String password;

  private Endpoint(URI uri, String user, String password) {
    this.uri = uri;
    this.user = user;
    this.password = password;
  }

  /**
   * Parses {@code url} as the setting {@code what}, e.g. {@code ClickHouse endpoint}.
   *
   * @param schemes the schemes allowed, lower case, e.g. {@code http} and {@code https}
   * @throws ConfigException if it is not a URL of one of those schemes with a host and a port from
   *     1 to 65535 (or none); the message never contains the credentials
   */
  public static Endpoint parse(String what, String url, Set<String> schemes) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(url, what);
    Objects.requireNonNull(schemes, "schemes");
    String trimmed = url.trim();
    URI parsed;
    try {
      parsed = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new ConfigException(what + " is not a URL: '" + redact(trimmed) + "'");
    }
    String scheme = parsed.getScheme() == null ? null : parsed.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !schemes.contains(scheme) || parsed.getHost() == null) {
      throw new ConfigException(
          what
              + " must be a "
              + String.join(" or ", schemes.stream().sorted().map(s -> s + "://").toList())
              + " URL with a host, got '"
              + redact(trimmed)
              + "'");
    }
    if (parsed.getPort() == 0
        || parsed.getPort() > 65535
        || (parsed.getPort() < 0 && hasPortText(parsed))) {
      throw new ConfigException(what + " has a port outside 1 to 65535: '" + redact(trimmed) + "'");
    }
    String user = null;
    String password = null;
    String rawUserInfo = parsed.getRawUserInfo();
    if (rawUserInfo != null) {
      int colon = rawUserInfo.indexOf(':');
      user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
      password = colon < 0 ? null : decode(rawUserInfo.substring(colon + 1));
    }
    try {
      URI clean =
          new URI(
              scheme,
              null,
              parsed.getHost(),
              parsed.getPort(),
              parsed.getPath(),
              parsed.getQuery(),
              parsed.getFragment());
      return new Endpoint(clean, user, password);
    } catch (URISyntaxException e) {
      throw new ConfigException(what + " is not a URL: '" + redact(trimmed) + "'");
    }
  }

  private static boolean hasPortText(URI uri) {
    String authority = uri.getRawAuthority();
    if (authority == null) {
      return false;
    }
    String hostPart = authority.substring(authority.lastIndexOf('@') + 1);
    int closingBracket = hostPart.lastIndexOf(']');
    return hostPart.indexOf(':', Math.max(closingBracket, 0)) >= 0;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * {@code text} with the credentials of every URL in it replaced by {@code ***} and secret-looking
   * query parameters ({@code password}, {@code token}, {@code X-Amz-Signature}, ...) masked.
   */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String withoutUsers =
        USER_INFO
            .matcher(text)
            .replaceAll(match -> Matcher.quoteReplacement(match.group(1) + "***@"));
    return SECRET_PARAMETER
        .matcher(withoutUsers)
        .replaceAll(match -> Matcher.quoteReplacement(match.group(1) + "***"));
  }

  /** The URL without credentials. */
  public URI uri() {
    return uri;
  }

  /** The user name given in the URL, decoded, or {@code null}. */
  public String user() {
    return user;
  }

  /** The password given in the URL, decoded, or {@code null}; never printed. */
  public String password() {
    return password;
  }

  /** The URL without credentials, secret-looking query parameters masked. */
  @Override
  public String toString() {
    return redact(uri.toString());
  }
}
