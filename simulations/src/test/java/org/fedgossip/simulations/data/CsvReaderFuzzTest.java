package org.fedgossip.simulations.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Fuzzes {@link CsvReader}, the reader of the CSV data sets a peer trains on ({@code
 * trainer.trainCsv}, {@code trainer.evalCsv}) and of the bundled scikit-learn files.
 *
 * <p>Byte 0 picks the reader and its options: bit 0, the scikit-learn layout or a generic numeric
 * CSV; bit 1, whether the numeric CSV has a header line; bits 2 to 4, its label column (0 to 7).
 * The rest is the file. Rows are capped at {@link CsvReader#DEFAULT_MAX_ROWS} and classes at {@link
 * CsvReader#MAX_CLASSES}; arrays grow with the rows actually read, never with a declared count.
 *
 * <p>Property: the only failures are {@link IOException}s ({@link DatasetFormatException} naming
 * the source and the line); an accepted data set has at most {@link CsvReader#MAX_CLASSES} classes
 * and holds no more numbers than the file has bytes. Seeds and regression inputs: {@code
 * src/test/resources/org/fedgossip/simulations/data/CsvReaderFuzzTestInputs/readsArbitraryCsv/}.
 */
class CsvReaderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void readsArbitraryCsv(byte[] input) {
    int options = input.length == 0 ? 0 : input[0] & 0xFF;
    byte[] file = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    boolean sklearn = (options & 1) != 0;
    boolean hasHeader = (options & 2) != 0;
    int labelColumn = (options >>> 2) & 7;
    Dataset dataset;
    try {
      dataset =
          sklearn
              ? CsvReader.readSklearnLayout(new ByteArrayInputStream(file), "fuzz.csv")
              : CsvReader.readNumeric(
                  new ByteArrayInputStream(file), "fuzz.csv", hasHeader, labelColumn);
    } catch (DatasetFormatException refused) {
      assertThat(refused.getMessage()).contains("fuzz.csv");
      return;
    } catch (IOException refused) {
      return;
    }
    assertThat(dataset.classes()).isBetween(2, CsvReader.MAX_CLASSES);
    assertThat((long) dataset.features().length + dataset.rows()).isLessThanOrEqualTo(file.length);
  }
}
