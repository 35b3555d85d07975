package org.fedgossip.simulations.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {

  @TempDir Path dir;

  @Test
  void standardisedBreastCancerRoundTripsBitForBitThroughCsvReader() throws IOException {
    Dataset train = BundledDatasets.breastCancerSplit(3).train();
    Path file = dir.resolve("train.csv");

    CsvWriter.write(file, train);
    Dataset back;
    try (InputStream in = Files.newInputStream(file)) {
      back = CsvReader.readNumeric(in, file.toString(), true, train.featureCount());
    }

    assertThat(back.featureCount()).isEqualTo(30);
    assertThat(back.features()).containsExactly(train.features());
    assertThat(back.labels()).containsExactly(train.labels());
    assertThat(Files.readAllLines(file).get(0)).startsWith("f0,f1,").endsWith(",f29,label");
  }

  @Test
  void writesFeatureNamesAndRefusesACommaInOne() throws IOException {
    Dataset named =
        new Dataset(new float[] {1f, -2.5f}, 2, new int[] {1}, 2, List.of("age", "dose"));
    Path file = dir.resolve("named.csv");
    CsvWriter.write(file, named);
    assertThat(Files.readAllLines(file)).containsExactly("age,dose,label", "1.0,-2.5,1");

    Dataset bad = new Dataset(new float[] {1f}, 1, new int[] {0}, 2, List.of("a,b"));
    assertThatThrownBy(() -> CsvWriter.write(dir.resolve("bad.csv"), bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a,b'");
  }
}
