package org.fedgossip.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SyntheticUpdatesTest {

  @Property(tries = 50)
  void honestUpdatesLieInTheUnitBoxAndByzantineOnesAreShifted(
      @ForAll @IntRange(min = 1, max = 12) int n,
      @ForAll @IntRange(min = 1, max = 40) int d,
      @ForAll @IntRange(min = 0, max = 12) int fRaw,
      @ForAll long seed) {
    int f = Math.min(fRaw, n);

    List<float[]> updates = SyntheticUpdates.withFarByzantine(n, d, f, seed);

    assertThat(updates).hasSize(n).allSatisfy(u -> assertThat(u).hasSize(d));
    for (int i = 0; i < n; i++) {
      float shift = i >= n - f ? SyntheticUpdates.BYZANTINE_SHIFT : 0f;
      for (float x : updates.get(i)) {
        assertThat(x - shift).isGreaterThanOrEqualTo(-1f).isLessThan(1f);
      }
    }
  }

  @Test
  void sameSeedGivesTheSameUpdatesAndAnotherSeedDiffers() {
    List<float[]> a = SyntheticUpdates.withFarByzantine(3, 64, 1, 9);
    List<float[]> b = SyntheticUpdates.withFarByzantine(3, 64, 1, 9);
    List<float[]> c = SyntheticUpdates.withFarByzantine(3, 64, 1, 10);

    for (int i = 0; i < 3; i++) {
      assertThat(a.get(i)).containsExactly(b.get(i));
      assertThat(a.get(i)).isNotEqualTo(c.get(i));
    }
  }

  @Test
  void refusesBadSizesNamingThem() {
    assertThatThrownBy(() -> SyntheticUpdates.withFarByzantine(0, 1, 0, 1))
        .hasMessageContaining("n must be >= 1, got 0");
    assertThatThrownBy(() -> SyntheticUpdates.withFarByzantine(2, 0, 0, 1))
        .hasMessageContaining("d must be >= 1, got 0");
    assertThatThrownBy(() -> SyntheticUpdates.withFarByzantine(2, 1, 3, 1))
        .hasMessageContaining("f must be in [0, n=2], got 3");
  }
}
