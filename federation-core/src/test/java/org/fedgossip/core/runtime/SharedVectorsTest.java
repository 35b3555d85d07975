package org.fedgossip.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import org.fedgossip.trust.PeerId;
import org.junit.jupiter.api.Test;

class SharedVectorsTest {

  private static final PeerId A = PeerId.fromDigest(new byte[32]);

  @Test
  void bitIdenticalVectorsOfOneUpdateShareTheFirstArray() {
    SharedVectors shared = new SharedVectors();
    float[] first = {1f, -2.5f, 0f};

    assertThat(shared.intern(A, 3, first)).isSameAs(first);
    assertThat(shared.intern(A, 3, new float[] {1f, -2.5f, 0f})).isSameAs(first);
    assertThat(shared.size()).isEqualTo(1);
    Reference.reachabilityFence(first);
  }

  @Test
  void aDifferentVectorUnderTheSameOriginAndRoundIsNeverSwapped() {
    SharedVectors shared = new SharedVectors();
    float[] first = {1f, 2f};
    float[] other = {1f, 2.0000002f};
    float[] negativeZero = {-0f, 2f};

    shared.intern(A, 3, first);

    assertThat(shared.intern(A, 3, other)).isSameAs(other);
    assertThat(shared.intern(A, 4, new float[] {1f, 2f})).isNotSameAs(first);
    shared.intern(A, 5, new float[] {0f, 2f});
    assertThat(shared.intern(A, 5, negativeZero))
        .as("-0 and 0 differ bit for bit")
        .isSameAs(negativeZero);
    Reference.reachabilityFence(first);
  }
}
