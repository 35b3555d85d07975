package org.fedgossip.simulations.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedgossip.secureagg.MaskExpander;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark of SecAgg+ mask expansion (Bonawitz et al. 2017, Sec. 3.2; Bell et al. 2020): one
 * client's masks, its self mask and its k pair masks, folded into a d-word vector by {@link
 * MaskExpander#apply}, end to end: AES-128-CTR keystream plus the additions mod 2^32.
 *
 * <p>The defaults are the setting: d = 100,000 and k = 14 (the default degree for n = 100),
 * so each operation expands 15 × 400,000 bytes = 6 MB of mask words; throughput in GB/s is 6.0
 * divided by the reported milliseconds. Invocations cycle through 64 sets of seeds, drawn again
 * before every iteration, so the key schedule is set up per mask as in a real round. {@code lanes}
 * = 1 runs on the benchmark thread alone; 2 splits each call over both cores of the reference
 * machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class MaskExpansionBenchmark {

  /** Vector dimension d. */
  @Param({"100000"})
  int dim;

  /** Masks per call: the self mask and k pair masks. */
  @Param({"15"})
  int masks;

  /** Lanes of the expander. */
  @Param({"1", "2"})
  int lanes;

  private static final int SEED_SETS = 64;

  private MaskExpander expander;
  private int[] vector;
  private final List<List<MaskExpander.Term>> seedSets = new ArrayList<>();
  private int next;
  private SplittableRandom random;

  /** Makes the expander, the vector and the first seeds. */
  @Setup(Level.Trial)
  public void setUp() {
    expander = new MaskExpander(lanes);
    vector = new int[dim];
    random = new SplittableRandom(7);
    refill();
  }

  /** Draws fresh seeds for the next iteration. */
  @Setup(Level.Iteration)
  public void refill() {
    seedSets.clear();
    for (int s = 0; s < SEED_SETS; s++) {
      List<MaskExpander.Term> terms = new ArrayList<>(masks);
      for (int m = 0; m < masks; m++) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        terms.add(new MaskExpander.Term(seed, (m & 1) == 1));
      }
      seedSets.add(terms);
    }
  }

  /**
   * Folds one client's masks into the vector.
   *
   * @return the vector, so the work cannot be eliminated
   */
  @Benchmark
  public int[] oneClientsMasks() {
    List<MaskExpander.Term> terms = seedSets.get(next);
    next = (next + 1) % SEED_SETS;
    expander.apply(terms, vector);
    return vector;
  }
}
