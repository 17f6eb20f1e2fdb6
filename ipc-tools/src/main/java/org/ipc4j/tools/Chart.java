package org.ipc4j.tools;

import java.util.List;
import java.util.Locale;

/** An SVG bar chart of round-trip percentiles per mechanism and size, on a log scale. */
final class Chart {
    private static final double[] PERCENTILES = {50, 99, 99.9};
    private static final String[] COLORS = {"#4c78a8", "#f58518", "#e45756"};

    private Chart() {
    }

    static String svg(List<Runner.Result> results) {
        List<Runner.Result> rows = results.stream().filter(r -> r.histogram() != null
                && r.histogram().getTotalCount() > 0).toList();
        int barH = 10;
        int groupH = barH * PERCENTILES.length + 12;
        int left = 190;
        int width = 900;
        int plotW = width - left - 40;
        int top = 50;
        int height = top + Math.max(1, rows.size()) * groupH + 50;
        double min = 0.1;
        double max = 10;
        for (Runner.Result r : rows) {
            for (double p : PERCENTILES) {
                max = Math.max(max, r.percentileMicros(p));
            }
        }
        double lmin = Math.log10(min);
        double lmax = Math.ceil(Math.log10(max));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"15\">ipc4j round-trip latency"
                + " (microseconds, log scale)</text>%n", left));
        for (int i = 0; i < PERCENTILES.length; i++) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"28\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"37\">p%s</text>%n", left + i * 80, COLORS[i], left + i * 80 + 14,
                    trim(PERCENTILES[i])));
        }
        for (double d = lmin; d <= lmax; d++) {
            double x = left + (d - lmin) / (lmax - lmin) * plotW;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, top, x, height - 40, x,
                    height - 25, trim(Math.pow(10, d))));
        }
        int y = top;
        for (Runner.Result r : rows) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s %dB</text>%n",
                    left - 6, y + groupH / 2, esc(r.mechanism()), r.size()));
            for (int i = 0; i < PERCENTILES.length; i++) {
                double v = Math.max(min, r.percentileMicros(PERCENTILES[i]));
                double w = (Math.log10(v) - lmin) / (lmax - lmin) * plotW;
                sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s p%s = %.2f us</title></rect>%n", left, y + i * barH, Math.max(1, w), barH - 1,
                        COLORS[i], esc(r.mechanism()), trim(PERCENTILES[i]), v));
            }
            y += groupH;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
