package org.fedgossip.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Splits the byte stream into frames of a 4-byte big-endian length and that many bytes.
 *
 * <p>The length is read and checked against the maximum before anything is allocated for the frame;
 * a longer one fails fast with a {@code TooLongFrameException}, on which the connection handler
 * closes the connection. Once a length within the maximum is known, the cumulation buffer is grown
 * once to hold the whole frame, so each received byte is copied once rather than at every doubling.
 * Frames are retained slices of that buffer, not copies.
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
    setCumulator(
        (alloc, cumulation, in) ->
            MERGE_CUMULATOR.cumulate(
                alloc, sizedForFrame(alloc, cumulation, in, maxFrameBytes), in));
  }

  /**
   * Returns a cumulation able to take the rest of the current frame: {@code cumulation} itself, or
   * a copy of it in one buffer of the frame's size when the length prefix is known, within the
   * maximum, and the frame will not fit otherwise.
   */
  private static ByteBuf sizedForFrame(
      ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in, int maxFrameBytes) {
    int readable = cumulation.readableBytes();
    if (readable < Frames.LENGTH_PREFIX_BYTES || cumulation.refCnt() != 1) {
      return cumulation;
    }
    long frameBytes = cumulation.getUnsignedInt(cumulation.readerIndex());
    if (frameBytes > maxFrameBytes) {
      return cumulation; // the decoder refuses it before anything is allocated
    }
    long needed = Frames.LENGTH_PREFIX_BYTES + frameBytes;
    if (readable + (long) in.readableBytes() >= needed
        || cumulation.writableBytes() >= needed - readable) {
      return cumulation;
    }
    ByteBuf sized = alloc.buffer((int) needed);
    sized.writeBytes(cumulation);
    cumulation.release();
    return sized;
  }
}
