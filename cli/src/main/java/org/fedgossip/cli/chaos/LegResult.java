package org.fedgossip.cli.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one leg of a chaos run did and whether every check passed.
 *
 * @param leg {@code emulated} or {@code processes}
 * @param rounds R, the model versions the chaos run and the fault-free run each reached
 * @param wallSeconds wall time of the leg, both runs included
 * @param kills kills by target name ({@code coordinator} or a peer's name)
 * @param partitions basket partitions made and healed
 * @param rejected rejected or dropped packets by layer and reason ({@code gossip.RATE_LIMITED},
 *     {@code runtime.ALREADY_COMBINED}, {@code network.LOST}, ...), zero counts left out
 * @param accuracy held-out accuracy of the chaos run's model at version R
 * @param faultFreeAccuracy the same for the fault-free run with the same seed
 * @param checks every check, in a fixed order
 * @param facts other figures worth reporting, by name
 */
public record LegResult(
    String leg,
    int rounds,
    double wallSeconds,
    Map<String, Long> kills,
    long partitions,
    Map<String, Long> rejected,
    double accuracy,
    double faultFreeAccuracy,
    List<Check> checks,
    Map<String, Object> facts) {

  /** Copies the collections, sorting the maps by key. */
  public LegResult {
    Objects.requireNonNull(leg, "leg");
    kills = java.util.Collections.unmodifiableMap(new TreeMap<>(kills));
    rejected = java.util.Collections.unmodifiableMap(new TreeMap<>(rejected));
    checks = List.copyOf(checks);
    facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  /**
   * Whether every check passed.
   *
   * @return true when every check passed and there is at least one
   */
  public boolean passed() {
    return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
  }

  /**
   * Kills in total.
   *
   * @return the sum over targets
   */
  public long totalKills() {
    return kills.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Kills of the coordinator.
   *
   * @return the count
   */
  public long coordinatorKills() {
    return kills.getOrDefault("coordinator", 0L);
  }

  /**
   * The leg as a JSON-ready map.
   *
   * @return the map
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("leg", leg);
    m.put("passed", passed());
    m.put("rounds", rounds);
    m.put("wall_seconds", wallSeconds);
    m.put("kills_total", totalKills());
    m.put("kills_coordinator", coordinatorKills());
    m.put("kills", new TreeMap<>(kills));
    m.put("partitions", partitions);
    m.put("rejected", new TreeMap<>(rejected));
    m.put("accuracy", accuracy);
    m.put("fault_free_accuracy", faultFreeAccuracy);
    m.put("checks", checks.stream().map(Check::toMap).toList());
    m.put("facts", new LinkedHashMap<>(facts));
    return m;
  }
}
