package org.fedgossip.core.privacy;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when a privacy ledger file is damaged somewhere other than a torn last record.
 *
 * <p>The ledger never resets a damaged file to zero spend: the operator must inspect it. The
 * message names the file and the byte offset of the first bad record.
 */
public final class PrivacyLedgerCorruptedException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The damaged file; transient because {@link Path} is not serializable. */
  private final transient Path file;

  private final long offset;

  /**
   * Creates the exception.
   *
   * @param file the ledger file
   * @param offset the byte offset of the bad record or header
   * @param reason what is wrong there
   */
  public PrivacyLedgerCorruptedException(Path file, long offset, String reason) {
    super("privacy ledger " + file + " is corrupted at byte offset " + offset + ": " + reason);
    this.file = file;
    this.offset = offset;
  }

  /**
   * Returns the damaged file.
   *
   * @return the path, or null after deserialisation
   */
  public Path file() {
    return file;
  }

  /**
   * Returns the byte offset of the first bad record or header.
   *
   * @return the offset from the start of the file
   */
  public long offset() {
    return offset;
  }
}
