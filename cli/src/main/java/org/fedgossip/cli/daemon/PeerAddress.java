package org.fedgossip.cli.daemon;

import java.util.Objects;
import org.fedgossip.trust.PeerId;

/**
 * A federation member and where it listens, written {@code PEERID@host:port} with the peer id in
 * its printed form ({@link PeerId#toString()}).
 *
 * @param id the member's peer id
 * @param address where it accepts mTLS connections; the port is in [1, 65535]
 */
public record PeerAddress(PeerId id, HostPort address) {

  /**
   * Validates the components.
   *
   * @param id see the record component
   * @param address see the record component
   */
  public PeerAddress {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    if (address.port() == 0) {
      throw new IllegalArgumentException("port 0 is not a peer's address; use [1, 65535]");
    }
  }

  /**
   * Parses {@code PEERID@host:port}.
   *
   * @param text the text
   * @return the parsed address
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  public static PeerAddress parse(String text) {
    String t = text.trim();
    int at = t.indexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("'" + text + "' is not PEERID@host:port (no '@')");
    }
    return new PeerAddress(PeerId.parse(t.substring(0, at)), HostPort.parse(t.substring(at + 1)));
  }

  @Override
  public String toString() {
    return id + "@" + address;
  }
}
