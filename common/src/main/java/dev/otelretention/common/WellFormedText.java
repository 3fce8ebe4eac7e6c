package dev.otelretention.common;

/**
 * Makes Java strings safe to encode as UTF-8: a string may hold unpaired UTF-16 surrogates (half of
 * a character, e.g. after a careless substring), which JSON parsers refuse and UTF-8 cannot
 * represent. Exporters pass every string of user data through {@link #of(String)} before writing
 * it.
 */
public final class WellFormedText {
  private WellFormedText() {}

  /**
   * Returns {@code value} with every unpaired surrogate replaced by U+FFFD (the same instance if
   * none).
   */
  public static String of(String value) {
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < length
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        return replaceUnpaired(value);
      }
    }
    return value;
  }

  private static String replaceUnpaired(String value) {
    StringBuilder result = new StringBuilder(value.length());
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        result.append(c).append(value.charAt(i + 1));
        i++;
      } else if (Character.isSurrogate(c)) {
        result.append('\uFFFD');
      } else {
        result.append(c);
      }
    }
    return result.toString();
  }
}
