package org.fedgossip.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.fedgossip.core.internal.LockedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, hash-chained {@code audit.log} of rounds, participants, rejections, privacy
 * spend and published models.
 *
 * <p>File format, big-endian: an 8-byte header, the magic {@code "FGAL"} then the int version 1;
 * then records of {@code int length}, {@code int ~length} (its bitwise complement, so a flipped
 * length bit is told apart from a torn write), a body of that length (see {@link AuditRecord}) and
 * a 32-byte chain hash {@code SHA-256(previous hash ‖ length ‖ ~length ‖ body)}, where the hash
 * before the first record is 32 zero bytes. Changing, removing or reordering any record therefore
 * changes every later hash; the head hash {@link #headHash()} commits to the whole history.
 *
 * <p>{@link #append(AuditRecord)} writes one record and calls {@link FileChannel#force(boolean)
 * force(true)} before it returns; {@link #appendAll(List)} writes a batch with one fsync, and after
 * a crash keeps a prefix of the batch (possibly empty). On open the chain is verified: an
 * incomplete or hash-mismatched <em>last</em> record, as a crash mid-append leaves, is truncated
 * with a warning (so is a bad length field followed only by zero bytes, as a power loss can leave);
 * damage followed by more data throws {@link CorruptedStateException} naming the offset. {@link
 * #verify(Path)} reports the first broken record without modifying the file.
 *
 * <p>An open log holds an exclusive file lock, like the privacy ledger. It is thread-safe: every
 * public method is {@code synchronized}. After a failed write it refuses further appends until
 * reopened.
 */
public final class AuditLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  /** The magic bytes "FGAL" at the start of every audit log. */
  static final int MAGIC = 0x4647414C;

  /** The format version this class reads and writes. */
  static final int VERSION = 1;

  static final int HEADER_BYTES = 8;
  static final int MIN_BODY_BYTES = 1 + 8 + 8 + 1 + 2;
  static final int MAX_BODY_BYTES =
      MIN_BODY_BYTES + AuditRecord.MAX_PEER_ID_BYTES + AuditRecord.MAX_PAYLOAD_BYTES;

  /** The length field and its bitwise complement, which tells a damaged length from a torn one. */
  static final int LENGTH_BYTES = 8;

  static final int OVERHEAD_BYTES = LENGTH_BYTES + DurableFiles.SHA256_BYTES;

  private final Path file;
  private final FileChannel channel;
  private final LockedFile locked;
  private byte[] headHash;
  private long records;
  private long endOffset;
  private long truncatedTailBytes;
  private boolean failed;
  private boolean closed;

  /**
   * The first record of a log that does not verify.
   *
   * @param index the record's zero-based index
   * @param offset its byte offset in the file
   * @param reason what is wrong
   * @param tornTail true if it is an incomplete or mismatched last record, which {@link #open}
   *     would truncate; false for damage in the middle, which {@link #open} refuses
   */
  public record BrokenRecord(long index, long offset, String reason, boolean tornTail) {}

  /**
   * The outcome of {@link #verify(Path)}.
   *
   * @param validRecords how many records verify, from the start
   * @param validBytes the offset just after the last valid record
   * @param headHash the chain hash after the last valid record, lower-case hex
   * @param firstBroken the first record that does not verify, if any
   */
  public record Verification(
      long validRecords, long validBytes, String headHash, Optional<BrokenRecord> firstBroken) {

    /**
     * Tells whether the whole file verified.
     *
     * @return true if no record is broken
     */
    public boolean ok() {
      return firstBroken.isEmpty();
    }
  }

  private AuditLog(Path file, LockedFile locked) {
    this.file = file;
    this.channel = locked.channel();
    this.locked = locked;
  }

  /**
   * Opens the log, creating it if needed, verifying the chain and truncating a torn last record.
   *
   * @param file the log file, usually {@code <data-dir>/audit.log}
   * @return the open log
   * @throws CorruptedStateException if the file is damaged other than in its last record
   * @throws IOException if the file cannot be read, written or locked
   */
  public static AuditLog open(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    LockedFile locked = LockedFile.open(file, "audit log");
    try {
      AuditLog log = new AuditLog(file, locked);
      log.recover();
      return log;
    } catch (IOException | RuntimeException e) {
      locked.closeAfter(e);
      throw e;
    }
  }

  private void recover() throws IOException {
    long size = channel.size();
    if (size < HEADER_BYTES) {
      ByteBuffer present = DurableFiles.readFully(channel, 0, (int) size);
      if (!present.equals(header().slice(0, (int) size))) {
        throw new CorruptedStateException(
            file, 0, "a " + size + "-byte file that is not the start of an audit log header");
      }
      if (size > 0) {
        LOG.warn("Audit log {}: torn header of {} bytes; rewriting it", file, size);
      }
      channel.truncate(0);
      DurableFiles.writeFully(channel, header(), 0);
      channel.force(true);
      DurableFiles.forceDirectory(file.toAbsolutePath().getParent());
      headHash = new byte[DurableFiles.SHA256_BYTES];
      endOffset = HEADER_BYTES;
      return;
    }
    Scan scan = scan(file, channel, null);
    if (scan.broken != null) {
      if (!scan.broken.tornTail()) {
        throw new CorruptedStateException(
            file,
            scan.broken.offset(),
            "record " + scan.broken.index() + ": " + scan.broken.reason());
      }
      LOG.warn(
          "Audit log {}: torn last record {} at byte offset {} ({}); truncating {} bytes, the"
              + " earlier {} records are kept",
          file,
          scan.broken.index(),
          scan.broken.offset(),
          scan.broken.reason(),
          size - scan.end,
          scan.records);
      channel.truncate(scan.end);
      channel.force(true);
      truncatedTailBytes = size - scan.end;
    }
    headHash = scan.hash;
    records = scan.records;
    endOffset = scan.end;
  }

  /**
   * Verifies a log file's chain without modifying it, for {@code admin verify-audit}.
   *
   * @param file the log file
   * @return how much verified and the first broken record, if any
   * @throws IOException if the file cannot be read
   */
  public static Verification verify(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < HEADER_BYTES) {
        ByteBuffer present = DurableFiles.readFully(channel, 0, (int) size);
        boolean torn = present.equals(header().slice(0, (int) size));
        return new Verification(
            0,
            0,
            DurableFiles.hex(new byte[DurableFiles.SHA256_BYTES]),
            Optional.of(
                new BrokenRecord(0, 0, "header of only " + size + " bytes", torn && size > 0)));
      }
      Scan scan = scan(file, channel, null);
      return new Verification(
          scan.records, scan.end, DurableFiles.hex(scan.hash), Optional.ofNullable(scan.broken));
    }
  }

  /**
   * Reads the records of a log file's verified prefix without locking or modifying it, for tools
   * that run beside the daemon that owns it ({@code admin export}).
   *
   * @param file the log file
   * @return the records up to the first broken one, in order
   * @throws IOException if the file cannot be read
   */
  public static List<AuditRecord> readVerified(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() < HEADER_BYTES) {
        return List.of();
      }
      List<AuditRecord> records = new ArrayList<>();
      scan(file, channel, records);
      return List.copyOf(records);
    }
  }

  /** The result of walking a file's records. */
  private record Scan(long records, long end, byte[] hash, BrokenRecord broken) {}

  /**
   * Walks every record, checking the chain; feeds decoded records to {@code sink} if non-null.
   * Stops at the first broken record. The file must hold at least the header's 8 bytes.
   */
  private static Scan scan(Path file, FileChannel channel, List<AuditRecord> sink)
      throws IOException {
    long size = channel.size();
    byte[] hash = new byte[DurableFiles.SHA256_BYTES];
    ByteBuffer head = DurableFiles.readFully(channel, 0, HEADER_BYTES);
    if (head.getInt(0) != MAGIC) {
      return new Scan(
          0,
          0,
          hash,
          new BrokenRecord(
              0, 0, String.format("bad magic 0x%08X, expected \"FGAL\"", head.getInt(0)), false));
    }
    if (head.getInt(4) != VERSION) {
      return new Scan(
          0,
          0,
          hash,
          new BrokenRecord(0, 4, "unsupported version " + head.getInt(4) + ", expected 1", false));
    }
    long offset = HEADER_BYTES;
    long index = 0;
    MessageDigest sha = DurableFiles.sha256();
    while (offset < size) {
      long remaining = size - offset;
      String problem = null;
      boolean torn = false;
      int length = 0;
      ByteBuffer record = null;
      if (remaining < LENGTH_BYTES) {
        problem = "only " + remaining + " bytes of the length";
        torn = true;
      } else {
        ByteBuffer lengths = DurableFiles.readFully(channel, offset, LENGTH_BYTES);
        length = lengths.getInt(0);
        if (lengths.getInt(4) != ~length) {
          problem = String.format("damaged length field 0x%016X", lengths.getLong(0));
          torn = allZero(channel, offset, size);
        } else if (length < MIN_BODY_BYTES || length > MAX_BODY_BYTES) {
          problem =
              "record length "
                  + length
                  + " is outside ["
                  + MIN_BODY_BYTES
                  + ", "
                  + MAX_BODY_BYTES
                  + "]";
        } else if (remaining < (long) OVERHEAD_BYTES + length) {
          problem = "only " + remaining + " of " + (OVERHEAD_BYTES + length) + " record bytes";
          torn = true;
        } else {
          record = DurableFiles.readFully(channel, offset, OVERHEAD_BYTES + length);
          sha.update(hash);
          sha.update(record.slice(0, LENGTH_BYTES + length));
          byte[] expected = sha.digest();
          if (!MessageDigest.isEqual(
              expected, bytes(record, LENGTH_BYTES + length, DurableFiles.SHA256_BYTES))) {
            problem = "chain hash mismatch";
            torn = remaining == (long) OVERHEAD_BYTES + length;
          } else {
            hash = expected;
          }
        }
      }
      if (problem == null) {
        try {
          AuditRecord decoded = AuditRecord.decode(record.slice(LENGTH_BYTES, length));
          if (sink != null) {
            sink.add(decoded);
          }
        } catch (IllegalArgumentException e) {
          return new Scan(
              index,
              offset,
              hash,
              new BrokenRecord(
                  index,
                  offset,
                  "chain hash verifies but body is invalid: " + e.getMessage(),
                  false));
        }
        offset += (long) OVERHEAD_BYTES + length;
        index++;
        continue;
      }
      if (!torn) {
        problem += ", followed by more data";
      }
      return new Scan(index, offset, hash, new BrokenRecord(index, offset, problem, torn));
    }
    return new Scan(index, offset, hash, null);
  }

  /**
   * Tells whether every byte from {@code offset} to {@code size} is zero, as a power loss leaves.
   */
  private static boolean allZero(FileChannel channel, long offset, long size) throws IOException {
    for (long at = offset; at < size; at += 1 << 16) {
      ByteBuffer chunk = DurableFiles.readFully(channel, at, (int) Math.min(1 << 16, size - at));
      while (chunk.hasRemaining()) {
        if (chunk.get() != 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static byte[] bytes(ByteBuffer buffer, int at, int length) {
    byte[] out = new byte[length];
    buffer.get(at, out);
    return out;
  }

  /**
   * Appends one record durably.
   *
   * @param record the record
   * @return its zero-based index in the log
   * @throws IOException if the write or fsync fails; the log then refuses further appends
   * @throws IllegalStateException if the log is closed or an earlier write failed
   */
  public synchronized long append(AuditRecord record) throws IOException {
    appendAll(List.of(record));
    return records - 1;
  }

  /**
   * Appends records with one fsync; after a crash before it returns, a prefix of the batch (maybe
   * none) is kept.
   *
   * @param batch the records, in order
   * @throws IOException if the write or fsync fails; the log then refuses further appends
   * @throws IllegalStateException if the log is closed or an earlier write failed
   */
  public synchronized void appendAll(List<AuditRecord> batch) throws IOException {
    ensureUsable();
    Objects.requireNonNull(batch, "batch");
    int total = 0;
    for (AuditRecord r : batch) {
      total += OVERHEAD_BYTES + Objects.requireNonNull(r, "record").encodedLength();
    }
    ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.BIG_ENDIAN);
    byte[] hash = headHash;
    MessageDigest sha = DurableFiles.sha256();
    for (AuditRecord r : batch) {
      int start = out.position();
      out.putInt(r.encodedLength()).putInt(~r.encodedLength());
      r.encodeTo(out);
      sha.update(hash);
      sha.update(out.array(), start, out.position() - start);
      hash = sha.digest();
      out.put(hash);
    }
    out.flip();
    try {
      DurableFiles.writeFully(channel, out, endOffset);
      channel.force(true);
    } catch (IOException e) {
      failed = true;
      throw new IOException(
          "audit log " + file + ": append failed, refusing further appends until reopened", e);
    }
    endOffset += total;
    records += batch.size();
    headHash = hash;
  }

  /**
   * Returns the records matching a filter, oldest first, for {@code admin export}.
   *
   * <p>The records are re-read from the file (already verified) into memory.
   *
   * @param filter which records to keep
   * @return the matching records
   * @throws IOException if the file cannot be read
   */
  public synchronized Stream<AuditRecord> records(Predicate<? super AuditRecord> filter)
      throws IOException {
    ensureOpen();
    List<AuditRecord> all = new ArrayList<>();
    Scan scan = scan(file, channel, all);
    if (scan.broken != null) {
      throw new CorruptedStateException(
          file,
          scan.broken.offset(),
          "record " + scan.broken.index() + ": " + scan.broken.reason());
    }
    return all.stream().filter(filter);
  }

  /**
   * Returns how many records the log holds.
   *
   * @return the count
   */
  public synchronized long size() {
    return records;
  }

  /**
   * Returns the chain hash after the last record, which commits to the whole history.
   *
   * @return lower-case hex; 64 zeros for an empty log
   */
  public synchronized String headHash() {
    return DurableFiles.hex(headHash);
  }

  /**
   * Returns how many bytes of a torn last record were truncated away on open.
   *
   * @return the bytes removed, 0 if the file ended cleanly
   */
  public synchronized long truncatedTailBytes() {
    return truncatedTailBytes;
  }

  /**
   * Returns the log file.
   *
   * @return the path
   */
  public Path file() {
    return file;
  }

  /** Releases the file lock and closes the file; idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    locked.close();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("audit log " + file + " is closed");
    }
  }

  private void ensureUsable() {
    ensureOpen();
    if (failed) {
      throw new IllegalStateException(
          "audit log " + file + " had a failed write; reopen it to recover");
    }
  }

  private static ByteBuffer header() {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
    return header.putInt(MAGIC).putInt(VERSION).flip();
  }
}
