package org.fedgossip.transport;

import java.util.Objects;

/**
 * Why a send failed: the completion stage of {@link Transport#send} fails with a subclass of this.
 *
 * <p>Each exception carries the {@link DropReason} under which the failure was counted.
 */
public class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final DropReason reason;

  /**
   * Creates an exception counted under {@code reason}.
   *
   * @param reason the counter the failure was recorded under
   * @param message what failed, naming the peer
   */
  public TransportException(DropReason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Returns the counter this failure was recorded under.
   *
   * @return the drop reason
   */
  public DropReason reason() {
    return reason;
  }
}
