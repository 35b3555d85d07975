package org.fedgossip.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.fedgossip.simulations.scenario.SimulationRunner;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the PNG charts of {@code fedgossip simulate} with XChart, headless: no display is needed,
 * because {@code java.awt.headless} is set before AWT loads.
 */
final class SimulationCharts {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 540;

  private SimulationCharts() {}

  /**
   * Accuracy (left axis) and ε (right axis, when finite) against round, with the centralized
   * baseline as a flat line.
   *
   * @param file where the PNG goes
   * @param r the run
   */
  static void accuracy(Path file, SimulationRunner.Result r) {
    headless();
    String epsilonNote = Double.isInfinite(r.epsilon()) ? " (no noise: epsilon = inf)" : "";
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(r.scenario().name() + ": held-out accuracy" + epsilonNote)
            .xAxisTitle("round")
            .yAxisTitle("accuracy")
            .build();
    style(chart);
    int n = r.rounds().size();
    double[] x = new double[n];
    double[] acc = new double[n];
    double[] eps = new double[n];
    double[] central = new double[n];
    for (int i = 0; i < n; i++) {
      SimulationRunner.RoundRecord rec = r.rounds().get(i);
      x[i] = rec.round();
      acc[i] = rec.accuracy();
      eps[i] = rec.epsilon();
      central[i] = r.centralized().accuracy();
    }
    chart.addSeries("federated accuracy", x, acc).setMarker(SeriesMarkers.CIRCLE);
    chart.addSeries("centralized accuracy", x, central).setMarker(SeriesMarkers.NONE);
    if (Double.isFinite(r.epsilon())) {
      XYSeries e = chart.addSeries("epsilon (delta " + r.delta() + ")", x, eps);
      e.setYAxisGroup(1);
      e.setMarker(SeriesMarkers.DIAMOND);
      chart.setYAxisGroupTitle(1, "epsilon");
    }
    save(chart, file);
  }

  /**
   * One accuracy line per compared value.
   *
   * @param file where the PNG goes
   * @param title the chart's title
   * @param labels one label per run
   * @param results the runs
   */
  static void compare(
      Path file, String title, List<String> labels, List<SimulationRunner.Result> results) {
    headless();
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("round")
            .yAxisTitle("held-out accuracy")
            .build();
    style(chart);
    for (int k = 0; k < results.size(); k++) {
      List<SimulationRunner.RoundRecord> rounds = results.get(k).rounds();
      double[] x = new double[rounds.size()];
      double[] y = new double[rounds.size()];
      for (int i = 0; i < rounds.size(); i++) {
        x[i] = rounds.get(i).round();
        y[i] = rounds.get(i).accuracy();
      }
      chart.addSeries(labels.get(k), x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    save(chart, file);
  }

  private static void style(XYChart chart) {
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
  }

  private static void save(XYChart chart, Path file) {
    try {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + file, e);
    }
  }

  private static void headless() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }
}
