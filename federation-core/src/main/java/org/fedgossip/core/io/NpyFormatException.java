package org.fedgossip.core.io;

import java.io.IOException;

/**
 * A {@code .npy} input that does not follow the format, or that this reader does not support
 * (Fortran order, an unknown dtype, more elements than the caller allows).
 *
 * <p>The message names the offending part of the file and its value.
 */
public final class NpyFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, with the offending value
   */
  public NpyFormatException(String message) {
    super(message);
  }
}
