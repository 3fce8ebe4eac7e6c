package dev.otelretention.benchmarks.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The soak's samples as one PNG: a panel per {@link Figure} against the minute of the run, the
 * ClickHouse outage shaded and the restart marked.
 */
final class SoakChart {
  private static final int WIDTH = 1000;
  private static final int PANEL = 150;
  private static final int LEFT = 90;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final Color LINE = new Color(0x1f, 0x6f, 0xb4);
  private static final Color OUTAGE = new Color(0xf4, 0xd6, 0xd6);
  private static final Color RESTART = new Color(0x99, 0x33, 0x33);

  private SoakChart() {}

  static void write(
      List<SoakRun.Sample> samples,
      double runMinutes,
      double outageStart,
      double outageEnd,
      double restart,
      Path file)
      throws IOException {
    Figure[] figures = Figure.values();
    int height = TOP + figures.length * PANEL + 30;
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      double lastMinute = Math.max(1, runMinutes);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(
          String.format(
              Locale.ROOT,
              "soak: %.0f minutes; shaded: ClickHouse down; dark red line: application restarted",
              lastMinute),
          LEFT,
          22);
      for (int i = 0; i < figures.length; i++) {
        panel(g, figures[i], samples, TOP + i * PANEL, lastMinute, outageStart, outageEnd, restart);
      }
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString("minutes", WIDTH / 2, height - 8);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private static void panel(
      Graphics2D g,
      Figure figure,
      List<SoakRun.Sample> samples,
      int top,
      double lastMinute,
      double outageStart,
      double outageEnd,
      double restart) {
    int plotTop = top + 18;
    int plotHeight = PANEL - 40;
    int plotWidth = WIDTH - LEFT - RIGHT;
    double max = 0;
    for (SoakRun.Sample s : samples) {
      max = Math.max(max, figure.of(s));
    }
    max = max <= 0 ? 1 : max * 1.1;
    g.setColor(OUTAGE);
    int x0 = LEFT + (int) (plotWidth * outageStart / lastMinute);
    int x1 = LEFT + (int) (plotWidth * Math.min(outageEnd, lastMinute) / lastMinute);
    g.fillRect(x0, plotTop, Math.max(1, x1 - x0), plotHeight);
    g.setColor(RESTART);
    int xr = LEFT + (int) (plotWidth * restart / lastMinute);
    g.drawLine(xr, plotTop, xr, plotTop + plotHeight);
    g.setColor(Color.GRAY);
    g.drawRect(LEFT, plotTop, plotWidth, plotHeight);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    g.drawString(
        figure.title + (figure.unit.isEmpty() ? "" : " (" + figure.unit + ")"), LEFT, top + 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString(String.format(Locale.ROOT, "%.0f", max), 8, plotTop + 10);
    g.drawString("0", 8, plotTop + plotHeight);
    for (int minute = 0; minute <= lastMinute; minute += Math.max(1, (int) (lastMinute / 10))) {
      int x = LEFT + (int) (plotWidth * minute / lastMinute);
      g.drawString(Integer.toString(minute), x - 4, plotTop + plotHeight + 13);
    }
    g.setColor(LINE);
    g.setStroke(new BasicStroke(1.6f));
    SoakRun.Sample previous = null;
    for (SoakRun.Sample s : samples) {
      if (previous != null && previous.run() == s.run()) {
        g.drawLine(
            LEFT + (int) (plotWidth * previous.minute() / lastMinute),
            plotTop + plotHeight - (int) (plotHeight * figure.of(previous) / max),
            LEFT + (int) (plotWidth * s.minute() / lastMinute),
            plotTop + plotHeight - (int) (plotHeight * figure.of(s) / max));
      }
      previous = s;
    }
    g.setStroke(new BasicStroke(1f));
  }
}
