package org.fedgossip.simulations.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheSklearnLayout() throws IOException {
    Dataset d = CsvReader.readSklearnLayout(text("2,3,a,b\n1,2,3,0\n4,5,6.5,1\n"), "t.csv");

    assertThat(d.rows()).isEqualTo(2);
    assertThat(d.featureCount()).isEqualTo(3);
    assertThat(d.classes()).isEqualTo(2);
    assertThat(d.features()).containsExactly(1, 2, 3, 4, 5, 6.5f);
    assertThat(d.labels()).containsExactly(0, 1);
  }

  @Test
  void rejectsARowWithTheWrongColumnCountNamingTheLine() {
    assertThatThrownBy(
            () -> CsvReader.readSklearnLayout(text("2,3,a,b\n1,2,3,0\n4,5,1\n"), "t.csv"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage("t.csv: line 3: expected 4 columns, got 3");
  }

  @Test
  void rejectsANonNumericCellNamingLineAndColumn() {
    assertThatThrownBy(
            () -> CsvReader.readSklearnLayout(text("2,3,a,b\n1,x2,3,0\n4,5,6,1\n"), "t.csv"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage("t.csv: line 2, column 2: not a number: 'x2'");
  }

  @Test
  void rejectsALabelOutsideTheDeclaredClasses() {
    assertThatThrownBy(() -> CsvReader.readSklearnLayout(text("1,1,a,b\n1,2\n"), "t.csv"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage("t.csv: line 2: label 2 must be in [0, 2)");
  }

  @Test
  void rejectsARowCountThatDisagreesWithTheHeader() {
    assertThatThrownBy(() -> CsvReader.readSklearnLayout(text("3,1,a,b\n1,0\n2,1\n"), "t.csv"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage("t.csv: line 1 declares 3 rows, the file holds 2");
  }

  @Test
  void readsAGenericCsvWithHeaderAndALabelColumnInTheMiddle() throws IOException {
    Dataset d =
        CsvReader.readNumeric(text("x, y, z\n0.5,2,7\n\n1.5,0,8\n-1,1,9\n"), "g.csv", true, 1);

    assertThat(d.rows()).isEqualTo(3);
    assertThat(d.featureNames()).containsExactly("x", "z");
    assertThat(d.features()).containsExactly(0.5f, 7, 1.5f, 8, -1, 9);
    assertThat(d.labels()).containsExactly(2, 0, 1);
    assertThat(d.classes()).isEqualTo(3);
  }

  @Test
  void genericCsvWithoutHeaderRejectsAFractionalLabel() {
    assertThatThrownBy(() -> CsvReader.readNumeric(text("1,0\n2,0.5\n"), "g.csv", false, 1))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("g.csv: line 2, column 2: label must be an integer in [0, 65536)");
  }

  @Test
  void aLabelBeyondTheClassLimitIsRefusedRatherThanSizingTheModel() {
    // 2147483647 + 1 classes overflowed an int; 1111111 would have sized a model of 1.1 M classes.
    for (String label : List.of("65536", "1111111", "2147483647")) {
      assertThatThrownBy(
              () -> CsvReader.readNumeric(text("1,0\n2," + label + "\n"), "g.csv", false, 1))
          .isInstanceOf(DatasetFormatException.class)
          .hasMessageContaining("line 2, column 2: label must be an integer in [0, 65536)");
    }
  }

  @Test
  void genericCsvRejectsARaggedRow() {
    assertThatThrownBy(() -> CsvReader.readNumeric(text("1,0\n2,1\n3,4,1\n"), "g.csv", false, 1))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessage("g.csv: line 3: expected 2 columns, got 3");
  }
}
