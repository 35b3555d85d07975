package org.fedgossip.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedgossip.core.io.NpyArray;
import org.fedgossip.core.io.NpyWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned global-model checkpoints of a data directory ({@code checkpoints/}), newest last.
 *
 * <p>{@link #commit(GlobalModelSnapshot)} writes a temporary file, fsyncs it, renames it atomically
 * to {@code checkpoint-<version>.fgck} and fsyncs the directory before returning, so once it
 * returns the checkpoint survives {@code kill -9} and power loss (on file systems that honour
 * fsync); a crash before the rename leaves only a temporary file, deleted with a warning on the
 * next open. Only the newest {@code checkpoint.keep} checkpoints are kept.
 *
 * <p>File format: the magic {@code "FGCK"}, the int format version 1, then a big-endian header
 * (long version, long round, long created-at millis, int dimension, int metadata count, then per
 * entry a short-length-prefixed UTF-8 key and value, keys in ascending order), the weights as
 * little-endian float32, and a 32-byte SHA-256 of every byte before it. {@link #latest()} returns
 * the newest checkpoint whose SHA-256 verifies, skipping damaged ones (logged and listed by {@link
 * #damaged()}).
 *
 * <p>Instances are thread-safe (every public method is {@code synchronized}); one directory must be
 * used by one store at a time (the owning process also holds the audit log's lock).
 */
public final class CheckpointStore {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

  /** The magic bytes "FGCK" at the start of every checkpoint file. */
  static final int MAGIC = 0x4647434B;

  /** The checkpoint format version this class reads and writes. */
  static final int FORMAT_VERSION = 1;

  /** Magic, format version, version, round, created-at, dimension, metadata count. */
  static final int FIXED_HEADER_BYTES = 4 + 4 + 8 + 8 + 8 + 4 + 4;

  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{20})\\.fgck");
  private static final String TEMP_SUFFIX = ".tmp";

  private final Path dir;
  private final CheckpointConfig config;
  private long lastVersion;
  private List<Checkpoint.Damaged> damaged = List.of();

  private CheckpointStore(Path dir, CheckpointConfig config, long lastVersion) {
    this.dir = dir;
    this.config = config;
    this.lastVersion = lastVersion;
  }

  /**
   * Opens the store in {@code dir}, creating the directory if needed, deleting temporary files left
   * by a crash mid-commit and pruning beyond the newest {@code checkpoint.keep}.
   *
   * @param dir the checkpoints directory, usually {@code <data-dir>/checkpoints}
   * @param config how many to keep and the size limit
   * @return the store
   * @throws IOException if the directory cannot be created or listed
   */
  public static CheckpointStore open(Path dir, CheckpointConfig config) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(config, "config");
    Files.createDirectories(dir);
    long last = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX) && name.startsWith(".checkpoint-")) {
          LOG.warn("Checkpoints {}: deleting {} left by a commit that did not finish", dir, name);
          Files.deleteIfExists(p);
        } else {
          last = Math.max(last, versionOf(name));
        }
      }
    }
    CheckpointStore store = new CheckpointStore(dir, config, last);
    // A crash between a commit's rename and its pruning leaves one checkpoint too many.
    store.prune();
    return store;
  }

  /**
   * Commits a snapshot durably and prunes checkpoints beyond the newest {@code checkpoint.keep}.
   *
   * @param snapshot the model; its version must exceed every version in the directory
   * @return the committed checkpoint, with its SHA-256
   * @throws IllegalArgumentException if the version does not increase or the model is larger than
   *     {@code checkpoint.max-dimension}
   * @throws IOException if a write, fsync or rename fails; the previous checkpoints are intact
   */
  public synchronized Checkpoint commit(GlobalModelSnapshot snapshot) throws IOException {
    Objects.requireNonNull(snapshot, "snapshot");
    if (snapshot.version() <= lastVersion) {
      throw new IllegalArgumentException(
          "checkpoint version must be > " + lastVersion + ", got " + snapshot.version());
    }
    if (snapshot.dimension() > config.maxDimension()) {
      throw new IllegalArgumentException(
          "model dimension "
              + snapshot.dimension()
              + " exceeds checkpoint.max-dimension "
              + config.maxDimension());
    }
    ByteBuffer bytes = encode(snapshot);
    byte[] digest = new byte[DurableFiles.SHA256_BYTES];
    bytes.get(bytes.limit() - DurableFiles.SHA256_BYTES, digest);
    Path target = dir.resolve(fileName(snapshot.version()));
    Path temp = dir.resolve("." + fileName(snapshot.version()) + TEMP_SUFFIX);
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      DurableFiles.writeFully(channel, bytes, 0);
      channel.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw new IOException("checkpoints " + dir + ": the file system cannot rename atomically", e);
    }
    DurableFiles.forceDirectory(dir);
    lastVersion = snapshot.version();
    prune();
    return new Checkpoint(target, snapshot, DurableFiles.hex(digest));
  }

  /**
   * Returns the newest checkpoint whose SHA-256 verifies.
   *
   * <p>Damaged or torn files are skipped, logged with their name and listed by {@link #damaged()};
   * they are left in place for the operator.
   *
   * @return the newest good checkpoint, or empty if there is none
   * @throws IOException if the directory cannot be listed
   */
  public synchronized Optional<Checkpoint> latest() throws IOException {
    List<Checkpoint.Damaged> found = new ArrayList<>();
    try {
      for (Path file : filesNewestFirst()) {
        try {
          return Optional.of(verify(file, config.maxDimension()));
        } catch (CorruptedStateException e) {
          LOG.warn(
              "Checkpoints {}: skipping damaged {}: {}", dir, file.getFileName(), e.getMessage());
          found.add(new Checkpoint.Damaged(file, e.getMessage()));
        } catch (NoSuchFileException e) {
          LOG.debug("Checkpoints {}: {} vanished while being read", dir, file.getFileName());
        }
      }
      return Optional.empty();
    } finally {
      damaged = List.copyOf(found);
    }
  }

  /**
   * Returns the damaged files the last {@link #latest()} skipped.
   *
   * @return the skipped files, newest first; empty if none
   */
  public synchronized List<Checkpoint.Damaged> damaged() {
    return damaged;
  }

  /**
   * Returns the versions of every checkpoint file present, verified or not.
   *
   * @return the versions, oldest first
   * @throws IOException if the directory cannot be listed
   */
  public synchronized List<Long> versions() throws IOException {
    List<Long> versions = new ArrayList<>(versionMap().keySet());
    return List.copyOf(versions);
  }

  /**
   * Returns the checkpoints directory.
   *
   * @return the path
   */
  public Path directory() {
    return dir;
  }

  /**
   * Reads and verifies one checkpoint file, for {@code inspect checkpoint}, with the default size
   * limit.
   *
   * @param file the checkpoint file
   * @return the verified checkpoint
   * @throws CorruptedStateException if the file is torn, damaged or too large
   * @throws IOException if the file cannot be read
   */
  public static Checkpoint verify(Path file) throws IOException {
    return verify(file, CheckpointConfig.DEFAULT_MAX_DIMENSION);
  }

  /**
   * Reads and verifies one checkpoint file.
   *
   * <p>The file size is checked against the header's dimension, and the dimension against {@code
   * maxDimension}, before the weights are allocated.
   *
   * @param file the checkpoint file
   * @param maxDimension the largest dimension accepted
   * @return the verified checkpoint
   * @throws CorruptedStateException if the file is torn, damaged or too large
   * @throws IOException if the file cannot be read
   */
  public static Checkpoint verify(Path file, int maxDimension) throws IOException {
    Objects.requireNonNull(file, "file");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < FIXED_HEADER_BYTES + DurableFiles.SHA256_BYTES) {
        throw new CorruptedStateException(
            file, 0, "only " + size + " bytes, shorter than the smallest checkpoint");
      }
      ByteBuffer fixed = DurableFiles.readFully(channel, 0, FIXED_HEADER_BYTES);
      if (fixed.getInt(0) != MAGIC) {
        throw new CorruptedStateException(
            file, 0, String.format("bad magic 0x%08X, expected \"FGCK\"", fixed.getInt(0)));
      }
      if (fixed.getInt(4) != FORMAT_VERSION) {
        throw new CorruptedStateException(
            file, 4, "unsupported format version " + fixed.getInt(4) + ", expected 1");
      }
      int dimension = fixed.getInt(32);
      int entries = fixed.getInt(36);
      if (dimension < 1 || dimension > maxDimension) {
        throw new CorruptedStateException(
            file, 32, "dimension " + dimension + " is outside [1, " + maxDimension + "]");
      }
      if (entries < 0 || entries > GlobalModelSnapshot.MAX_METADATA_ENTRIES) {
        throw new CorruptedStateException(
            file,
            36,
            "metadata count "
                + entries
                + " is outside [0, "
                + GlobalModelSnapshot.MAX_METADATA_ENTRIES
                + "]");
      }
      long maxMetadataBytes =
          (long) entries * 2 * (2 + GlobalModelSnapshot.MAX_METADATA_STRING_BYTES);
      long minSize = FIXED_HEADER_BYTES + 4L * dimension + DurableFiles.SHA256_BYTES;
      if (size < minSize || size > minSize + maxMetadataBytes || size > Integer.MAX_VALUE - 8) {
        throw new CorruptedStateException(
            file,
            0,
            "file of "
                + size
                + " bytes cannot hold a checkpoint of dimension "
                + dimension
                + " with "
                + entries
                + " metadata entries (torn write?)");
      }
      ByteBuffer all = DurableFiles.readFully(channel, 0, (int) size);
      int bodyEnd = (int) size - DurableFiles.SHA256_BYTES;
      MessageDigest sha = DurableFiles.sha256();
      sha.update(all.slice(0, bodyEnd));
      byte[] digest = sha.digest();
      byte[] stored = new byte[DurableFiles.SHA256_BYTES];
      all.get(bodyEnd, stored);
      if (!MessageDigest.isEqual(digest, stored)) {
        throw new CorruptedStateException(
            file, bodyEnd, "SHA-256 mismatch (torn or bit-flipped file)");
      }
      return new Checkpoint(
          file, decode(file, all, dimension, entries, bodyEnd), DurableFiles.hex(digest));
    }
  }

  /**
   * Exports a checkpoint's weights as a one-dimensional float32 {@code .npy} file.
   *
   * @param checkpoint the checkpoint
   * @param npyFile the target file, overwritten
   * @throws IOException if the file cannot be written
   */
  public static void exportNpy(Checkpoint checkpoint, Path npyFile) throws IOException {
    float[] weights = checkpoint.snapshot().weights();
    new NpyWriter().write(new NpyArray.Float32(new long[] {weights.length}, weights), npyFile);
  }

  /** Decodes a body whose SHA-256 verified; a malformed header is still reported, not thrown. */
  private static GlobalModelSnapshot decode(
      Path file, ByteBuffer all, int dimension, int entries, int bodyEnd)
      throws CorruptedStateException {
    ByteBuffer in = all.duplicate().order(ByteOrder.BIG_ENDIAN);
    in.position(8);
    long version = in.getLong();
    long round = in.getLong();
    long createdAt = in.getLong();
    in.position(FIXED_HEADER_BYTES);
    Map<String, String> metadata = new TreeMap<>();
    String previousKey = null;
    for (int i = 0; i < entries; i++) {
      int at = in.position();
      String key = readString(file, in, bodyEnd);
      // encode writes the keys in ascending order, so any other order (or a repeated key) would
      // decode to a snapshot whose encoding, and SHA-256, differ from the file's.
      if (previousKey != null && previousKey.compareTo(key) >= 0) {
        throw new CorruptedStateException(
            file, at, "metadata key '" + key + "' is not after '" + previousKey + "'");
      }
      previousKey = key;
      String value = readString(file, in, bodyEnd);
      metadata.put(key, value);
    }
    if (bodyEnd - in.position() != 4L * dimension) {
      throw new CorruptedStateException(
          file,
          in.position(),
          (bodyEnd - in.position()) + " weight bytes, expected " + 4L * dimension);
    }
    float[] weights = new float[dimension];
    in.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(weights);
    try {
      return new GlobalModelSnapshot(version, round, weights, metadata, createdAt);
    } catch (IllegalArgumentException e) {
      throw new CorruptedStateException(file, 8, "invalid snapshot: " + e.getMessage());
    }
  }

  private static String readString(Path file, ByteBuffer in, int bodyEnd)
      throws CorruptedStateException {
    int at = in.position();
    if (bodyEnd - at < 2) {
      throw new CorruptedStateException(file, at, "metadata string length past the header");
    }
    int length = Short.toUnsignedInt(in.getShort());
    if (length > GlobalModelSnapshot.MAX_METADATA_STRING_BYTES
        || bodyEnd - in.position() < length) {
      throw new CorruptedStateException(file, at, "metadata string of " + length + " bytes");
    }
    ByteBuffer bytes = in.slice(in.position(), length);
    in.position(in.position() + length);
    try {
      // Strict: a replacement character would make the snapshot's encoding differ from the file.
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptedStateException(file, at, "metadata string is not valid UTF-8");
    }
  }

  /** Encodes a snapshot with its trailing SHA-256; the buffer is flipped, ready to write. */
  static ByteBuffer encode(GlobalModelSnapshot s) {
    List<byte[]> strings = new ArrayList<>();
    int metadataBytes = 0;
    for (Map.Entry<String, String> e : s.metadata().entrySet()) {
      byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
      strings.add(k);
      strings.add(v);
      metadataBytes += 4 + k.length + v.length;
    }
    int size = FIXED_HEADER_BYTES + metadataBytes + 4 * s.dimension() + DurableFiles.SHA256_BYTES;
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
    out.putInt(MAGIC)
        .putInt(FORMAT_VERSION)
        .putLong(s.version())
        .putLong(s.round())
        .putLong(s.createdAtMillis())
        .putInt(s.dimension())
        .putInt(s.metadata().size());
    for (byte[] b : strings) {
      out.putShort((short) b.length).put(b);
    }
    out.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(s.weights());
    out.position(out.position() + 4 * s.dimension());
    MessageDigest sha = DurableFiles.sha256();
    sha.update(out.array(), 0, out.position());
    out.put(sha.digest());
    return out.flip();
  }

  private void prune() throws IOException {
    TreeMap<Long, Path> files = versionMap();
    while (files.size() > config.keep()) {
      Map.Entry<Long, Path> oldest = files.pollFirstEntry();
      Files.deleteIfExists(oldest.getValue());
      LOG.debug("Checkpoints {}: pruned {}", dir, oldest.getValue().getFileName());
    }
    DurableFiles.forceDirectory(dir);
  }

  private List<Path> filesNewestFirst() throws IOException {
    List<Path> files = new ArrayList<>(versionMap().descendingMap().values());
    return files;
  }

  private TreeMap<Long, Path> versionMap() throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        long version = versionOf(p.getFileName().toString());
        if (version > 0) {
          files.put(version, p);
        }
      }
    }
    return files;
  }

  /** The version in a checkpoint file name, or 0 if the name is not a checkpoint's. */
  static long versionOf(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return 0;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String fileName(long version) {
    return String.format("checkpoint-%020d.fgck", version);
  }
}
