package org.fedgossip.simulations.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedgossip.core.aggregation.AggregationRule;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.math.PairwiseDistances;
import org.fedgossip.core.math.ParallelRunner;
import org.fedgossip.simulations.SyntheticUpdates;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the aggregation kernels: the distance matrix and each robust rule.
 *
 * <p>Inputs match {@code fedgossip bench aggregate}: n − f honest updates uniform in [−1, 1) and f
 * Byzantine ones shifted by +100, from a fixed seed. The forked JVM gets {@code --add-modules
 * jdk.incubator.vector}, so the SIMD Gram kernel runs; pass {@code -jvmArgs -Xmx4g} alone to
 * measure the scalar fallback. One operation is one full aggregation of n updates of dimension d.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AggregationBenchmark {

  /** Number of updates n. */
  @Param({"50"})
  public int clients;

  /** Dimension d of every update. */
  @Param({"1000000", "100000"})
  public int dim;

  /** Byzantine updates f, also the rules' f. */
  @Param({"10"})
  public int byzantine;

  /** Kernel threads. */
  @Param({"2"})
  public int threads;

  private List<float[]> updates;
  private ParallelRunner runner;
  private AggregationRule krum;
  private AggregationRule multiKrum;
  private AggregationRule bulyan;
  private AggregationRule median;
  private AggregationRule trimmedMean;
  private AggregationRule fedAvg;

  /** Builds the seeded inputs and the rules once per trial. */
  @Setup(Level.Trial)
  public void setUp() {
    updates = SyntheticUpdates.withFarByzantine(clients, dim, byzantine, 1L);
    runner = ParallelRunner.withThreads(threads);
    krum = RuleSpec.parse("krum", byzantine, null, null).create(clients, runner);
    multiKrum = RuleSpec.parse("multi-krum", byzantine, null, null).create(clients, runner);
    bulyan = RuleSpec.parse("bulyan", byzantine, null, null).create(clients, runner);
    median = RuleSpec.parse("median", byzantine, null, null).create(clients, runner);
    trimmedMean = RuleSpec.parse("trimmed-mean", byzantine, null, null).create(clients, runner);
    fedAvg = RuleSpec.parse("fedavg", byzantine, null, null).create(clients, runner);
  }

  /** Stops the kernel threads. */
  @TearDown(Level.Trial)
  public void tearDown() {
    runner.close();
  }

  /**
   * The pairwise squared-distance matrix alone.
   *
   * @return the matrix, consumed by JMH
   */
  @Benchmark
  public double[][] distanceMatrix() {
    return PairwiseDistances.squared(updates, runner);
  }

  /**
   * Krum.
   *
   * @return the aggregate
   */
  @Benchmark
  public float[] krum() {
    return krum.aggregate(updates).aggregate();
  }

  /**
   * Multi-Krum with m = n − f.
   *
   * @return the aggregate
   */
  @Benchmark
  public float[] multiKrum() {
    return multiKrum.aggregate(updates).aggregate();
  }

  /**
   * Bulyan.
   *
   * @return the aggregate
   */
  @Benchmark
  public float[] bulyan() {
    return bulyan.aggregate(updates).aggregate();
  }

  /**
   * Coordinate-wise median.
   *
   * @return the aggregate
   */
  @Benchmark
  public float[] median() {
    return median.aggregate(updates).aggregate();
  }

  /**
   * Trimmed mean with β = f/n.
   *
   * @return the aggregate
   */
  @Benchmark
  public float[] trimmedMean() {
    return trimmedMean.aggregate(updates).aggregate();
  }

  /**
   * FedAvg, for the memory-bandwidth floor.
   *
   * @return the aggregate
   */
  @Benchmark
  public float[] fedAvg() {
    return fedAvg.aggregate(updates).aggregate();
  }
}
