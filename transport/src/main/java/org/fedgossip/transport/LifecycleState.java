package org.fedgossip.transport;

/**
 * The lifecycle of a {@link Transport}: {@code NEW → STARTING → RUNNING → CLOSING → CLOSED}, with
 * {@code FAILED} when start fails part way.
 *
 * <p>Only the transitions of {@link #canTransitionTo} are legal; a transport refuses any other with
 * an {@link IllegalStateException}. {@code CLOSED} is terminal; {@code FAILED} may only be closed.
 */
public enum LifecycleState {
  /** Built, not started: handlers may be registered, nothing is sent or received. */
  NEW,
  /** Acquiring resources (sockets, threads). */
  STARTING,
  /** Sending and receiving. */
  RUNNING,
  /** Releasing resources; sends are refused. */
  CLOSING,
  /** Every resource released; terminal. */
  CLOSED,
  /** Start failed; what was opened has been released. Only {@code close()} is allowed. */
  FAILED;

  /**
   * Tells whether a transport in this state may move to {@code next}.
   *
   * @param next the state to move to
   * @return true when the transition is legal
   */
  public boolean canTransitionTo(LifecycleState next) {
    return switch (this) {
      case NEW -> next == STARTING || next == CLOSING;
      case STARTING -> next == RUNNING || next == FAILED || next == CLOSING;
      case RUNNING -> next == CLOSING;
      case CLOSING -> next == CLOSED;
      case FAILED -> next == CLOSING;
      case CLOSED -> false;
    };
  }
}
