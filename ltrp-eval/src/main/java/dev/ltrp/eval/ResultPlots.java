package dev.ltrp.eval;

import dev.ltrp.core.image.ImageRenderer;
import dev.ltrp.eval.downstream.DownstreamReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The evaluation's plot: downstream accuracy against the share of patches kept, one line per
 * ranker, a band of ± one standard deviation over the seeds. PNG, 760×480. Thread-safe.
 */
public final class ResultPlots {

  private static final int WIDTH = 760;
  private static final int HEIGHT = 480;

  private ResultPlots() {}

  /**
   * Writes the accuracy curves to {@code file} (replaced atomically).
   *
   * @param accuracy by ranker, then keep ratio key ({@code "0.25"}), the accuracies (fractions) of
   *     every seed; ratio {@code "1.00"} (all patches) is drawn at 100%
   */
  public static void accuracy(
      String title, Map<String, Map<String, List<Double>>> accuracy, Path file) throws IOException {
    YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
    for (Map.Entry<String, Map<String, List<Double>>> e : accuracy.entrySet()) {
      YIntervalSeries series = new YIntervalSeries(e.getKey());
      for (Map.Entry<String, List<Double>> point : e.getValue().entrySet()) {
        double m = 100 * DownstreamReport.mean(point.getValue());
        double s = 100 * DownstreamReport.std(point.getValue());
        series.add(100 * Double.parseDouble(point.getKey()), m, m - s, m + s);
      }
      dataset.addSeries(series);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title,
            "patches kept (%)",
            "accuracy (%)",
            dataset,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    for (int i = 0; i < dataset.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesFillPaint(i, renderer.lookupSeriesPaint(i));
    }
    renderer.setAlpha(0.15f);
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    save(chart, file);
  }

  private static void save(JFreeChart chart, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    BufferedImage image =
        chart.createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, null);
    ImageRenderer.writePng(image, file);
  }
}
