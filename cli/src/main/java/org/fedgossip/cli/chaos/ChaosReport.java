package org.fedgossip.cli.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The report of a chaos run: the conditions (command, seed, JDK, machine load) and each leg's
 * figures and checks, as a JSON-ready map and as markdown.
 *
 * @param command the command line that reproduces the run
 * @param seed the seed
 * @param jdk the JVM's name and version
 * @param loadBefore the 1, 5 and 15 minute load averages when the run started ({@code
 *     /proc/loadavg}), or {@code unknown}
 * @param loadAfter the same when it ended
 * @param legs each leg's result, in run order
 */
public record ChaosReport(
    String command,
    long seed,
    String jdk,
    String loadBefore,
    String loadAfter,
    List<LegResult> legs) {

  /** Copies the list. */
  public ChaosReport {
    Objects.requireNonNull(command, "command");
    legs = List.copyOf(legs);
  }

  /**
   * Whether every check of every leg passed.
   *
   * @return true when there is at least one leg and every one passed
   */
  public boolean passed() {
    return !legs.isEmpty() && legs.stream().allMatch(LegResult::passed);
  }

  /**
   * The report as a JSON-ready map.
   *
   * @return the map
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("passed", passed());
    m.put("command", command);
    m.put("seed", seed);
    m.put("jdk", jdk);
    m.put("load_before", loadBefore);
    m.put("load_after", loadAfter);
    m.put("legs", legs.stream().map(LegResult::toMap).toList());
    return m;
  }

  /**
   * The report as markdown: one section per leg with its checks, kills, rejections and facts.
   *
   * @return the text
   */
  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Chaos run: ").append(passed() ? "every check passed" : "FAILED").append("\n\n");
    b.append("- command: `").append(command).append("`\n");
    b.append("- seed: ").append(seed).append('\n');
    b.append("- JDK: ").append(jdk).append('\n');
    b.append("- load average (1/5/15 min) before: ").append(loadBefore);
    b.append("; after: ").append(loadAfter).append("\n\n");
    for (LegResult leg : legs) {
      b.append("## Leg `").append(leg.leg()).append("`: ");
      b.append(leg.passed() ? "passed" : "FAILED").append("\n\n");
      b.append(
          String.format(
              Locale.ROOT,
              "- rounds: %d (model versions, chaos run and fault-free run)%n"
                  + "- wall time: %.1f s%n"
                  + "- kills: %d (coordinator %d)%n"
                  + "- basket partitions: %d%n"
                  + "- accuracy at the end: %.4f under chaos, %.4f fault-free%n%n",
              leg.rounds(),
              leg.wallSeconds(),
              leg.totalKills(),
              leg.coordinatorKills(),
              leg.partitions(),
              leg.accuracy(),
              leg.faultFreeAccuracy()));
      b.append("| check | outcome | detail |\n|---|---|---|\n");
      for (Check c : leg.checks()) {
        b.append("| ").append(c.name()).append(" | ").append(c.passed() ? "pass" : "**FAIL**");
        b.append(" | ").append(c.detail().replace("|", "\\|")).append(" |\n");
      }
      b.append("\n| kill target | kills |\n|---|---:|\n");
      leg.kills()
          .forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
      b.append("\n| rejected or dropped (layer.reason) | count |\n|---|---:|\n");
      leg.rejected()
          .forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
      b.append("\n| fact | value |\n|---|---|\n");
      leg.facts()
          .forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
      b.append('\n');
    }
    return b.toString();
  }
}
