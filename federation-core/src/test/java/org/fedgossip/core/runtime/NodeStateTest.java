package org.fedgossip.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedgossip.core.privacy.PrivacyEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStateTest {

  @TempDir Path dir;

  private final RuntimeSettings settings = RuntimeSettings.defaults(4);

  @Test
  void aNewStateCreatesItsLedgerOnlyWhenFirstUsed() throws Exception {
    try (NodeState s = NodeState.open(dir, settings)) {
      assertThat(dir.resolve("privacy-ledger")).doesNotExist();
      assertThat(s.spentEpsilon()).isZero();
      assertThat(s.remainingEpsilon()).isEqualTo(settings.budget().epsilon());
      assertThat(dir.resolve("privacy-ledger"))
          .as("reading the spend creates nothing")
          .doesNotExist();

      s.ledger().charge(new PrivacyEvent(1.0, 2.0, 1));

      assertThat(dir.resolve("privacy-ledger")).exists();
      assertThat(s.spentEpsilon()).isPositive().isEqualTo(s.ledger().spentEpsilon());
    }
  }

  @Test
  void anExistingLedgerIsOpenedAtOnceSoARestartResumesItsSpend() throws Exception {
    double spent;
    try (NodeState s = NodeState.open(dir, settings)) {
      s.ledger().charge(new PrivacyEvent(1.0, 2.0, 1));
      spent = s.spentEpsilon();
    }
    try (NodeState s = NodeState.open(dir, settings)) {
      assertThat(s.spentEpsilon()).isEqualTo(spent);
      assertThat(s.remainingEpsilon()).isEqualTo(settings.budget().epsilon() - spent);
    }
  }

  @Test
  void aClosedStateRefusesToCreateItsLedger() throws Exception {
    NodeState s = NodeState.open(dir, settings);
    s.close();
    assertThatThrownBy(s::ledger)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(Files.exists(dir.resolve("privacy-ledger"))).isFalse();
  }
}
