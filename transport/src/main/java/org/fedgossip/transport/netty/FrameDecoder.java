package org.fedgossip.transport.netty;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits the byte stream into frames of a 4-byte big-endian length and that many bytes.
 *
 * <p>The length is read and checked against the maximum before anything is allocated for the frame;
 * a longer one fails fast with a {@code TooLongFrameException}, on which the connection handler
 * closes the connection. Frames are retained slices of the cumulation buffer, not copies.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {

  FrameDecoder(int maxFrameBytes) {
    super(
        maxFrameBytes + Frames.LENGTH_PREFIX_BYTES,
        0,
        Frames.LENGTH_PREFIX_BYTES,
        0,
        Frames.LENGTH_PREFIX_BYTES,
        true);
  }
}
