package org.fedgossip.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedgossip.core.privacy.PrivacyEvent;
import org.fedgossip.core.privacy.RdpAccountant;
import org.fedgossip.core.privacy.RdpAccountant.NoiseCalibration;
import org.fedgossip.core.privacy.RdpAccountant.PrivacySpent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code fedgossip privacy}: the (ε, δ) of the Poisson-sampled Gaussian mechanism, or the noise
 * multiplier that reaches a target ε.
 *
 * <p>It runs the same {@link RdpAccountant} as the peers (Mironov, Talwar and Zhang 2019, Section
 * 3.3; Balle et al. 2020, Theorem 21), so an operator can size a budget before a federation starts.
 * Bad option values are usage errors (exit code 2) whose message names the option and the value.
 */
@Command(
    name = "privacy",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    descriptionHeading = "%n",
    description = {
      "Compute the (epsilon, delta) of DP-SGD-style training, or the noise it needs.",
      "",
      "Accounts T steps of the Poisson-sampled Gaussian mechanism: at each step every record is"
          + " sampled independently with probability Q, the sum of the sampled, L2-clipped"
          + " contributions is released with Gaussian noise of standard deviation S times the"
          + " clipping norm.",
      "",
      "With --noise-multiplier it prints the epsilon reached at --delta and the Renyi order that"
          + " gives it. With --target-epsilon instead, it finds the smallest noise multiplier in"
          + " [0.01, 10000] whose epsilon is at most the target (bisection to a relative 1e-9) and"
          + " prints it with the epsilon it reaches.",
      "",
      "Method: Renyi DP of the sampled Gaussian mechanism per Mironov, Talwar and Zhang 2019,"
          + " 'Renyi Differential Privacy of the Sampled Gaussian Mechanism', Section 3.3"
          + " (integer and fractional orders), summed over steps, then converted to (epsilon,"
          + " delta) by Balle et al. 2020, 'Hypothesis Testing Interpretations and Renyi"
          + " Differential Privacy', Theorem 21, minimised over the orders 1.1, 1.2, ..., 10.9,"
          + " 12, 13, ..., 63 (the defaults of Opacus). Epsilon is in nats (natural logarithm).",
    },
    optionListHeading = "%nOptions:%n",
    footerHeading = "%nExamples:%n",
    footer = {
      "  fedgossip privacy --sampling-rate 0.0025 --noise-multiplier 1.3 \\",
      "      --steps 6000 --delta 1e-5",
      "  fedgossip privacy --sampling-rate 0.0025 --target-epsilon 1.0 \\",
      "      --steps 6000 --delta 1e-5 --json",
    })
final class PrivacyCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--sampling-rate",
      required = true,
      paramLabel = "Q",
      description =
          "Poisson sampling probability of each record per step, in (0, 1]; for example batch"
              + " size / dataset size. 1 means every record every step (no amplification).")
  private double samplingRate;

  @Option(
      names = "--noise-multiplier",
      paramLabel = "S",
      description =
          "Noise standard deviation divided by the L2 clipping norm (sensitivity); > 0,"
              + " dimensionless. Give this or --target-epsilon, not both.")
  private Double noiseMultiplier;

  @Option(
      names = "--target-epsilon",
      paramLabel = "E",
      description =
          "Epsilon to stay within, in nats, > 0: solve for the smallest noise multiplier that"
              + " reaches it. Give this or --noise-multiplier, not both.")
  private Double targetEpsilon;

  @Option(
      names = "--steps",
      required = true,
      paramLabel = "T",
      description =
          "Number of noisy releases (training steps) composed, >= 1; epochs x dataset size /"
              + " batch size for DP-SGD.")
  private long steps;

  @Option(
      names = "--delta",
      required = true,
      paramLabel = "D",
      description =
          "Target delta, in (0, 1): the probability mass allowed to escape the epsilon bound;"
              + " usually well below 1 / dataset size.")
  private double delta;

  @Option(
      names = "--json",
      description =
          "Print one JSON object instead of text: {\"epsilon\": ..., \"order\": ...}, or with"
              + " --target-epsilon {\"noise_multiplier\": ..., \"epsilon\": ..., \"order\": ...}.")
  private boolean json;

  PrivacyCommand() {}

  @Override
  public Integer call() {
    validate();
    RdpAccountant accountant = RdpAccountant.withDefaultOrders();
    PrintWriter out = spec.commandLine().getOut();
    if (noiseMultiplier != null) {
      PrivacySpent spent =
          accountant.epsilon(
              List.of(new PrivacyEvent(samplingRate, noiseMultiplier, steps)), delta);
      if (!Double.isFinite(spent.epsilon())) {
        throw usageError("--noise-multiplier", noiseMultiplier, "is too small: epsilon overflows");
      }
      if (json) {
        out.println(
            "{\"epsilon\": "
                + number(spent.epsilon())
                + ", \"order\": "
                + number(spent.order())
                + "}");
      } else {
        out.printf(
            Locale.ROOT,
            "epsilon = %.10g at delta = %s (best Renyi order %s)%n",
            spent.epsilon(),
            delta,
            number(spent.order()));
        out.printf(
            Locale.ROOT,
            "for %d steps of the sampled Gaussian mechanism, sampling rate %s, noise multiplier"
                + " %s%n",
            steps,
            samplingRate,
            noiseMultiplier);
      }
    } else {
      NoiseCalibration found;
      try {
        found = accountant.calibrateNoise(samplingRate, steps, delta, targetEpsilon);
      } catch (IllegalArgumentException e) {
        throw usageError("--target-epsilon", targetEpsilon, "cannot be reached: " + e.getMessage());
      }
      if (json) {
        out.println(
            "{\"noise_multiplier\": "
                + number(found.noiseMultiplier())
                + ", \"epsilon\": "
                + number(found.epsilon())
                + ", \"order\": "
                + number(found.order())
                + "}");
      } else {
        out.printf(
            Locale.ROOT,
            "noise multiplier = %.10g reaches epsilon = %.10g <= %s at delta = %s (best Renyi"
                + " order %s)%n",
            found.noiseMultiplier(),
            found.epsilon(),
            targetEpsilon,
            delta,
            number(found.order()));
        out.printf(
            Locale.ROOT,
            "for %d steps of the sampled Gaussian mechanism, sampling rate %s%n",
            steps,
            samplingRate);
      }
    }
    out.flush();
    return 0;
  }

  private void validate() {
    if (!(samplingRate > 0.0 && samplingRate <= 1.0)) {
      throw usageError("--sampling-rate", samplingRate, "is not in (0, 1]");
    }
    if (steps < 1) {
      throw usageError("--steps", steps, "is not >= 1");
    }
    if (!(delta > 0.0 && delta < 1.0)) {
      throw usageError("--delta", delta, "is not in (0, 1)");
    }
    if (noiseMultiplier != null && targetEpsilon != null) {
      throw new ParameterException(
          spec.commandLine(),
          "Give either --noise-multiplier or --target-epsilon, not both (got --noise-multiplier="
              + noiseMultiplier
              + " and --target-epsilon="
              + targetEpsilon
              + ")");
    }
    if (noiseMultiplier == null && targetEpsilon == null) {
      throw new ParameterException(
          spec.commandLine(),
          "Missing option: give either --noise-multiplier=<S> or --target-epsilon=<E>");
    }
    if (noiseMultiplier != null && !(noiseMultiplier > 0.0 && noiseMultiplier < Double.MAX_VALUE)) {
      throw usageError("--noise-multiplier", noiseMultiplier, "is not a finite number > 0");
    }
    if (targetEpsilon != null && !(targetEpsilon > 0.0 && targetEpsilon < Double.MAX_VALUE)) {
      throw usageError("--target-epsilon", targetEpsilon, "is not a finite number > 0");
    }
  }

  private ParameterException usageError(String option, Object value, String problem) {
    return new ParameterException(
        spec.commandLine(), "Invalid value for option '" + option + "': " + value + " " + problem);
  }

  /** A JSON number: integral values without a fraction (19), others in Java's shortest form. */
  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
