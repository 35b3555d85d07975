package org.fedgossip.core.privacy;

/**
 * Thrown when a release would push the spent ε past the {@link PrivacyBudget}; nothing was charged.
 *
 * <p>It is a checked exception on purpose: running out of budget is an expected end of a peer's
 * participation, not a bug, and every caller about to release data must decide what to do instead
 * (stop training, skip the round). The message gives the ε already spent, the ε of the refused
 * request on its own, the total it would have reached and the budget, all at the budget's δ.
 */
public final class PrivacyBudgetExceededException extends Exception {

  private static final long serialVersionUID = 1L;

  private final double spentEpsilon;
  private final double requestedEpsilon;
  private final double totalEpsilon;
  private final PrivacyBudget budget;

  /**
   * Creates the exception.
   *
   * @param spentEpsilon ε already spent before the request, in nats
   * @param requestedEpsilon ε of the refused event on its own, in nats
   * @param totalEpsilon ε the ledger would have reached with the event, in nats
   * @param budget the budget that would have been exceeded
   */
  public PrivacyBudgetExceededException(
      double spentEpsilon, double requestedEpsilon, double totalEpsilon, PrivacyBudget budget) {
    super(
        String.format(
            java.util.Locale.ROOT,
            "privacy budget exceeded: spent epsilon %.6g, requested epsilon %.6g alone, total would"
                + " be %.6g > budget epsilon %.6g at delta %.3g",
            spentEpsilon,
            requestedEpsilon,
            totalEpsilon,
            budget.epsilon(),
            budget.delta()));
    this.spentEpsilon = spentEpsilon;
    this.requestedEpsilon = requestedEpsilon;
    this.totalEpsilon = totalEpsilon;
    this.budget = budget;
  }

  /**
   * Returns the ε already spent before the refused request.
   *
   * @return ε in nats
   */
  public double spentEpsilon() {
    return spentEpsilon;
  }

  /**
   * Returns the ε of the refused event on its own.
   *
   * @return ε in nats
   */
  public double requestedEpsilon() {
    return requestedEpsilon;
  }

  /**
   * Returns the ε the ledger would have reached had the event been charged.
   *
   * @return ε in nats
   */
  public double totalEpsilon() {
    return totalEpsilon;
  }

  /**
   * Returns the budget that would have been exceeded.
   *
   * @return the budget
   */
  public PrivacyBudget budget() {
    return budget;
  }
}
