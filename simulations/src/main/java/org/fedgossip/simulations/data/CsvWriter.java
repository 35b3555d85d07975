package org.fedgossip.simulations.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a data set as a numeric CSV with a header line, the label in the last column: the layout
 * {@link CsvReader#readNumeric} reads back with {@code hasHeader = true} and {@code labelColumn =
 * featureCount}.
 *
 * <p>The header holds the data set's feature names, or {@code f0, f1, ...} when it has none, then
 * {@code label}. Features are written with {@link Float#toString(float)}, the shortest decimal that
 * parses back to the same float, so a write and a read give the same values bit for bit.
 */
public final class CsvWriter {

  /** Name of the label column in the header. */
  public static final String LABEL_COLUMN = "label";

  private CsvWriter() {}

  /**
   * Writes every row of a data set.
   *
   * @param file the file, UTF-8; replaced if it exists
   * @param data the data set; a feature name must not contain a comma or a line break
   * @throws IllegalArgumentException if a feature name holds a comma or a line break
   * @throws IOException if writing fails
   */
  public static void write(Path file, Dataset data) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(data, "data");
    int d = data.featureCount();
    StringBuilder header = new StringBuilder();
    for (int j = 0; j < d; j++) {
      String name = data.featureNames().isEmpty() ? "f" + j : data.featureNames().get(j);
      if (name.indexOf(',') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
        throw new IllegalArgumentException(
            "feature name " + j + " must not hold a comma or a line break, got '" + name + "'");
      }
      header.append(name).append(',');
    }
    header.append(LABEL_COLUMN);
    float[] f = data.features();
    int[] labels = data.labels();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(header.toString());
      w.write('\n');
      StringBuilder line = new StringBuilder();
      for (int r = 0; r < labels.length; r++) {
        line.setLength(0);
        for (int j = 0; j < d; j++) {
          line.append(Float.toString(f[r * d + j])).append(',');
        }
        line.append(labels[r]).append('\n');
        w.write(line.toString());
      }
    }
  }
}
