package org.fedgossip.transport.internal;

import java.util.concurrent.atomic.AtomicReference;
import org.fedgossip.transport.LifecycleState;

/**
 * The lifecycle state machine of one transport: atomic transitions, illegal ones refused.
 *
 * <p>Internal to the transport module.
 */
public final class Lifecycle {
  private final String name;
  private final AtomicReference<LifecycleState> state = new AtomicReference<>(LifecycleState.NEW);

  /**
   * Creates a lifecycle in {@code NEW}.
   *
   * @param name what the lifecycle belongs to, used in error messages
   */
  public Lifecycle(String name) {
    this.name = name;
  }

  /**
   * Returns the current state.
   *
   * @return the state
   */
  public LifecycleState get() {
    return state.get();
  }

  /**
   * Moves from the current state to {@code next}.
   *
   * @param next the new state
   * @throws IllegalStateException naming both states when the transition is illegal
   */
  public void transition(LifecycleState next) {
    while (true) {
      LifecycleState current = state.get();
      if (!current.canTransitionTo(next)) {
        throw new IllegalStateException(name + " cannot move from " + current + " to " + next);
      }
      if (state.compareAndSet(current, next)) {
        return;
      }
    }
  }

  /**
   * Moves to {@code CLOSING} unless already closing or closed.
   *
   * @return true when this call began the close, false when another did or it is done
   */
  public boolean beginClose() {
    while (true) {
      LifecycleState current = state.get();
      if (current == LifecycleState.CLOSING || current == LifecycleState.CLOSED) {
        return false;
      }
      if (state.compareAndSet(current, LifecycleState.CLOSING)) {
        return true;
      }
    }
  }
}
