package org.fedgossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchSecAggCommandTest extends CommandTestSupport {

  @Test
  void jsonStartsWithTheFourRequiredKeysAndTheSumIsExact() {
    String[] args = {
      "bench",
      "secagg",
      "--participants",
      "6",
      "--dim",
      "500",
      "--dropout",
      "0.34",
      "--warmup",
      "0",
      "--runs",
      "1",
      "--mask-mib",
      "1",
      "--json"
    };
    int exit = run(args);

    assertThat(exit).as(err.toString()).isZero();
    String json = out.toString().trim();
    assertThat(json)
        .matches(
            "\\{\"client_ms\": [0-9.]+, \"coordinator_ms\": [0-9.]+, \"bytes_per_client\": [0-9]+,"
                + " \"exact\": true, .*\\}")
        .contains("\"survivors\": 4")
        .contains("\"dropped\": 2")
        .contains("\"neighbours\": 5")
        .contains("\"threshold\": 3")
        .containsPattern("\"mask_lanes\": [1-9]")
        .containsPattern("\"mask_expansion_one_lane_gb_per_s\": [0-9.]+");
  }

  @Test
  void maskLanesOutsideTheRangeAreAUsageErrorNamingTheOption() {
    int exit = run("bench", "secagg", "--mask-lanes", "0");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("'--mask-lanes': must be in [1, 16], got 0");
  }

  @Test
  void textOutputNamesEveryFigureAndTheConditions() {
    String[] args = {
      "bench", "secagg", "--participants", "4", "--dim", "100", "--dropout", "0", "--neighbours",
      "3", "--threshold", "2", "--warmup", "0", "--runs", "2", "--mask-mib", "1"
    };
    int exit = run(args);

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("client: ")
        .contains("(median of 2 rounds)")
        .contains("coordinator: ")
        .contains("sum exact: true (4 survivors, 0 dropped")
        .contains("mask expansion (AES-128-CTR, one client's 4 masks, wall-clock): ")
        .contains(" GB/s on one")
        .contains("n=4, d=100, k=3, t=2");
  }

  @Test
  void aThresholdWithoutHonestMajorityIsRefusedWithTheReason() {
    int exit = run("bench", "secagg", "--participants", "10", "--dim", "10", "--threshold", "3");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--threshold").contains("must be > k/2 = 4.0");
  }

  @Test
  void badDropoutIsAUsageErrorNamingTheRange() {
    int exit = run("bench", "secagg", "--dropout", "1.5");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("'--dropout': must be in [0, 1), got 1.5");
  }

  @Test
  void helpShowsEveryDefault() {
    int exit = run("bench", "secagg", "--help");
    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("default: 100)")
        .contains("default: 100000)")
        .contains("default: 0.1)")
        .contains("(default: min(n - 1,")
        .contains("(default: 1).")
        .contains("(default: 3).")
        .contains("(default: 2048).")
        .contains("floor(k/2) + 1")
        .contains("--mask-lanes")
        .contains("one per processor")
        .contains("--json");
  }
}
