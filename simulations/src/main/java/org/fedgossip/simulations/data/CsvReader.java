package org.fedgossip.simulations.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads numeric comma-separated data: the scikit-learn layout of the breast-cancer data set and a
 * generic layout with an optional header and a label column.
 *
 * <p>Every data row must have the same number of columns, every feature must parse as a finite
 * number and every label as a non-negative integer; otherwise a {@link DatasetFormatException}
 * names the source and the 1-based line number. Blank lines are skipped.
 */
public final class CsvReader {

  /** Default cap on the number of data rows: 10 million. */
  public static final int DEFAULT_MAX_ROWS = 10_000_000;

  /**
   * The most classes a data set may have, 65,536: a model allocates a row of weights per class, so
   * a stray huge label must not size it.
   */
  public static final int MAX_CLASSES = 1 << 16;

  private CsvReader() {}

  /**
   * Reads the scikit-learn layout: line 1 is "rows,features,className0,className1,...", each
   * following line holds the features then the integer target.
   *
   * <p>The declared row and feature counts are checked against the data and the cap before the
   * arrays are allocated; the number of class names on line 1 gives the number of classes.
   *
   * @param in the stream, UTF-8; not closed
   * @param source name of the source, for error messages
   * @return the data set, without feature names
   * @throws DatasetFormatException if the header or a row is malformed or the counts disagree
   * @throws IOException if reading fails
   */
  public static Dataset readSklearnLayout(InputStream in, String source) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = reader.readLine();
    if (header == null) {
      throw new DatasetFormatException(source, "line 1: empty file, expected a header");
    }
    String[] h = header.split(",", -1);
    if (h.length < 4) {
      throw new DatasetFormatException(
          source,
          "line 1: header must be rows,features,class names (>= 2), got " + h.length + " fields");
    }
    int rows = parseCount(h[0], source, "row count");
    int features = parseCount(h[1], source, "feature count");
    int classes = h.length - 2;
    if (classes > MAX_CLASSES) {
      throw new DatasetFormatException(
          source, "line 1: " + classes + " class names, at most " + MAX_CLASSES + " allowed");
    }
    if (features < 1
        || (long) rows * features > Integer.MAX_VALUE - 16
        || rows > DEFAULT_MAX_ROWS) {
      throw new DatasetFormatException(
          source,
          "line 1: declared "
              + rows
              + " rows x "
              + features
              + " features, allowed features >= 1, rows <= "
              + DEFAULT_MAX_ROWS);
    }
    Parsed parsed = parseRows(reader, source, 1, features + 1, features, DEFAULT_MAX_ROWS);
    if (parsed.rows != rows) {
      throw new DatasetFormatException(
          source, "line 1 declares " + rows + " rows, the file holds " + parsed.rows);
    }
    for (int r = 0; r < parsed.rows; r++) {
      if (parsed.labels[r] >= classes) {
        throw new DatasetFormatException(
            source,
            "line "
                + parsed.lines[r]
                + ": label "
                + parsed.labels[r]
                + " must be in [0, "
                + classes
                + ")");
      }
    }
    return new Dataset(parsed.features, features, parsed.labels, classes, List.of());
  }

  /**
   * Reads a generic numeric CSV: optionally one header line of column names, then rows of numbers
   * with the integer label in column {@code labelColumn}.
   *
   * @param in the stream, UTF-8; not closed
   * @param source name of the source, for error messages
   * @param hasHeader whether line 1 names the columns
   * @param labelColumn the 0-based index of the label column; the other columns are features
   * @return the data set; classes = max(2, largest label + 1)
   * @throws DatasetFormatException if a row is malformed
   * @throws IOException if reading fails
   * @throws IllegalArgumentException if labelColumn is negative
   */
  public static Dataset readNumeric(
      InputStream in, String source, boolean hasHeader, int labelColumn) throws IOException {
    if (labelColumn < 0) {
      throw new IllegalArgumentException("labelColumn must be >= 0, got " + labelColumn);
    }
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    List<String> names = List.of();
    int lineNo = 0;
    int columns = -1;
    if (hasHeader) {
      String header = reader.readLine();
      lineNo = 1;
      if (header == null) {
        throw new DatasetFormatException(source, "line 1: empty file, expected a header");
      }
      String[] h = header.split(",", -1);
      columns = h.length;
      if (labelColumn >= columns) {
        throw new DatasetFormatException(
            source, "line 1: label column " + labelColumn + " must be in [0, " + columns + ")");
      }
      List<String> n = new ArrayList<>(Arrays.asList(h));
      n.remove(labelColumn);
      names = n.stream().map(String::strip).toList();
    }
    Parsed parsed = parseRows(reader, source, lineNo, columns, labelColumn, DEFAULT_MAX_ROWS);
    if (parsed.rows == 0) {
      throw new DatasetFormatException(source, "no data rows");
    }
    int maxLabel = 1;
    for (int r = 0; r < parsed.rows; r++) {
      maxLabel = Math.max(maxLabel, parsed.labels[r]);
    }
    int features = parsed.columns - 1;
    if (features < 1) {
      throw new DatasetFormatException(source, "rows need >= 2 columns, got " + parsed.columns);
    }
    return new Dataset(
        Arrays.copyOf(parsed.features, parsed.rows * features),
        features,
        Arrays.copyOf(parsed.labels, parsed.rows),
        maxLabel + 1,
        names);
  }

  private static final class Parsed {
    float[] features = new float[0];
    int[] labels = new int[0];
    int[] lines = new int[0];
    int rows;
    int columns;
  }

  private static Parsed parseRows(
      BufferedReader reader,
      String source,
      int linesBefore,
      int expectedColumns,
      int labelColumn,
      int maxRows)
      throws IOException {
    Parsed p = new Parsed();
    p.columns = expectedColumns;
    int lineNo = linesBefore;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (p.columns < 0) {
        p.columns = cells.length;
        if (labelColumn >= p.columns) {
          throw new DatasetFormatException(
              source,
              "line "
                  + lineNo
                  + ": label column "
                  + labelColumn
                  + " must be in [0, "
                  + p.columns
                  + ")");
        }
      }
      if (cells.length != p.columns) {
        throw new DatasetFormatException(
            source, "line " + lineNo + ": expected " + p.columns + " columns, got " + cells.length);
      }
      if (p.rows >= maxRows) {
        throw new DatasetFormatException(
            source, "line " + lineNo + ": more than " + maxRows + " data rows");
      }
      int features = p.columns - 1;
      if (p.rows >= p.labels.length) {
        int capacity = Math.max(16, p.rows * 2);
        p.features = Arrays.copyOf(p.features, capacity * features);
        p.labels = Arrays.copyOf(p.labels, capacity);
        p.lines = Arrays.copyOf(p.lines, capacity);
      }
      int k = p.rows * features;
      for (int c = 0; c < cells.length; c++) {
        String cell = cells[c].strip();
        if (c == labelColumn) {
          p.labels[p.rows] = parseLabel(cell, source, lineNo, c);
        } else {
          p.features[k++] = parseFeature(cell, source, lineNo, c);
        }
      }
      p.lines[p.rows] = lineNo;
      p.rows++;
    }
    if (p.columns < 0) {
      p.columns = 0;
    }
    int features = Math.max(0, p.columns - 1);
    p.features = Arrays.copyOf(p.features, p.rows * features);
    p.labels = Arrays.copyOf(p.labels, p.rows);
    return p;
  }

  private static float parseFeature(String cell, String source, int line, int column)
      throws DatasetFormatException {
    float v;
    try {
      v = Float.parseFloat(cell);
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(
          source,
          "line " + line + ", column " + (column + 1) + ": not a number: '" + cell + "'",
          e);
    }
    if (!Float.isFinite(v)) {
      throw new DatasetFormatException(
          source, "line " + line + ", column " + (column + 1) + ": not finite: '" + cell + "'");
    }
    return v;
  }

  private static int parseLabel(String cell, String source, int line, int column)
      throws DatasetFormatException {
    int v;
    try {
      double d = Double.parseDouble(cell);
      v = (int) d;
      if (d != v || v < 0 || v >= MAX_CLASSES) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(
          source,
          "line "
              + line
              + ", column "
              + (column + 1)
              + ": label must be an integer in [0, "
              + MAX_CLASSES
              + "), got '"
              + cell
              + "'",
          e);
    }
    return v;
  }

  private static int parseCount(String s, String source, String what)
      throws DatasetFormatException {
    try {
      int v = Integer.parseInt(s.strip());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(
          source, "line 1: " + what + " must be an integer >= 0, got '" + s + "'", e);
    }
  }
}
