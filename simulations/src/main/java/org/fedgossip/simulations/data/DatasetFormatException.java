package org.fedgossip.simulations.data;

import java.io.IOException;

/**
 * A data file is malformed: wrong magic number, sizes that disagree with the bytes present, a row
 * with the wrong number of columns, or a value that is not a number.
 *
 * <p>The message always names the source (file or resource name) and, for text formats, the line.
 */
public final class DatasetFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param source the file or resource name
   * @param problem what is wrong, in words
   */
  public DatasetFormatException(String source, String problem) {
    super(source + ": " + problem);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param source the file or resource name
   * @param problem what is wrong, in words
   * @param cause the underlying error
   */
  public DatasetFormatException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
  }
}
