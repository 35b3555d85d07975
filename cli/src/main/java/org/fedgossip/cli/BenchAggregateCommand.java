package org.fedgossip.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedgossip.core.aggregation.AggregationRule;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.math.PairwiseDistances;
import org.fedgossip.core.math.ParallelRunner;
import org.fedgossip.simulations.SyntheticUpdates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip bench aggregate}: times one aggregation rule on seeded random updates.
 *
 * <p>The n − f honest updates have independent coordinates uniform in [−1, 1); the f Byzantine
 * updates (the last f) are the same plus 100 on every coordinate. After the warm-up runs it times
 * each run with the monotonic clock and prints the median, min and max in seconds, with the
 * conditions (n, d, f, threads, JVM). Bad options exit with code 2 and a message naming the option.
 */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    description = "Time an aggregation rule on n seeded random updates of dimension d.")
final class BenchAggregateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--rule",
      defaultValue = "krum",
      description =
          "fedavg, median, trimmed-mean, krum, multi-krum or bulyan (default: ${DEFAULT-VALUE}).")
  String rule;

  @Option(
      names = "--clients",
      defaultValue = "50",
      description = "Number of updates n (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--dim",
      defaultValue = "1000000",
      description = "Dimension d (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(
      names = "--byzantine",
      defaultValue = "10",
      description = "Byzantine updates f, also the rule's f (default: ${DEFAULT-VALUE}).")
  int byzantine;

  @Option(names = "--keep", description = "Multi-Krum's m (default: n - f).")
  Integer keep;

  @Option(
      names = "--trim-fraction",
      description = "Trimmed mean's beta in [0, 0.5) (default: f/n).")
  Double trimFraction;

  @Option(
      names = "--runs",
      defaultValue = "7",
      description = "Timed runs (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description = "Untimed warm-up runs (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the inputs (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", description = "Kernel threads (default: the available processors).")
  Integer threads;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    requireAtLeast("--clients", clients, 1);
    requireAtLeast("--dim", dim, 1);
    requireAtLeast("--byzantine", byzantine, 0);
    requireAtLeast("--runs", runs, 1);
    requireAtLeast("--warmup", warmup, 0);
    int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    requireAtLeast("--threads", threadCount, 1);
    if (byzantine > clients) {
      throw usage("--byzantine", "must be <= --clients (" + clients + "), got " + byzantine);
    }
    if (keep != null && (keep < 1 || keep > clients)) {
      throw usage("--keep", "must be in [1, --clients=" + clients + "], got " + keep);
    }
    if (trimFraction != null && !(trimFraction >= 0 && trimFraction < 0.5)) {
      throw usage("--trim-fraction", "must be in [0, 0.5), got " + trimFraction);
    }
    RuleSpec ruleSpec;
    try {
      ruleSpec = RuleSpec.parse(rule, byzantine, keep, trimFraction);
    } catch (IllegalArgumentException e) {
      throw usage("--rule", e.getMessage());
    }
    long bytes = 4L * clients * dim;
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (bytes > maxHeap / 2) {
      throw usage(
          "--clients/--dim",
          String.format(
              Locale.ROOT,
              "the inputs need %d MB but the JVM heap allows %d MB; lower them or raise -Xmx",
              bytes >> 20,
              maxHeap >> 20));
    }
    try (ParallelRunner runner = ParallelRunner.withThreads(threadCount)) {
      AggregationRule aggregation;
      try {
        aggregation = ruleSpec.create(clients, runner);
      } catch (IllegalArgumentException e) {
        throw usage("--clients/--byzantine", e.getMessage());
      }
      List<float[]> updates = SyntheticUpdates.withFarByzantine(clients, dim, byzantine, seed);
      for (int w = 0; w < warmup; w++) {
        aggregation.aggregate(updates);
      }
      double[] seconds = new double[runs];
      float sink = 0;
      for (int r = 0; r < runs; r++) {
        long start = System.nanoTime();
        float[] out = aggregation.aggregate(updates).aggregate();
        seconds[r] = (System.nanoTime() - start) / 1e9;
        sink += out[0];
      }
      report(ruleSpec, threadCount, seconds, sink);
    }
    return 0;
  }

  private void report(RuleSpec ruleSpec, int threadCount, double[] seconds, float sink) {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    int r = sorted.length;
    double median = r % 2 == 1 ? sorted[r / 2] : (sorted[r / 2 - 1] + sorted[r / 2]) / 2;
    String jvm =
        System.getProperty("java.vm.name")
            + " "
            + Runtime.version()
            + ", max heap "
            + (Runtime.getRuntime().maxMemory() >> 20)
            + " MB, "
            + Runtime.getRuntime().availableProcessors()
            + " cpus, Gram kernel "
            + PairwiseDistances.kernelName();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.printf(
          Locale.ROOT,
          "{\"median_seconds\": %.6f, \"min_seconds\": %.6f, \"max_seconds\": %.6f, \"rule\": \"%s\","
              + " \"clients\": %d, \"dim\": %d, \"byzantine\": %d, \"threads\": %d, \"runs\": %d,"
              + " \"warmup\": %d, \"seed\": %d, \"jvm\": %s}%n",
          median,
          sorted[0],
          sorted[r - 1],
          ruleSpec.kind().cliName(),
          clients,
          dim,
          byzantine,
          threadCount,
          runs,
          warmup,
          seed,
          Json.quote(jvm));
    } else {
      out.printf(
          Locale.ROOT,
          "%s: median %.4f s (min %.4f s, max %.4f s) over %d runs after %d warm-up%n",
          ruleSpec.kind().cliName(),
          median,
          sorted[0],
          sorted[r - 1],
          runs,
          warmup);
      out.printf(
          Locale.ROOT,
          "conditions: n=%d, d=%d, f=%d, threads=%d, seed=%d, JVM %s%n",
          clients,
          dim,
          byzantine,
          threadCount,
          seed,
          jvm);
      if (!PairwiseDistances.kernelName().startsWith("vector")) {
        out.println(
            "note: the distance kernel is scalar; for the SIMD kernel run with"
                + " JDK_JAVA_OPTIONS=\"--add-modules jdk.incubator.vector\"");
      }
    }
    out.flush();
    if (Float.isNaN(sink)) {
      spec.commandLine().getErr().println("warning: the aggregate held NaN");
    }
  }

  private void requireAtLeast(String option, int value, int min) {
    if (value < min) {
      throw usage(option, "must be >= " + min + ", got " + value);
    }
  }

  private ParameterException usage(String option, String message) {
    return new ParameterException(
        spec.commandLine(), "Invalid value for option '" + option + "': " + message);
  }
}
