package org.fedgossip.core.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a peer or the coordinator reports about itself, for {@code fedgossip status} and {@code
 * /status}.
 *
 * @param role {@code peer} or {@code coordinator}
 * @param peerId the process's id
 * @param basket its basket ({@code -} for the coordinator)
 * @param round the current round
 * @param modelVersion the global model version held
 * @param epsilonSpent ε spent by this process's ledger
 * @param epsilonRemaining budget ε minus spent
 * @param budgetExhausted whether the ledger refused a release: a peer stopped sharing, a
 *     coordinator stopped publishing
 * @param membersSeen peers seen live (basket members on a peer, delegates on the coordinator)
 * @param lastAccuracy accuracy of the newest model on this process's evaluation data, or NaN
 * @param note a one-line human-readable state, such as why the process is waiting
 */
public record NodeStatus(
    String role,
    String peerId,
    String basket,
    long round,
    long modelVersion,
    double epsilonSpent,
    double epsilonRemaining,
    boolean budgetExhausted,
    int membersSeen,
    double lastAccuracy,
    String note) {

  /**
   * The status as JSON-ready fields, with the keys {@code fedgossip status} reads.
   *
   * @return an ordered map
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("peer_id", peerId);
    m.put("basket", basket);
    m.put("round", round);
    m.put("model_version", modelVersion);
    m.put("epsilon_spent", epsilonSpent);
    m.put("epsilon_remaining", epsilonRemaining);
    m.put("budget_exhausted", budgetExhausted);
    m.put("members_seen", membersSeen);
    if (!Double.isNaN(lastAccuracy)) {
      m.put("last_accuracy", lastAccuracy);
    }
    m.put("note", note);
    return m;
  }
}
