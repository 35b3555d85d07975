package org.fedgossip.cli.daemon;

import java.util.Locale;

/** What a daemon process runs, the key {@code peer.role}. */
public enum Role {
  /** A training peer: it trains locally, gossips in its basket and joins Layer 1. */
  PEER,
  /** The coordinator: it runs Layer 2 (SecAgg+), adds central noise and publishes the model. */
  COORDINATOR;

  /**
   * Returns the value as written in a configuration file.
   *
   * @return {@code peer} or {@code coordinator}
   */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a configuration value, ignoring case.
   *
   * @param value {@code peer} or {@code coordinator}
   * @return the role
   * @throws IllegalArgumentException if the value is neither
   */
  public static Role parse(String value) {
    for (Role r : values()) {
      if (r.configName().equalsIgnoreCase(value.trim())) {
        return r;
      }
    }
    throw new IllegalArgumentException("not a role: '" + value + "'");
  }
}
