package org.fedgossip.core.aggregation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.fedgossip.core.math.ParallelRunner;

/**
 * A rule named on the command line or in a config file ({@code aggregation.rule}), with its
 * parameters: f Byzantine inputs, m kept inputs (Multi-Krum) and the trim fraction β (trimmed
 * mean).
 *
 * <p>It is the one place that maps names to rules, so {@code fedgossip bench aggregate} and {@code
 * fedgossip aggregate} accept the same names: {@code fedavg}, {@code median}, {@code trimmed-mean},
 * {@code krum}, {@code multi-krum}, {@code bulyan}. Defaults that depend on n are resolved by
 * {@link #create}: m = n − f (Blanchard et al. 2017, Sec. 4) and β = f/n (Yin et al. 2018, β ≥
 * f/n).
 *
 * @param kind the rule
 * @param byzantine f ≥ 0
 * @param keep m ≥ 1 for Multi-Krum, or 0 for the default n − f
 * @param trimFraction β in [0, 0.5) for the trimmed mean, or NaN for the default f/n
 */
public record RuleSpec(Kind kind, int byzantine, int keep, double trimFraction) {

  /** The rules this runtime implements, by command-line name. */
  public enum Kind {
    /** {@link FedAvg}. */
    FEDAVG("fedavg"),
    /** {@link CoordinateMedian}. */
    MEDIAN("median"),
    /** {@link TrimmedMean}. */
    TRIMMED_MEAN("trimmed-mean"),
    /** {@link Krum}. */
    KRUM("krum"),
    /** {@link MultiKrum}. */
    MULTI_KRUM("multi-krum"),
    /** {@link Bulyan}. */
    BULYAN("bulyan");

    private final String cliName;

    Kind(String cliName) {
      this.cliName = cliName;
    }

    /**
     * The name used on the command line.
     *
     * @return for example {@code "multi-krum"}
     */
    public String cliName() {
      return cliName;
    }

    /**
     * Looks a rule up by its command-line name, ignoring case.
     *
     * @param name the name
     * @return the rule kind
     * @throws IllegalArgumentException naming the allowed names if {@code name} is unknown
     */
    public static Kind fromName(String name) {
      for (Kind k : values()) {
        if (k.cliName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown aggregation rule '" + name + "', expected one of " + String.join(", ", names()));
    }

    /**
     * Every command-line name, in declaration order.
     *
     * @return the names
     */
    public static List<String> names() {
      return Arrays.stream(values()).map(Kind::cliName).collect(Collectors.toList());
    }
  }

  /**
   * Validates the parameters that do not depend on n.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public RuleSpec {
    if (kind == null) {
      throw new IllegalArgumentException("rule kind must not be null");
    }
    if (byzantine < 0) {
      throw new IllegalArgumentException(
          "the number of Byzantine inputs f must be >= 0, got " + byzantine);
    }
    if (keep < 0) {
      throw new IllegalArgumentException(
          "the number of kept inputs m must be >= 1 (or 0 for n - f), got " + keep);
    }
    if (!Double.isNaN(trimFraction) && !(trimFraction >= 0 && trimFraction < 0.5)) {
      throw new IllegalArgumentException(
          "the trim fraction beta must be in [0, 0.5), got " + trimFraction);
    }
  }

  /**
   * Parses a rule name with its parameters.
   *
   * @param name one of {@link Kind#names()}, any case
   * @param byzantine f ≥ 0
   * @param keep m ≥ 1, or {@code null} for the default n − f
   * @param trimFraction β in [0, 0.5), or {@code null} for the default f/n
   * @return the spec
   * @throws IllegalArgumentException naming the bad value
   */
  public static RuleSpec parse(String name, int byzantine, Integer keep, Double trimFraction) {
    if (keep != null && keep < 1) {
      throw new IllegalArgumentException("the number of kept inputs m must be >= 1, got " + keep);
    }
    return new RuleSpec(
        Kind.fromName(name),
        byzantine,
        keep == null ? 0 : keep,
        trimFraction == null ? Double.NaN : trimFraction);
  }

  /**
   * Builds the rule for n inputs, resolving the defaults and checking the rule's precondition.
   *
   * @param n the number of inputs the rule will see
   * @param runner where the rule's kernels run
   * @return the rule
   * @throws IllegalArgumentException naming the rule and the numbers if n is not allowed
   */
  public AggregationRule create(int n, ParallelRunner runner) {
    AggregationRule rule =
        switch (kind) {
          case FEDAVG -> new FedAvg(runner);
          case MEDIAN -> new CoordinateMedian(runner);
          case TRIMMED_MEAN -> new TrimmedMean(resolvedTrimFraction(n), runner);
          case KRUM -> new Krum(byzantine, runner);
          case MULTI_KRUM ->
              new MultiKrum(byzantine, keep == 0 ? Math.max(1, n - byzantine) : keep, runner);
          case BULYAN -> new Bulyan(byzantine, runner);
        };
    rule.checkInputCount(n);
    return rule;
  }

  private double resolvedTrimFraction(int n) {
    if (!Double.isNaN(trimFraction)) {
      return trimFraction;
    }
    double beta = n > 0 ? (double) byzantine / n : 0;
    if (beta >= 0.5) {
      throw new IllegalArgumentException(
          "trimmed mean needs f/n < 0.5 for its default trim fraction, got f="
              + byzantine
              + ", n="
              + n);
    }
    return beta;
  }
}
