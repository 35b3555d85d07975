package org.fedgossip.trust;

import java.util.Set;

/**
 * Settings of a {@link PacketCheck}.
 *
 * @param maxPayloadBytes the largest payload accepted, in bytes, in [1, 2^31 - 1]
 * @param knownPayloadTypes the payload type names the receiver handles; non-empty, no blank name
 */
public record PacketCheckConfig(int maxPayloadBytes, Set<String> knownPayloadTypes) {

  /** Default payload limit: 64 MiB, the transport's default frame limit. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 << 20;

  /** Validates the fields and copies the set; messages name the field and the allowed range. */
  public PacketCheckConfig {
    if (maxPayloadBytes < 1) {
      throw new IllegalArgumentException(
          "maxPayloadBytes must be in [1, " + Integer.MAX_VALUE + "], got " + maxPayloadBytes);
    }
    if (knownPayloadTypes == null || knownPayloadTypes.isEmpty()) {
      throw new IllegalArgumentException(
          "knownPayloadTypes must name at least one type, got " + knownPayloadTypes);
    }
    for (String t : knownPayloadTypes) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException(
            "knownPayloadTypes holds a blank type: " + knownPayloadTypes);
      }
    }
    knownPayloadTypes = Set.copyOf(knownPayloadTypes);
  }

  /**
   * Settings with the default size limit.
   *
   * @param knownPayloadTypes the handled types
   * @return the settings
   */
  public static PacketCheckConfig of(Set<String> knownPayloadTypes) {
    return new PacketCheckConfig(DEFAULT_MAX_PAYLOAD_BYTES, knownPayloadTypes);
  }

  /**
   * A copy with another size limit.
   *
   * @param value the limit in bytes
   * @return the copy
   */
  public PacketCheckConfig withMaxPayloadBytes(int value) {
    return new PacketCheckConfig(value, knownPayloadTypes);
  }
}
