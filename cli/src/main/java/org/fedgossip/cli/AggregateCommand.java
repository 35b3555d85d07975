package org.fedgossip.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedgossip.core.aggregation.AggregationResult;
import org.fedgossip.core.aggregation.AggregationRule;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.core.io.NpyArray;
import org.fedgossip.core.io.NpyReader;
import org.fedgossip.core.io.NpyWriter;
import org.fedgossip.core.math.ParallelRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip aggregate}: combines model updates stored as NumPy {@code .npy} files with one
 * of the robust rules, writes the aggregate as {@code .npy} and reports which inputs the rule
 * selected and which it rejected.
 *
 * <p>This is how a user checks a rule on real updates exported from Python tools. Inputs may be
 * float32 or float64 of any shape, all the same shape; the aggregate is computed in float32 and
 * written as float32 with that shape. The output is written to a temporary file beside the
 * destination and renamed into place, so a crash never leaves a half-written aggregate.
 */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Aggregate model updates stored as .npy files with a Byzantine-robust rule.",
      "",
      "Writes the aggregate to --out (float32, the inputs' shape) and prints which inputs were"
          + " selected and which were rejected.",
      "Rules: fedavg (weighted mean), median (coordinate-wise), trimmed-mean (Yin et al. 2018),"
          + " krum and multi-krum (Blanchard et al. 2017), bulyan (El Mhamdi et al. 2018).",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  fedgossip aggregate --rule krum --byzantine 1 --out agg.npy u1.npy u2.npy u3.npy u4.npy"
          + " u5.npy",
      "  fedgossip aggregate --rule fedavg --weights 120,80,200 --out agg.npy a.npy b.npy c.npy",
      "",
      "Exit codes: 0 success, 1 an input could not be read or the output written, 2 bad options"
          + " or inputs the rule refuses."
    })
final class AggregateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--rule",
      defaultValue = "fedavg",
      paramLabel = "RULE",
      description =
          "fedavg, median, trimmed-mean, krum, multi-krum or bulyan (default: ${DEFAULT-VALUE}).")
  String rule;

  @Option(
      names = {"-f", "--byzantine"},
      defaultValue = "0",
      paramLabel = "F",
      description =
          "Number of Byzantine inputs f the rule must tolerate. Krum and Multi-Krum need"
              + " n > 2f+2, Bulyan n >= 4f+3 (default: ${DEFAULT-VALUE}).")
  int byzantine;

  @Option(
      names = "--keep",
      paramLabel = "M",
      description = "Multi-Krum: how many best-scored inputs to average (default: n - f).")
  Integer keep;

  @Option(
      names = "--trim-fraction",
      paramLabel = "BETA",
      description =
          "Trimmed mean: fraction cut from each end of every coordinate, in [0, 0.5)"
              + " (default: f/n).")
  Double trimFraction;

  @Option(
      names = "--weights",
      split = ",",
      paramLabel = "W",
      description =
          "FedAvg: one weight per input, such as sample counts, finite and > 0 (default: equal)."
              + " The robust rules ignore weights, so one peer cannot claim a large share.")
  double[] weights;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "OUT.npy",
      description = "Where to write the aggregate.")
  Path out;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Kernel threads (default: the available processors).")
  Integer threads;

  @Option(
      names = "--json",
      description =
          "Print one JSON object: the rule, the output, and the selected and rejected inputs.")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "IN.npy", description = "The updates, one file each.")
  List<Path> inputs;

  @Override
  public Integer call() {
    int n = inputs.size();
    if (byzantine < 0) {
      throw usage("--byzantine", "must be >= 0, got " + byzantine);
    }
    int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (threadCount < 1) {
      throw usage("--threads", "must be >= 1, got " + threadCount);
    }
    if (weights != null && weights.length != n) {
      throw usage("--weights", "gives " + weights.length + " weights for " + n + " input files");
    }
    RuleSpec ruleSpec;
    try {
      ruleSpec = RuleSpec.parse(rule, byzantine, keep, trimFraction);
    } catch (IllegalArgumentException e) {
      throw usage(optionOf(e.getMessage()), e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    if (weights != null && ruleSpec.kind() != RuleSpec.Kind.FEDAVG) {
      err.println(
          "warning: --weights is ignored by "
              + ruleSpec.kind().cliName()
              + "; only fedavg uses it");
    }

    List<float[]> updates = new ArrayList<>(n);
    long[] shape = null;
    NpyReader reader = new NpyReader();
    for (int i = 0; i < n; i++) {
      Path file = inputs.get(i);
      NpyArray array;
      try {
        array = reader.read(file);
      } catch (IOException e) {
        err.println("error: cannot read input " + file + ": " + describe(e));
        return 1;
      }
      if (shape == null) {
        shape = array.shape();
      } else if (!Arrays.equals(shape, array.shape())) {
        throw new ParameterException(
            spec.commandLine(),
            "Inputs must all have one shape: "
                + inputs.get(0)
                + " has "
                + shapeText(shape)
                + " but "
                + file
                + " has "
                + shapeText(array.shape()));
      }
      float[] values = toFloats(array);
      for (int k = 0; k < values.length; k++) {
        if (!Float.isFinite(values[k])) {
          throw new ParameterException(
              spec.commandLine(),
              "Input "
                  + file
                  + " has the non-finite value "
                  + values[k]
                  + " at flat index "
                  + k
                  + "; all values must be finite");
        }
      }
      updates.add(values);
    }

    AggregationResult result;
    try (ParallelRunner runner = ParallelRunner.withThreads(threadCount)) {
      AggregationRule aggregation = ruleSpec.create(n, runner);
      result =
          aggregation.aggregate(updates, ruleSpec.kind() == RuleSpec.Kind.FEDAVG ? weights : null);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }

    try {
      writeAtomically(new NpyArray.Float32(shape, result.aggregate()), out);
    } catch (IOException e) {
      err.println("error: cannot write " + out + ": " + describe(e));
      return 1;
    }
    report(ruleSpec, result);
    return 0;
  }

  private void report(RuleSpec ruleSpec, AggregationResult result) {
    PrintWriter stdout = spec.commandLine().getOut();
    if (json) {
      stdout.printf(
          Locale.ROOT,
          "{\"rule\": \"%s\", \"inputs\": %d, \"out\": %s, \"selected\": %s, \"rejected\": %s}%n",
          ruleSpec.kind().cliName(),
          inputs.size(),
          Json.quote(out.toString()),
          jsonFiles(result.selected()),
          jsonFiles(result.rejected()));
    } else {
      stdout.printf(
          Locale.ROOT,
          "%s over %d inputs (f=%d): wrote %s%n",
          ruleSpec.kind().cliName(),
          inputs.size(),
          byzantine,
          out);
      stdout.println("selected (" + result.selected().length + "):");
      for (int i : result.selected()) {
        stdout.println("  [" + i + "] " + inputs.get(i));
      }
      stdout.println("rejected (" + result.rejected().length + "):");
      for (int i : result.rejected()) {
        stdout.println("  [" + i + "] " + inputs.get(i));
      }
    }
    stdout.flush();
  }

  private static float[] toFloats(NpyArray array) {
    if (array instanceof NpyArray.Float32 f32) {
      return f32.data();
    }
    double[] data = ((NpyArray.Float64) array).data();
    float[] values = new float[data.length];
    for (int i = 0; i < data.length; i++) {
      values[i] = (float) data[i];
    }
    return values;
  }

  private static void writeAtomically(NpyArray array, Path destination) throws IOException {
    Path absolute = destination.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
    try {
      new NpyWriter().write(array, temp);
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private String jsonFiles(int[] indices) {
    StringBuilder sb = new StringBuilder("[");
    for (int k = 0; k < indices.length; k++) {
      if (k > 0) {
        sb.append(", ");
      }
      sb.append("{\"index\": ")
          .append(indices[k])
          .append(", \"file\": ")
          .append(Json.quote(inputs.get(indices[k]).toString()))
          .append('}');
    }
    return sb.append(']').toString();
  }

  private static String shapeText(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(shape[i]);
      if (i < shape.length - 1 || shape.length == 1) {
        sb.append(',');
      }
      if (i < shape.length - 1) {
        sb.append(' ');
      }
    }
    return sb.append(')').toString();
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return message == null ? type : message;
  }

  private static String optionOf(String message) {
    if (message == null) {
      return "--rule";
    }
    if (message.contains("kept inputs")) {
      return "--keep";
    }
    if (message.contains("trim fraction")) {
      return "--trim-fraction";
    }
    if (message.contains("Byzantine")) {
      return "--byzantine";
    }
    return "--rule";
  }

  private ParameterException usage(String option, String message) {
    return new ParameterException(
        spec.commandLine(), "Invalid value for option '" + option + "': " + message);
  }
}
