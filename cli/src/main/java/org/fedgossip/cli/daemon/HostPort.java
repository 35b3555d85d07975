package org.fedgossip.cli.daemon;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A host name or address with a TCP port, as written in a configuration ({@code host:port}, or
 * {@code [v6-address]:port} for IPv6).
 *
 * @param host the host name or literal address, without brackets, not blank
 * @param port the port, in [0, 65535]
 */
public record HostPort(String host, int port) {

  /**
   * Validates the components.
   *
   * @param host see the record component
   * @param port see the record component
   */
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("host '" + host + "' is blank or contains whitespace");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside [0, 65535]");
    }
  }

  /**
   * Parses {@code host:port} or {@code [v6-address]:port}.
   *
   * @param text the text
   * @return the parsed address
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public static HostPort parse(String text) {
    String t = text.trim();
    String host;
    String port;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("'" + text + "' is not [v6-address]:port");
      }
      host = t.substring(1, close);
      port = t.substring(close + 2);
    } else {
      int colon = t.lastIndexOf(':');
      if (colon <= 0 || t.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "'" + text + "' is not host:port (write an IPv6 address as [address]:port)");
      }
      host = t.substring(0, colon);
      port = t.substring(colon + 1);
    }
    if (!port.matches("\\d{1,5}")) {
      throw new IllegalArgumentException("'" + text + "' has no port number after the ':'");
    }
    return new HostPort(host, Integer.parseInt(port));
  }

  /**
   * Returns a socket address, resolving the host name now.
   *
   * @return the address; unresolved if the name does not resolve
   */
  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
