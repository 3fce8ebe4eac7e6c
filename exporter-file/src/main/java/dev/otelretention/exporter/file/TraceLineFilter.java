package dev.otelretention.exporter.file;

/**
 * Cuts an export request down to the spans or log records whose text holds a trace id, keeping
 * their resources and scopes, so that only they are decoded: a line of a file can hold thousands of
 * spans and a trace view wants a few. Items are kept by their text, not their parsed id, so an item
 * that only mentions the id (a link, say) is kept too and the decoder's result is still filtered by
 * the caller.
 *
 * <p>The line is scanned, not tokenized: the items left out are stepped over string by string and
 * bracket by bracket, which costs a trace view a fraction of a JSON parser's pass over a line of
 * megabytes, and everything kept is copied as written.
 */
final class TraceLineFilter {
  private final String json;
  private final String traceId;
  private final StringBuilder out;
  private int nextMention = -1;

  private TraceLineFilter(String json, String traceId) {
    this.json = json;
    this.traceId = traceId;
    this.out = new StringBuilder(1024);
  }

  /**
   * The request with only the items that mention {@code traceId}; the whole line when its layout is
   * not the expected one, so the decoder decides.
   */
  static String keep(String json, String traceId) {
    try {
      return new TraceLineFilter(json, traceId).keep();
    } catch (Malformed e) {
      return json;
    }
  }

  private String keep() {
    int at = space(0);
    if (at >= json.length() || json.charAt(at) != '{') {
      throw new Malformed();
    }
    at = object(at, -1);
    if (space(at) != json.length()) {
      throw new Malformed();
    }
    return out.toString();
  }

  /**
   * Copies the object at {@code at}, walking into the array members that lead to items; {@code
   * depth} is -1 for the request, 0 for a resource, 1 for a scope. Returns where the object ends.
   */
  private int object(int at, int depth) {
    out.append('{');
    int next = space(at + 1);
    if (charAt(next) == '}') {
      out.append('}');
      return next + 1;
    }
    while (true) {
      int nameEnd = string(next);
      String name = json.substring(next + 1, nameEnd - 1);
      int colon = space(nameEnd);
      if (charAt(colon) != ':') {
        throw new Malformed();
      }
      out.append(json, next, nameEnd).append(':');
      int value = space(colon + 1);
      if (leadsToItems(name, depth) && charAt(value) == '[') {
        next = array(value, depth + 1);
      } else {
        next = skip(value);
        out.append(json, value, next);
      }
      next = space(next);
      if (endsAt(next, '}')) {
        out.append('}');
        return next + 1;
      }
      out.append(',');
      next = space(next + 1);
    }
  }

  private static boolean leadsToItems(String name, int depth) {
    return switch (depth) {
      case -1 -> isAny(name, "resourceSpans", "resource_spans", "resourceLogs", "resource_logs");
      case 0 -> isAny(name, "scopeSpans", "scope_spans", "scopeLogs", "scope_logs");
      case 1 -> isAny(name, "spans", "logRecords", "log_records");
      default -> false;
    };
  }

  /**
   * Copies the array of resources (depth 0), scopes (1) or items (2) at {@code at}, keeping at
   * depth 2 only the items that mention the id. Returns where the array ends.
   */
  private int array(int at, int depth) {
    out.append('[');
    boolean first = true;
    int next = space(at + 1);
    if (charAt(next) == ']') {
      out.append(']');
      return next + 1;
    }
    while (true) {
      if (charAt(next) != '{') {
        throw new Malformed();
      }
      if (depth == 2) {
        int end = skip(next);
        if (mentions(next, end)) {
          out.append(first ? "" : ",").append(json, next, end);
          first = false;
        }
        next = end;
      } else {
        out.append(first ? "" : ",");
        first = false;
        next = object(next, depth);
      }
      next = space(next);
      if (endsAt(next, ']')) {
        out.append(']');
        return next + 1;
      }
      next = space(next + 1);
    }
  }

  /**
   * After a value of an object or array: whether its closing bracket {@code close} is at {@code at}
   * (false at the comma before another value; anything else is malformed).
   */
  private boolean endsAt(int at, char close) {
    char after = charAt(at);
    if (after != close && after != ',') {
      throw new Malformed();
    }
    return after == close;
  }

  /** Where the value at {@code at} ends: a string, an object or array, or a bare word. */
  private int skip(int at) {
    char first = charAt(at);
    if (first == '"') {
      return string(at);
    }
    if (first != '{' && first != '[') {
      int end = at;
      while (end < json.length() && ",}] \t\r\n".indexOf(json.charAt(end)) < 0) {
        end++;
      }
      if (end == at) {
        throw new Malformed();
      }
      return end;
    }
    int open = 0;
    for (int i = at; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        i = string(i) - 1;
      } else if (c == '{' || c == '[') {
        open++;
      } else if ((c == '}' || c == ']') && --open == 0) {
        return i + 1;
      }
    }
    throw new Malformed();
  }

  /** Where the string whose opening quote is at {@code at} ends, after its closing quote. */
  private int string(int at) {
    if (charAt(at) != '"') {
      throw new Malformed();
    }
    int quote = at;
    while (true) {
      quote = json.indexOf('"', quote + 1);
      if (quote < 0) {
        throw new Malformed();
      }
      int backslashes = 0;
      while (json.charAt(quote - 1 - backslashes) == '\\') {
        backslashes++;
      }
      if (backslashes % 2 == 0) {
        return quote + 1;
      }
    }
  }

  private int space(int at) {
    int i = at;
    while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
      i++;
    }
    return i;
  }

  private char charAt(int at) {
    if (at >= json.length()) {
      throw new Malformed();
    }
    return json.charAt(at);
  }

  /** Whether the text in {@code [start, end)} holds the id; items come in order, so one pass. */
  private boolean mentions(int start, int end) {
    if (nextMention != Integer.MAX_VALUE && nextMention < start) {
      int at = json.indexOf(traceId, start);
      nextMention = at < 0 ? Integer.MAX_VALUE : at;
    }
    // no later mention: its marker must not be added to, it would wrap round to a negative offset
    return nextMention != Integer.MAX_VALUE && nextMention + traceId.length() <= end;
  }

  private static boolean isAny(String field, String... names) {
    for (String name : names) {
      if (field.equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The line is not an export request of the expected layout. */
  private static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed() {
      super(null, null, false, false);
    }
  }
}
