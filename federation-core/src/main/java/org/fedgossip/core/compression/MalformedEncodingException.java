package org.fedgossip.core.compression;

/**
 * Encoded update bytes that cannot be decoded: truncated, with a bad header, or declaring sizes
 * beyond the input or the caller's limit.
 *
 * <p>Thrown instead of an index or allocation error, so a receiver can count and drop the update
 * and charge it to the sender.
 */
public final class MalformedEncodingException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, with the offending value
   */
  public MalformedEncodingException(String message) {
    super(message);
  }
}
