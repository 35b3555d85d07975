package org.fedgossip.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Map;
import org.fedgossip.core.aggregation.RuleSpec;
import org.fedgossip.simulations.attack.AttackType;
import org.fedgossip.simulations.model.TrainerType;
import org.junit.jupiter.api.Test;

/** Parsing and validating scenario files and overrides. */
class ScenarioTest {

  @Test
  void everyBuiltInScenarioLoadsWithADescription() {
    for (String name : Scenario.BUILT_IN) {
      Scenario s = Scenario.load(name);
      assertThat(s.name()).isEqualTo(name);
      assertThat(s.description()).as(name).isNotBlank();
    }
  }

  @Test
  void theQuickstartIsTheIssuesSetup() {
    Scenario q = Scenario.load(Scenario.DEFAULT_NAME);
    assertThat(q.dataSet()).isEqualTo(Scenario.DataSet.MNIST);
    assertThat(q.baskets()).isEqualTo(3);
    assertThat(q.peersPerBasket()).isEqualTo(10);
    assertThat(q.partition().type()).isEqualTo("dirichlet");
    assertThat(q.partition().alpha()).isEqualTo(0.5);
    assertThat(q.trainerType()).isEqualTo(TrainerType.SOFTMAX);
    assertThat(q.settings().rule().kind()).isEqualTo(RuleSpec.Kind.BULYAN);
    assertThat(q.settings().rule().byzantine()).isEqualTo(1);
    assertThat(q.settings().dimension()).isEqualTo(7850);
    assertThat(q.attack()).isNull();
    assertThat(q.rounds()).isEqualTo(30);
  }

  @Test
  void theScaleScenarioIsTheIssuesTenThousandPeersForFiveRounds() {
    Scenario s = Scenario.load("scale");
    assertThat(s.baskets()).isEqualTo(100);
    assertThat(s.peersPerBasket()).isEqualTo(100);
    assertThat(s.peers()).isEqualTo(10_000);
    assertThat(s.rounds()).isEqualTo(5);
    assertThat(s.partition().type()).isEqualTo("sampled");
    assertThat(s.partition().rowsPerPeer()).isEqualTo(32);
  }

  @Test
  void thePrivateScenarioIsTheIssuesSetup() {
    Scenario p = Scenario.load("private");
    assertThat(p.peers()).isEqualTo(1000);
    assertThat(p.baskets()).isEqualTo(10);
    assertThat(p.settings().participationRate()).isEqualTo(0.1);
    assertThat(p.settings().sampledCentralDp()).isTrue();
    assertThat(p.settings().rule().kind()).isEqualTo(RuleSpec.Kind.FEDAVG);
    assertThat(p.settings().budget().epsilon()).isLessThanOrEqualTo(8);
    assertThat(p.settings().budget().delta()).isEqualTo(1e-5);
    // The scenario's rounds fit in its budget: epsilon of R steps at (q, z) is at most 8.
    double epsilon =
        org.fedgossip.core.privacy.RdpAccountant.withDefaultOrders()
            .epsilon(
                java.util.List.of(
                    new org.fedgossip.core.privacy.PrivacyEvent(
                        p.settings().participationRate(),
                        p.settings().centralNoiseMultiplier(),
                        p.rounds())),
                p.settings().budget().delta())
            .epsilon();
    assertThat(epsilon).isLessThanOrEqualTo(8);
  }

  @Test
  void participationOutsideZeroToOneIsRefusedNamingTheKey() {
    Scenario q = Scenario.load("quickstart");
    assertThatThrownBy(() -> q.with(Map.of("round.participation", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("round.participation");
    assertThatThrownBy(
            () ->
                q.with(Map.of("round.participation", "0.5", "privacy.centralNoiseMultiplier", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aggregation.rule=fedavg");
  }

  @Test
  void theByzantineScenarioHasAlieAttackers() {
    Scenario b = Scenario.load("byzantine");
    assertThat(b.attack()).isNotNull();
    assertThat(b.attack().type()).isEqualTo(AttackType.ALIE);
    assertThat(b.attack().fraction()).isEqualTo(0.2);
  }

  @Test
  void setOverridesAKeyAndKeepsTheOthers() {
    Scenario q = Scenario.load("quickstart");
    Scenario f = q.with(Map.of("aggregation.rule", "fedavg", "simulation.rounds", "4"));
    assertThat(f.settings().rule().kind()).isEqualTo(RuleSpec.Kind.FEDAVG);
    assertThat(f.rounds()).isEqualTo(4);
    assertThat(f.values()).containsEntry("aggregation.rule", "fedavg");
    assertThat(f.peersPerBasket()).isEqualTo(q.peersPerBasket());
    assertThat(q.settings().rule().kind())
        .as("the original is unchanged")
        .isEqualTo(RuleSpec.Kind.BULYAN);
  }

  @Test
  void anUnknownKeyIsAnErrorNamingIt() {
    assertThatThrownBy(() -> Scenario.load("quickstart").with(Map.of("aggregation.rulle", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown key 'aggregation.rulle'");
    assertThatThrownBy(() -> Scenario.parse("typo", new StringReader("federation.basket=3\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scenario typo")
        .hasMessageContaining("unknown key 'federation.basket'");
  }

  @Test
  void aBadValueIsAnErrorNamingTheKeyAndTheRange() {
    Scenario q = Scenario.load("quickstart");
    assertThatThrownBy(() -> q.with(Map.of("simulation.rounds", "zero")))
        .hasMessageContaining("simulation.rounds")
        .hasMessageContaining("'zero'");
    assertThatThrownBy(() -> q.with(Map.of("partition.alpha", "-1")))
        .hasMessageContaining("partition.alpha")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> q.with(Map.of("data.set", "cifar")))
        .hasMessageContaining("data.set must be one of [mnist, breast-cancer]");
    assertThatThrownBy(() -> q.with(Map.of("aggregation.rule", "mean")))
        .hasMessageContaining("aggregation.rule=mean");
    assertThatThrownBy(() -> q.with(Map.of("attack.knowledge", "all")))
        .hasMessageContaining("attack.knowledge must be one of [omniscient, colluders]");
    assertThatThrownBy(() -> q.with(Map.of("round.minUpdates", "11")))
        .hasMessageContaining("round.minUpdates is 11")
        .hasMessageContaining("federation.peersPerBasket=10");
  }

  @Test
  void aRuleThatCannotRunOnTheBasketIsRefusedUpFront() {
    assertThatThrownBy(() -> Scenario.load("quickstart").with(Map.of("aggregation.byzantine", "2")))
        .hasMessageContaining("aggregation.rule=bulyan with aggregation.byzantine=2")
        .hasMessageContaining("federation.peersPerBasket=10");
  }

  @Test
  void anUnknownScenarioNamesTheBuiltInOnes() {
    assertThatThrownBy(() -> Scenario.load("nosuch"))
        .hasMessageContaining("unknown scenario 'nosuch'")
        .hasMessageContaining("quickstart");
  }

  @Test
  void theDropoutScenarioDropsAtMostWhatSecAggCanRecover() {
    Scenario d = Scenario.load("dropout");
    assertThat(d.dropoutFraction()).isEqualTo(0.3);
    assertThat(d.baskets()).isEqualTo(6);
    // n = 6 delegates: k = 5 neighbours, t = 3, so k - t = 2 may fall silent.
    assertThat(SimulationRunner.recoverableDropouts(d)).isEqualTo(2);
    // n = 3: k = 2, t = 2; a silent participant's seed has one share left, not enough.
    assertThat(SimulationRunner.recoverableDropouts(Scenario.load("quickstart"))).isZero();
    assertThatThrownBy(() -> d.with(Map.of("dropout.fraction", "1")))
        .hasMessageContaining("dropout.fraction must be in [0, 1)");
  }
}
