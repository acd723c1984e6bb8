package dev.recall.sample.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Response time by percentile, one curve per run, drawn the way HdrHistogram plots are read: the x axis
 * stretches the tail (0%, 90%, 99%, 99.9%, 99.99% equally spaced) and the y axis is logarithmic, so a
 * 0.3 ms hit and a 300 ms miss both show.
 */
final class LatencyChart {

    /** One run: its label, colour, and (percentile 0..100, milliseconds) points in increasing percentile. */
    record Series(String label, Color color, List<double[]> points) {
    }

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final double MAX_X = 4; // 99.99%

    private LatencyChart() {
    }

    static void write(Path file, String title, List<Series> series) throws IOException {
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (p[1] > 0) {
                    minMs = Math.min(minMs, p[1]);
                }
                maxMs = Math.max(maxMs, p[1]);
            }
        }
        double yLow = Math.floor(Math.log10(Math.max(minMs, 0.01)));
        double yHigh = Math.ceil(Math.log10(Math.max(maxMs, 1)));
        if (yHigh <= yLow) {
            yHigh = yLow + 1;
        }

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.DARK_GRAY);
        g.drawString(title, LEFT, 32);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (double e = yLow; e <= yHigh; e++) {
            int y = TOP + plotH - (int) Math.round((e - yLow) / (yHigh - yLow) * plotH);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = Math.pow(10, e) >= 1 ? String.format(Locale.ROOT, "%.0f ms", Math.pow(10, e))
                    : String.format(Locale.ROOT, "%s ms", Double.toString(Math.pow(10, e)));
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 5);
        }
        String[] ticks = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int i = 0; i < ticks.length; i++) {
            int x = LEFT + (int) Math.round(i / MAX_X * plotW);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(ticks[i], x - g.getFontMetrics().stringWidth(ticks[i]) / 2, TOP + plotH + 20);
        }
        g.drawString("percentile of requests (the tail is stretched)", LEFT + plotW / 2 - 140, HEIGHT - 20);
        g.drawRect(LEFT, TOP, plotW, plotH);

        int legendY = TOP + 22;
        for (Series s : series) {
            Path2D.Double line = new Path2D.Double();
            boolean first = true;
            for (double[] p : s.points()) {
                double pct = Math.min(p[0], 99.99);
                double x = LEFT + Math.log10(1 / (1 - pct / 100)) / MAX_X * plotW;
                double v = Math.log10(Math.max(p[1], Math.pow(10, yLow)));
                double y = TOP + plotH - (v - yLow) / (yHigh - yLow) * plotH;
                if (first) {
                    line.moveTo(x, y);
                    first = false;
                } else {
                    line.lineTo(x, y);
                }
            }
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2.5f));
            g.draw(line);
            g.fillRect(LEFT + 16, legendY - 10, 22, 6);
            g.setColor(Color.DARK_GRAY);
            g.drawString(s.label(), LEFT + 46, legendY - 3);
            legendY += 22;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
