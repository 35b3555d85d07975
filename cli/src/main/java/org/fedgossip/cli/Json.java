package org.fedgossip.cli;

import java.util.Locale;

/** The one JSON string encoder the commands' {@code --json} output uses (RFC 8259, section 7). */
final class Json {

  private Json() {}

  /**
   * Quotes a string as a JSON string literal, escaping quotes, backslashes and control characters.
   *
   * @param s the text
   * @return the literal, with its surrounding quotes
   */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
