package org.fedgossip.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.fedgossip.secureagg.CoordinatorState;
import org.fedgossip.secureagg.LocalSecAggRound;
import org.fedgossip.secureagg.LocalSecAggRound.DropPhase;
import org.fedgossip.secureagg.LocalSecAggRound.Outcome;
import org.fedgossip.secureagg.MaskExpander;
import org.fedgossip.secureagg.NeighbourGraph;
import org.fedgossip.secureagg.SecAggConfig;
import org.fedgossip.secureagg.SecAggResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip bench secagg}: one whole SecAgg+ round (Bonawitz et al. 2017; Bell et al. 2020)
 * in one process, with the state machines' messages routed in memory.
 *
 * <p>A fraction of the participants, chosen by the seed, drop out at the masked-input phase: they
 * advertise keys and share them, then never send a masked input, the costliest case for the
 * coordinator, which must rebuild their mask keys and remove their pairwise masks from the sum.
 * Reports each surviving participant's mean compute time, the coordinator's compute time (both
 * measured as the benchmark thread's CPU time around the state-machine calls, so neither routing
 * nor other processes competing for the cores inflate them; wall-clock time if the JVM cannot
 * measure thread CPU time), the wall-clock time of the whole round, the bytes each survivor sent,
 * whether the sum equals the plain sum of the quantised inputs, and the mask-expansion throughput
 * of AES-CTR. A warm-up round with the same parameters runs first unless {@code --warmup 0}; the
 * times are medians over {@code --runs} timed rounds, each with fresh identities and keys.
 */
@Command(
    name = "secagg",
    mixinStandardHelpOptions = true,
    description = "Time one in-process SecAgg+ round with dropouts at the masked-input phase.")
final class BenchSecAggCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--participants",
      defaultValue = "100",
      description = "Participants n, in [3, 100000] (default: ${DEFAULT-VALUE}).")
  int participants;

  @Option(
      names = "--dim",
      defaultValue = "100000",
      description = "Vector dimension d (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(
      names = "--dropout",
      defaultValue = "0.1",
      description =
          "Fraction in [0, 1) of participants that drop before sending their masked input"
              + " (default: ${DEFAULT-VALUE}).")
  double dropout;

  @Option(
      names = "--neighbours",
      description = "Neighbours k per participant (default: min(n - 1, 2*ceil(log2 n))).")
  Integer neighbours;

  @Option(names = "--threshold", description = "Threshold t, > k/2 (default: floor(k/2) + 1).")
  Integer threshold;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the inputs, the graph and the dropouts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--warmup",
      defaultValue = "1",
      description = "Untimed warm-up rounds with the same parameters (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description =
          "Timed rounds; each figure is the median over them (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--mask-mib",
      defaultValue = "2048",
      description =
          "MiB of mask words expanded for the mask-expansion throughput, in [1, 4096]"
              + " (default: ${DEFAULT-VALUE}).")
  int maskMib;

  @Option(
      names = "--mask-lanes",
      description =
          "Threads that share one client's mask expansion for the multi-lane throughput, in [1, "
              + MaskExpander.MAX_LANES
              + "] (default: one per processor). The one-lane figure is always reported too.")
  Integer maskLanes;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    if (participants < 3 || participants > SecAggConfig.MAX_PARTICIPANTS) {
      throw usage(
          "--participants",
          "must be in [3, " + SecAggConfig.MAX_PARTICIPANTS + "], got " + participants);
    }
    if (dim < 1 || dim > SecAggConfig.MAX_DIMENSION) {
      throw usage("--dim", "must be in [1, " + SecAggConfig.MAX_DIMENSION + "], got " + dim);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw usage("--dropout", "must be in [0, 1), got " + dropout);
    }
    if (maskMib < 1 || maskMib > 4096) {
      throw usage("--mask-mib", "must be in [1, 4096], got " + maskMib);
    }
    int lanes = maskLanes == null ? MaskExpander.machineLanes() : maskLanes;
    if (lanes < 1 || lanes > MaskExpander.MAX_LANES) {
      throw usage("--mask-lanes", "must be in [1, " + MaskExpander.MAX_LANES + "], got " + lanes);
    }
    if (runs < 1) {
      throw usage("--runs", "must be >= 1, got " + runs);
    }
    if (warmup < 0) {
      throw usage("--warmup", "must be >= 0, got " + warmup);
    }
    int k = neighbours == null ? NeighbourGraph.defaultDegree(participants) : neighbours;
    int t = threshold == null ? k / 2 + 1 : threshold;
    SecAggConfig config;
    try {
      config = SecAggConfig.defaults(participants, dim).withNeighbours(k, t);
    } catch (IllegalArgumentException e) {
      throw usage(threshold != null ? "--threshold" : "--neighbours", e.getMessage());
    }
    long bytes = 4L * dim * 16;
    if (bytes > Runtime.getRuntime().maxMemory() / 2) {
      throw usage("--dim", "needs about " + (bytes >> 20) + " MB of heap; raise -Xmx");
    }
    PrintWriter err = spec.commandLine().getErr();
    float[][] pool = inputPool(seed, dim);
    IntFunction<float[]> inputs = i -> pool[i % pool.length];
    Set<Integer> dropped = droppedParticipants(participants, dropout, seed);
    IntFunction<DropPhase> drops =
        i -> dropped.contains(i) ? DropPhase.MASKED_INPUT : DropPhase.NEVER;
    SecureRandom random = new SecureRandom();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
    if (cpuTime) {
      threads.setThreadCpuTimeEnabled(true);
    }
    LongSupplier timer = cpuTime ? threads::getCurrentThreadCpuTime : System::nanoTime;
    for (int w = 0; w < warmup; w++) {
      err.printf(Locale.ROOT, "warm-up round %d of %d...%n", w + 1, warmup);
      err.flush();
      new LocalSecAggRound(config, w, seed + 1 + w, random).run(inputs, drops, random, timer);
    }
    double[] clientMs = new double[runs];
    double[] coordinatorMs = new double[runs];
    double[] wallMs = new double[runs];
    double bytesPerClient = 0;
    boolean exact = true;
    SecAggResult result = null;
    for (int r = 0; r < runs; r++) {
      err.printf(Locale.ROOT, "timed round %d of %d...%n", r + 1, runs);
      err.flush();
      LocalSecAggRound round = new LocalSecAggRound(config, warmup + r, seed + 100 + r, random);
      long wallStart = System.nanoTime();
      Outcome outcome = round.run(inputs, drops, random, timer);
      wallMs[r] = (System.nanoTime() - wallStart) / 1e6;
      if (outcome.coordinator().state() != CoordinatorState.DONE) {
        err.println(outcome.coordinator().failureReason());
        err.flush();
        return 1;
      }
      result = outcome.coordinator().resultOrThrow();
      exact &= Arrays.equals(result.sum(), round.expectedSum(inputs, result.survivors()));
      double clientTotal = 0;
      double sentBytes = 0;
      for (var id : result.survivors()) {
        int i = round.spec().indexOf(id);
        clientTotal += outcome.clientNanos()[i] / 1e6;
        sentBytes += outcome.clients().get(i).bytesSent();
      }
      clientMs[r] = clientTotal / result.survivors().size();
      bytesPerClient = sentBytes / result.survivors().size();
      coordinatorMs[r] = outcome.coordinatorNanos() / 1e6;
    }
    // The rounds above leave garbage that the collector would otherwise clear on the second core
    // while the lanes below need it: collect it first.
    System.gc();
    double[] oneLane = new double[3];
    double[] manyLanes = new double[3];
    for (int r = 0; r < oneLane.length; r++) {
      oneLane[r] = maskThroughput(dim, k + 1, 1, (long) maskMib << 20, System::nanoTime);
      manyLanes[r] = maskThroughput(dim, k + 1, lanes, (long) maskMib << 20, System::nanoTime);
    }
    MaskRate maskGbps = new MaskRate(median(oneLane), lanes, median(manyLanes));
    report(
        config,
        result,
        exact,
        median(clientMs),
        median(coordinatorMs),
        bytesPerClient,
        maskGbps,
        median(wallMs),
        cpuTime ? "thread CPU time" : "wall-clock time");
    return exact ? 0 : 1;
  }

  private void report(
      SecAggConfig config,
      SecAggResult result,
      boolean exact,
      double clientMs,
      double coordinatorMs,
      double bytesPerClient,
      MaskRate maskGbps,
      double roundWallMs,
      String clock) {
    String jvm =
        System.getProperty("java.vm.name")
            + " "
            + Runtime.version()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cpus";
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.printf(
          Locale.ROOT,
          "{\"client_ms\": %.3f, \"coordinator_ms\": %.3f, \"bytes_per_client\": %.0f,"
              + " \"exact\": %s, \"participants\": %d, \"dim\": %d, \"neighbours\": %d,"
              + " \"threshold\": %d, \"survivors\": %d, \"dropped\": %d, \"bits\": %d,"
              + " \"mask_expansion_gb_per_s\": %.2f, \"mask_lanes\": %d,"
              + " \"mask_expansion_one_lane_gb_per_s\": %.2f,"
              + " \"round_wall_ms\": %.1f, \"clock\": \"%s\","
              + " \"runs\": %d, \"seed\": %d, \"jvm\": %s}%n",
          clientMs,
          coordinatorMs,
          bytesPerClient,
          exact,
          config.participants(),
          config.dimension(),
          config.neighbours(),
          config.threshold(),
          result.survivors().size(),
          result.dropped().size(),
          config.quantizer().bits(),
          maskGbps.lanesGbps(),
          maskGbps.lanes(),
          maskGbps.oneLaneGbps(),
          roundWallMs,
          clock,
          runs,
          seed,
          Json.quote(jvm));
    } else {
      out.printf(
          Locale.ROOT,
          "client: %.3f ms mean compute per surviving participant (median of %d rounds),"
              + " %.0f bytes sent%n",
          clientMs,
          runs,
          bytesPerClient);
      out.printf(Locale.ROOT, "coordinator: %.3f ms compute (median)%n", coordinatorMs);
      out.printf(
          Locale.ROOT,
          "compute is %s; one whole in-process round took %.1f ms of wall-clock time (median)%n",
          clock,
          roundWallMs);
      out.printf(
          Locale.ROOT,
          "sum exact: %s (%d survivors, %d dropped before the masked input)%n",
          exact,
          result.survivors().size(),
          result.dropped().size());
      out.printf(
          Locale.ROOT,
          "mask expansion (AES-128-CTR, one client's %d masks, wall-clock): %.2f GB/s on %d lanes,"
              + " %.2f GB/s on one%n",
          config.neighbours() + 1,
          maskGbps.lanesGbps(),
          maskGbps.lanes(),
          maskGbps.oneLaneGbps());
      out.printf(
          Locale.ROOT,
          "conditions: n=%d, d=%d, k=%d, t=%d, b=%d bits, dropout=%s, seed=%d, JVM %s%n",
          config.participants(),
          config.dimension(),
          config.neighbours(),
          config.threshold(),
          config.quantizer().bits(),
          dropout,
          seed,
          jvm);
    }
    out.flush();
  }

  /** The mask-expansion throughput on one lane and on {@code lanes} lanes. */
  record MaskRate(double oneLaneGbps, int lanes, double lanesGbps) {}

  /**
   * Gigabytes of mask words per second that one expander with {@code lanes} lanes folds into a
   * d-word vector, end to end in the caller's wall-clock time: each call applies {@code masks}
   * fresh seeds at once, as a client does with its self mask and its k pair masks. As many untimed
   * calls as timed ones (about {@code targetBytes} of words each) run first.
   */
  static double maskThroughput(
      int dim, int masks, int lanes, long targetBytes, LongSupplier timer) {
    MaskExpander expander = new MaskExpander(lanes);
    int[] vector = new int[dim];
    SplittableRandom seeds = new SplittableRandom(lanes);
    int reps = (int) Math.max(4, targetBytes / (4L * dim * masks));
    for (int i = 0; i < reps; i++) {
      expander.apply(terms(seeds, masks), vector);
    }
    List<List<MaskExpander.Term>> timed = new ArrayList<>(reps);
    for (int i = 0; i < reps; i++) {
      timed.add(terms(seeds, masks));
    }
    long start = timer.getAsLong();
    for (List<MaskExpander.Term> terms : timed) {
      expander.apply(terms, vector);
    }
    double seconds = (timer.getAsLong() - start) / 1e9;
    return 4.0 * dim * masks * reps / seconds / 1e9 + (vector[0] == 42 ? 1e-12 : 0);
  }

  private static List<MaskExpander.Term> terms(SplittableRandom seeds, int masks) {
    List<MaskExpander.Term> terms = new ArrayList<>(masks);
    for (int m = 0; m < masks; m++) {
      byte[] seed = new byte[32];
      seeds.nextBytes(seed);
      terms.add(new MaskExpander.Term(seed, (m & 1) == 1));
    }
    return terms;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int r = sorted.length;
    return r % 2 == 1 ? sorted[r / 2] : (sorted[r / 2 - 1] + sorted[r / 2]) / 2;
  }

  private static float[][] inputPool(long seed, int dim) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] pool = new float[8][dim];
    for (float[] v : pool) {
      for (int j = 0; j < dim; j++) {
        v[j] = (float) (2 * r.nextDouble() - 1);
      }
    }
    return pool;
  }

  private static Set<Integer> droppedParticipants(int n, double fraction, long seed) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    Collections.shuffle(all, new Random(seed));
    return new HashSet<>(all.subList(0, (int) Math.round(fraction * n)));
  }

  private ParameterException usage(String option, String message) {
    return new ParameterException(
        spec.commandLine(), "Invalid value for option '" + option + "': " + message);
  }
}
