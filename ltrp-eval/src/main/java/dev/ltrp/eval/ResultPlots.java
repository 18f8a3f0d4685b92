package dev.ltrp.eval;

import dev.ltrp.core.metrics.RankingReport;
import dev.ltrp.eval.EvaluationReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** The evaluation's charts, drawn headless with JFreeChart and written as PNG. */
public final class ResultPlots {

  private static final int WIDTH = 760;
  private static final int HEIGHT = 480;

  private ResultPlots() {}

  /** Writes {@code accuracy.png}, {@code ranking_quality.png} and {@code unbiased.png} into {@code dir}. */
  public static List<Path> write(EvaluationReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path accuracy = dir.resolve("accuracy.png");
    save(curves("Downstream accuracy with only the kept patches (Fashion-MNIST)",
        report.accuracy()), accuracy);
    Path quality = dir.resolve("ranking_quality.png");
    save(quality(report.quality()), quality);
    Path unbiased = dir.resolve("unbiased.png");
    save(curves("Unseen classes 5-9: rankers that learned from classes 0-4", report.unbiased()),
        unbiased);
    return List.of(accuracy, quality, unbiased);
  }

  private static JFreeChart curves(String title, Map<String, Map<Double, double[]>> data) {
    YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
    for (Map.Entry<String, Map<Double, double[]>> e : data.entrySet()) {
      YIntervalSeries series = new YIntervalSeries(e.getKey());
      for (Map.Entry<Double, double[]> point : e.getValue().entrySet()) {
        double m = 100 * EvaluationReport.mean(point.getValue());
        double s = 100 * EvaluationReport.std(point.getValue());
        series.add(100 * point.getKey(), m, m - s, m + s);
      }
      dataset.addSeries(series);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "patches kept (%)", "accuracy (%)",
        dataset, PlotOrientation.VERTICAL, true, false, false);
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
    return chart;
  }

  private static JFreeChart quality(Map<String, List<RankingReport>> data) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (Map.Entry<String, List<RankingReport>> e : data.entrySet()) {
      dataset.addValue(e.getValue().stream().mapToDouble(RankingReport::kendallTau).average()
          .orElse(Double.NaN), "Kendall τ", e.getKey());
      dataset.addValue(e.getValue().stream().mapToDouble(RankingReport::ndcgAtK).average()
          .orElse(Double.NaN), "NDCG@13", e.getKey());
    }
    JFreeChart chart = ChartFactory.createBarChart("Agreement with the oracle's score map",
        null, "mean over seeds", dataset, PlotOrientation.HORIZONTAL, true, false, false);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart;
  }

  private static void save(JFreeChart chart, Path file) throws IOException {
    BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB,
        null);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    ImageIO.write(image, "png", tmp.toFile());
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
