package org.fedgossip.secureagg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mask PRG: AES-128-CTR keyed by the first 16 bytes of a 32-byte seed, counter starting at
 * zero, expanded into 32-bit words added to (or subtracted from) a vector mod 2^32. Bonawitz et al.
 * 2017, Sec. 3.2 and 3.4 need a secure PRG for PRG(b) and PRG(s_uv); AES-CTR is one under the PRF
 * assumption on AES, and the JDK runs it on the AES-NI instructions.
 *
 * <p><b>Why 128-bit keys.</b> The pairwise seeds come from X25519, whose security level is about
 * 128 bits (RFC 7748, Sec. 1), so a 256-bit AES key would add no strength to the protocol; it would
 * only cost four more AES rounds per block (14 instead of 10), about a quarter of the expansion
 * throughput on this project's reference machine (docs/benchmarks.md). Every seed is uniformly
 * random (SecureRandom for b, HKDF-SHA256 output for s_uv), so its first 16 bytes are a uniform
 * AES-128 key.
 *
 * <p>Word i of PRG(seed) is bytes [4i, 4i + 4) of the keystream read little-endian, so it comes
 * from AES block ⌊i / 4⌋. The keystream is made {@value #CHUNK_BYTES} bytes at a time into a reused
 * buffer (small enough to stay in the first-level cache until it is folded in) and added to the
 * vector with a byte-array {@link VarHandle}, so expansion allocates nothing per word. Each seed is
 * used for one vector in one round (the seeds are derived per round), so a key never meets the same
 * counter twice.
 *
 * <p><b>Lanes.</b> {@link #apply(List, int[])} takes all the masks of one vector at once: a
 * client's self mask and its k pair masks, or everything the coordinator removes. With more than
 * one lane the vector is cut into contiguous, block-aligned ranges, and each lane expands every
 * seed over its own range only, starting the counter at the range's first block. The lanes write
 * disjoint words and addition mod 2^32 does not depend on order, so the result is bit-for-bit the
 * one-lane result; only the wall-clock time changes. The first range runs on the caller's thread;
 * the others run on a shared pool of daemon threads.
 *
 * <p>Not thread-safe: one expander per thread.
 */
public final class MaskExpander {

  /** Keystream bytes produced per cipher call. */
  public static final int CHUNK_BYTES = 16 * 1024;

  /** AES key bytes taken from the front of each 32-byte seed. */
  public static final int KEY_BYTES = 16;

  /** The most lanes one expander accepts. */
  public static final int MAX_LANES = 16;

  /**
   * Below this many keystream words in one {@link #apply} call (terms × vector length), a single
   * lane is used: handing work to another thread costs tens of microseconds, which only pays off
   * once there are a few hundred microseconds of AES to share.
   */
  static final long MIN_PARALLEL_WORDS = 256 * 1024;

  private static final int WORDS_PER_BLOCK = 4;
  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte[] ZEROS = new byte[CHUNK_BYTES];

  /**
   * One mask to fold into a vector.
   *
   * @param seed the 32-byte seed; its first 16 bytes are the AES key
   * @param negate subtract PRG(seed) rather than add it
   */
  public record Term(byte[] seed, boolean negate) {

    /** Checks the seed length. */
    public Term {
      Objects.requireNonNull(seed, "seed");
      if (seed.length != 32) {
        throw new IllegalArgumentException("a mask seed has 32 bytes, got " + seed.length);
      }
    }

    /**
     * A term that adds PRG(seed).
     *
     * @param seed the 32-byte seed
     * @return the term
     */
    public static Term plus(byte[] seed) {
      return new Term(seed, false);
    }

    /**
     * A term that subtracts PRG(seed).
     *
     * @param seed the 32-byte seed
     * @return the term
     */
    public static Term minus(byte[] seed) {
      return new Term(seed, true);
    }
  }

  private final Lane[] lanes;

  /** Creates a one-lane expander: every expansion runs on the caller's thread. */
  public MaskExpander() {
    this(1);
  }

  /**
   * Creates an expander that splits each {@link #apply} call over {@code lanes} threads.
   *
   * @param lanes in [1, {@value #MAX_LANES}]; see {@link #machineLanes()}
   */
  public MaskExpander(int lanes) {
    if (lanes < 1 || lanes > MAX_LANES) {
      throw new IllegalArgumentException(
          "mask expansion lanes must be in [1, " + MAX_LANES + "], got " + lanes);
    }
    this.lanes = new Lane[lanes];
    for (int i = 0; i < lanes; i++) {
      this.lanes[i] = new Lane();
    }
  }

  /**
   * One lane per available processor, at most {@value #MAX_LANES}.
   *
   * @return the lane count for an expander that may use the whole machine
   */
  public static int machineLanes() {
    return Math.min(MAX_LANES, Runtime.getRuntime().availableProcessors());
  }

  /**
   * The lanes this expander splits work over.
   *
   * @return at least 1
   */
  public int lanes() {
    return lanes.length;
  }

  /**
   * Adds PRG(seed) to {@code vector}, word by word mod 2^32.
   *
   * @param seed the 32-byte seed; its first 16 bytes are the AES key
   * @param vector the vector to change in place
   */
  public void add(byte[] seed, int[] vector) {
    apply(List.of(Term.plus(seed)), vector);
  }

  /**
   * Subtracts PRG(seed) from {@code vector}, word by word mod 2^32.
   *
   * @param seed the 32-byte seed; its first 16 bytes are the AES key
   * @param vector the vector to change in place
   */
  public void subtract(byte[] seed, int[] vector) {
    apply(List.of(Term.minus(seed)), vector);
  }

  /**
   * Folds every term into {@code vector}: the same result as calling {@link #add} or {@link
   * #subtract} once per term, in any order.
   *
   * @param terms the masks
   * @param vector the vector to change in place
   */
  public void apply(List<Term> terms, int[] vector) {
    Objects.requireNonNull(vector, "vector");
    List<Term> all = List.copyOf(terms);
    if (all.isEmpty() || vector.length == 0) {
      return;
    }
    int used = lanesFor(all.size(), vector.length);
    if (used == 1) {
      lanes[0].expand(all, vector, 0, vector.length);
      return;
    }
    int blocks = (vector.length + WORDS_PER_BLOCK - 1) / WORDS_PER_BLOCK;
    List<Future<?>> helpers = new ArrayList<>(used - 1);
    for (int lane = 1; lane < used; lane++) {
      int from = Math.min(vector.length, rangeStart(blocks, used, lane) * WORDS_PER_BLOCK);
      int to = Math.min(vector.length, rangeStart(blocks, used, lane + 1) * WORDS_PER_BLOCK);
      Lane worker = lanes[lane];
      helpers.add(Pool.EXECUTOR.submit(() -> worker.expand(all, vector, from, to)));
    }
    RuntimeException failure = null;
    try {
      lanes[0].expand(
          all, vector, 0, Math.min(vector.length, rangeStart(blocks, used, 1) * WORDS_PER_BLOCK));
    } catch (RuntimeException e) {
      failure = e;
    }
    // Wait for every helper even after a failure: none may still write into the caller's vector.
    boolean interrupted = false;
    for (Future<?> helper : helpers) {
      while (true) {
        try {
          helper.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = new IllegalStateException("mask expansion failed", e.getCause());
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private int lanesFor(int terms, int words) {
    if (lanes.length == 1 || (long) terms * words < MIN_PARALLEL_WORDS) {
      return 1;
    }
    int blocks = (words + WORDS_PER_BLOCK - 1) / WORDS_PER_BLOCK;
    return Math.min(lanes.length, blocks);
  }

  /** First block of range {@code lane} when {@code blocks} blocks are cut into {@code n} ranges. */
  private static int rangeStart(int blocks, int n, int lane) {
    return (int) ((long) blocks * lane / n);
  }

  /** A cipher and a keystream buffer, used by one thread at a time. */
  private static final class Lane {
    private Cipher cipher;
    private byte[] keystream;

    /** Folds every term into words [from, to); {@code from} is a multiple of 4. */
    void expand(List<Term> terms, int[] vector, int from, int to) {
      if (from >= to) {
        return;
      }
      if (cipher == null) {
        // Allocated on first use: most holders of an expander (every peer of a large simulation)
        // never run secure aggregation, and a buffer each would add up.
        try {
          cipher = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("AES-CTR is not available", e);
        }
        keystream = new byte[CHUNK_BYTES];
      }
      IvParameterSpec counter = counterAt(from / WORDS_PER_BLOCK);
      int wordsPerChunk = CHUNK_BYTES / Integer.BYTES;
      try {
        for (Term term : terms) {
          cipher.init(
              Cipher.ENCRYPT_MODE, new SecretKeySpec(term.seed(), 0, KEY_BYTES, "AES"), counter);
          for (int start = from; start < to; start += wordsPerChunk) {
            int words = Math.min(wordsPerChunk, to - start);
            // Whole AES blocks only, so the cipher never buffers a partial block between calls.
            int bytes = (words * Integer.BYTES + 15) & ~15;
            cipher.update(ZEROS, 0, bytes, keystream, 0);
            if (term.negate()) {
              subtractWords(keystream, vector, start, words);
            } else {
              addWords(keystream, vector, start, words);
            }
          }
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CTR failed", e);
      }
    }
  }

  /** The 128-bit big-endian counter block for AES block {@code block} of the keystream. */
  private static IvParameterSpec counterAt(long block) {
    byte[] iv = new byte[16];
    for (int i = 0; i < 8; i++) {
      iv[15 - i] = (byte) (block >>> (8 * i));
    }
    return new IvParameterSpec(iv);
  }

  private static void addWords(byte[] stream, int[] vector, int start, int words) {
    for (int i = 0; i < words; i++) {
      vector[start + i] += (int) LE_INT.get(stream, i << 2);
    }
  }

  private static void subtractWords(byte[] stream, int[] vector, int start, int words) {
    for (int i = 0; i < words; i++) {
      vector[start + i] -= (int) LE_INT.get(stream, i << 2);
    }
  }

  /** The helper threads shared by every multi-lane expander in the process. */
  private static final class Pool {
    private static final AtomicInteger THREADS = new AtomicInteger();
    static final ExecutorService EXECUTOR =
        Executors.newCachedThreadPool(
            task -> {
              Thread t = new Thread(task, "fedgossip-mask-lane-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });

    private Pool() {}
  }
}
