package org.fedgossip.simulations.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a data set as an IDX image file and an IDX label file, the uncompressed layout {@link
 * IdxReader} reads back.
 *
 * <p>Images: magic 0x00000803, count, rows and columns as big-endian int32, then one unsigned byte
 * per pixel, row-major. A feature value v in [0, 1] is stored as the byte round(255·v), so a data
 * set read by {@link IdxReader} (pixels i/255) is written back bit for bit; any other value is
 * quantised to the nearest of the 256 levels. Labels: magic 0x00000801, count, one byte per label.
 * The writer only accepts what the format can hold (labels in [0, 255], features in [0, 1]) and
 * names the first row that does not fit.
 */
public final class IdxWriter {

  /** The largest label one IDX label byte holds. */
  public static final int MAX_LABEL = 255;

  private IdxWriter() {}

  /**
   * Writes the images and the labels of every row of a data set.
   *
   * @param images path of the images file; replaced if it exists
   * @param labels path of the labels file; replaced if it exists
   * @param data the data set, features in [0, 1], labels in [0, 255]
   * @param imageRows the height of one image, ≥ 1
   * @param imageColumns the width of one image, ≥ 1; imageRows · imageColumns must equal the data
   *     set's feature count
   * @throws IllegalArgumentException naming the row, column and value that the format cannot hold,
   *     or the shape that does not match
   * @throws IOException if writing fails
   */
  public static void write(Path images, Path labels, Dataset data, int imageRows, int imageColumns)
      throws IOException {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(data, "data");
    if (imageRows < 1 || imageColumns < 1) {
      throw new IllegalArgumentException(
          "imageRows and imageColumns must be >= 1, got " + imageRows + " x " + imageColumns);
    }
    if ((long) imageRows * imageColumns != data.featureCount()) {
      throw new IllegalArgumentException(
          "imageRows x imageColumns must equal the featureCount "
              + data.featureCount()
              + ", got "
              + imageRows
              + " x "
              + imageColumns);
    }
    byte[] pixels = toBytes(data);
    byte[] labelBytes = labelBytes(data.labels());
    try (DataOutputStream out = open(images)) {
      out.writeInt(IdxReader.IMAGES_MAGIC);
      out.writeInt(data.rows());
      out.writeInt(imageRows);
      out.writeInt(imageColumns);
      out.write(pixels);
    }
    try (DataOutputStream out = open(labels)) {
      out.writeInt(IdxReader.LABELS_MAGIC);
      out.writeInt(labelBytes.length);
      out.write(labelBytes);
    }
  }

  private static DataOutputStream open(Path file) throws IOException {
    OutputStream raw = Files.newOutputStream(file);
    return new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
  }

  private static byte[] toBytes(Dataset data) {
    float[] f = data.features();
    byte[] out = new byte[f.length];
    for (int i = 0; i < f.length; i++) {
      float v = f[i];
      if (!(v >= 0f && v <= 1f)) {
        throw new IllegalArgumentException(
            "IDX pixels must be in [0, 1], got "
                + v
                + " at row "
                + i / data.featureCount()
                + " column "
                + i % data.featureCount());
      }
      out[i] = (byte) Math.round(v * 255f);
    }
    return out;
  }

  private static byte[] labelBytes(int[] labels) {
    byte[] out = new byte[labels.length];
    for (int r = 0; r < labels.length; r++) {
      if (labels[r] > MAX_LABEL) {
        throw new IllegalArgumentException(
            "IDX labels must be in [0, " + MAX_LABEL + "], got " + labels[r] + " at row " + r);
      }
      out[r] = (byte) labels[r];
    }
    return out;
  }
}
