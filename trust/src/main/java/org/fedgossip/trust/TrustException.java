package org.fedgossip.trust;

/**
 * A trust operation failed: a key or certificate file is unreadable, malformed or too open, or a CA
 * operation was refused.
 *
 * <p>Messages name the file or value involved and, where there is one, the fix. Bad input from the
 * network is never reported with this exception: packet checks return a {@link Verdict} instead.
 */
public final class TrustException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the file or value
   */
  public TrustException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, naming the file or value
   * @param cause the underlying failure
   */
  public TrustException(String message, Throwable cause) {
    super(message, cause);
  }
}
