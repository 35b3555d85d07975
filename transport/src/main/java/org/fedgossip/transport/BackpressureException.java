package org.fedgossip.transport;

/**
 * A send refused because the bounded outbound queue to its peer is full.
 *
 * <p>This is the stated backpressure policy: the new send fails (it is counted as {@link
 * DropReason#QUEUE_FULL}); frames already queued are kept in order. Callers slow down or drop.
 */
public final class BackpressureException extends TransportException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which peer's queue is full and its capacity
   */
  public BackpressureException(String message) {
    super(DropReason.QUEUE_FULL, message);
  }
}
