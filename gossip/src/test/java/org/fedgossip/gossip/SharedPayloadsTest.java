package org.fedgossip.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import org.fedgossip.trust.PeerId;
import org.fedgossip.trust.SignedPayload;
import org.junit.jupiter.api.Test;

class SharedPayloadsTest {

  private static final PeerId ORIGIN = PeerId.fromDigest(new byte[32]);

  private static SignedPayload item(long round, byte[] payload, byte firstSignatureByte) {
    byte[] signature = new byte[SignedPayload.SIGNATURE_BYTES];
    signature[0] = firstSignatureByte;
    return new SignedPayload(ORIGIN, "gossip.item", round, 7, 1_000, payload, signature);
  }

  @Test
  void equalPayloadsOfOneItemShareTheFirstArray() {
    SharedPayloads shared = new SharedPayloads();
    SignedPayload first = item(4, new byte[] {1, 2, 3}, (byte) 9);
    SignedPayload second = item(4, new byte[] {1, 2, 3}, (byte) 9);

    SignedPayload a = shared.intern(first);
    SignedPayload b = shared.intern(second);

    assertThat(a).isSameAs(first);
    assertThat(b.payload()).isSameAs(first.payload());
    assertThat(b.signature()).isSameAs(second.signature());
    assertThat(b.sequence()).isEqualTo(second.sequence());
    assertThat(shared.hits()).isEqualTo(1);
    assertThat(shared.misses()).isEqualTo(1);
    assertThat(shared.size()).isEqualTo(1);
    Reference.reachabilityFence(first);
  }

  @Test
  void differentBytesUnderOneKeyKeepTheirOwnArraySoNobodyGetsBytesItDidNotVerify() {
    SharedPayloads shared = new SharedPayloads();
    SignedPayload first = item(4, new byte[] {1, 2, 3}, (byte) 9);
    SignedPayload equivocation = item(4, new byte[] {1, 2, 4}, (byte) 9);

    shared.intern(first);
    SignedPayload kept = shared.intern(equivocation);

    assertThat(kept.payload()).isSameAs(equivocation.payload()).containsExactly(1, 2, 4);
    assertThat(shared.intern(item(4, new byte[] {1, 2, 3}, (byte) 9)).payload())
        .as("the first array stays the shared one")
        .isSameAs(first.payload());
  }

  @Test
  void otherRoundsAndSignaturesAreOtherItems() {
    SharedPayloads shared = new SharedPayloads();
    SignedPayload first = item(4, new byte[] {5}, (byte) 1);

    shared.intern(first);

    assertThat(shared.intern(item(5, new byte[] {5}, (byte) 1)).payload())
        .isNotSameAs(first.payload());
    assertThat(shared.intern(item(4, new byte[] {5}, (byte) 2)).payload())
        .isNotSameAs(first.payload());
  }
}
