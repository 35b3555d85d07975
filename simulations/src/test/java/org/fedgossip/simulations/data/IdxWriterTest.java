package org.fedgossip.simulations.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxWriterTest {

  @TempDir Path dir;

  @Test
  void bundledDigitsRoundTripBitForBit() throws IOException {
    Dataset digits = BundledDatasets.mnist10k().range(0, 300);
    Path images = dir.resolve("images.idx");
    Path labels = dir.resolve("labels.idx");

    IdxWriter.write(images, labels, digits, 28, 28);
    Dataset back = IdxReader.read(images, labels);

    assertThat(back.featureCount()).isEqualTo(784);
    assertThat(back.labels()).isEqualTo(digits.labels());
    assertThat(back.features()).isEqualTo(digits.features());
    assertThat(Files.size(images)).isEqualTo(16 + 300L * 784);
    assertThat(Files.size(labels)).isEqualTo(8 + 300L);
  }

  @Property(tries = 30)
  void everyPixelLevelAndShapeRoundTrips(
      @ForAll @IntRange(min = 0, max = 20) int count,
      @ForAll @IntRange(min = 1, max = 5) int height,
      @ForAll @IntRange(min = 1, max = 5) int width,
      @ForAll long seed)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[count * height * width];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextInt(256) / 255f;
    }
    int[] labels = new int[count];
    for (int r = 0; r < count; r++) {
      labels[r] = random.nextInt(256);
    }
    Dataset data = new Dataset(pixels, height * width, labels, 256, List.of());
    // jqwik does not inject JUnit's @TempDir, so each try makes and removes its own files.
    Path images = Files.createTempFile("idx-writer", ".images");
    Path labelFile = Files.createTempFile("idx-writer", ".labels");
    Dataset back;
    try {
      IdxWriter.write(images, labelFile, data, height, width);
      back = IdxReader.read(images, labelFile);
    } finally {
      Files.deleteIfExists(images);
      Files.deleteIfExists(labelFile);
    }

    assertThat(back.rows()).isEqualTo(count);
    assertThat(back.features()).containsExactly(pixels);
    assertThat(back.labels()).containsExactly(labels);
  }

  @Test
  void refusesWhatTheFormatCannotHold() {
    Dataset outOfRange = new Dataset(new float[] {0.5f, 1.5f}, 2, new int[] {1}, 2, List.of());
    assertThatThrownBy(() -> IdxWriter.write(dir.resolve("i"), dir.resolve("l"), outOfRange, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 1]")
        .hasMessageContaining("1.5")
        .hasMessageContaining("row 0 column 1");

    Dataset bigLabel = new Dataset(new float[] {0f}, 1, new int[] {256}, 300, List.of());
    assertThatThrownBy(() -> IdxWriter.write(dir.resolve("i"), dir.resolve("l"), bigLabel, 1, 1))
        .hasMessageContaining("[0, 255]")
        .hasMessageContaining("256");

    Dataset four = new Dataset(new float[4], 4, new int[] {0}, 2, List.of());
    assertThatThrownBy(() -> IdxWriter.write(dir.resolve("i"), dir.resolve("l"), four, 3, 1))
        .hasMessageContaining("featureCount 4")
        .hasMessageContaining("3 x 1");
  }
}
