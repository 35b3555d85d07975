package org.fedgossip.cli.daemon;

import java.util.Optional;

/**
 * A bad daemon configuration: an unknown key, a bad value, a missing required key, or settings that
 * contradict each other. The message names the key, the value and what is allowed, ready to print.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The key at fault, or null when the problem is not one key's. */
  private final String key;

  /**
   * Creates the exception.
   *
   * @param key the key at fault, or null
   * @param message the full message, naming the key and the allowed values
   */
  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param key the key at fault, or null
   * @param message the full message, naming the key and the allowed values
   * @param cause the underlying error
   */
  public ConfigException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /**
   * Returns the key at fault.
   *
   * @return the key, or empty when the problem spans several keys or none
   */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }
}
