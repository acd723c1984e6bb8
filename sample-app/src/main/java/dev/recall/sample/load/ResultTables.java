package dev.recall.sample.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Text and Markdown tables of {@link LoadResult}s. One list of metrics drives the single-result table and
 * both comparisons, so they always show the same figures in the same order. Stateless.
 */
final class ResultTables {

    /** How a metric is printed, and which direction is better when comparing. */
    private enum Kind {
        /** milliseconds; lower is better, changes read "11.4x faster" */
        TIME,
        /** per second; higher is better */
        THROUGHPUT,
        COUNT,
        BYTES,
        /** a 0..1 share shown in percent; changes read in percentage points */
        SHARE,
        /** a 0..1 score such as Apdex; changes read as a difference */
        SCORE
    }

    private record Metric(String name, Kind kind, ToDoubleFunction<LoadResult> value) {
    }

    /** A section heading (no metrics) or a metric row's cells. */
    private record Row(String metric, String a, String b, String change) {
        boolean heading() {
            return a == null;
        }
    }

    private ResultTables() {
    }

    static String table(LoadResult r) {
        StringBuilder out = new StringBuilder();
        LoadSpec s = r.spec();
        out.append("Load test \"").append(r.label()).append("\", started ").append(r.started()).append('\n');
        out.append("  target    ").append(s.target()).append('\n');
        out.append("  pacing    ").append(s.pacing()).append('\n');
        out.append("  workload  ").append(s.workload()).append('\n');
        out.append("  limits    timeout ").append(Durations.format(s.timeout())).append(", Apdex T ")
                .append(Durations.format(s.apdexT())).append('\n');
        List<Row> rows = new ArrayList<>();
        for (Object item : metrics(r)) {
            if (item instanceof String heading) {
                rows.add(new Row(heading, null, null, null));
            } else {
                Metric m = (Metric) item;
                double v = m.value().applyAsDouble(r);
                rows.add(new Row(m.name(), format(m.kind(), v) + note(m, r, v), "", ""));
            }
        }
        out.append(aligned(rows, 1));
        out.append(endpointTable(r));
        return out.toString();
    }

    static String compare(LoadResult a, LoadResult b) {
        List<Row> rows = comparisonRows(a, b);
        rows.add(0, new Row("metric", a.label(), b.label(), "change"));
        return runs(a, b, "") + aligned(rows, 3);
    }

    static String compareMarkdown(LoadResult a, LoadResult b) {
        StringBuilder out = new StringBuilder(runs(a, b, "- ")).append('\n');
        out.append("| metric | ").append(md(a.label())).append(" | ").append(md(b.label())).append(" | change |\n");
        out.append("|---|---:|---:|---|\n");
        for (Row row : comparisonRows(a, b)) {
            if (row.heading()) {
                out.append("| **").append(md(row.metric())).append("** | | | |\n");
            } else {
                out.append("| ").append(md(row.metric())).append(" | ").append(md(row.a())).append(" | ")
                        .append(md(row.b())).append(" | ").append(md(row.change())).append(" |\n");
            }
        }
        return out.toString();
    }

    /** What each run did, one line each, since the table only makes sense if they did the same. */
    private static String runs(LoadResult a, LoadResult b, String bullet) {
        StringBuilder out = new StringBuilder();
        for (LoadResult r : List.of(a, b)) {
            out.append(bullet).append(r.label()).append(": ").append(r.spec().target()).append(", ")
                    .append(r.spec().pacing()).append(", ").append(r.spec().workload()).append(", started ")
                    .append(r.started()).append('\n');
        }
        return out.toString();
    }

    private static List<Row> comparisonRows(LoadResult a, LoadResult b) {
        List<Row> rows = new ArrayList<>();
        for (Object item : metrics(a)) {
            if (item instanceof String heading) {
                rows.add(new Row(heading, null, null, null));
            } else {
                Metric m = (Metric) item;
                double va = m.value().applyAsDouble(a);
                double vb = m.value().applyAsDouble(b);
                rows.add(new Row(m.name(), format(m.kind(), va), format(m.kind(), vb), change(m.kind(), va, vb)));
            }
        }
        rows.add(new Row("Per endpoint", null, null, null));
        for (LoadResult.EndpointStats ea : a.endpoints()) {
            for (LoadResult.EndpointStats eb : b.endpoints()) {
                if (ea.endpoint().equals(eb.endpoint())) {
                    String n = ea.route();
                    rows.add(new Row(n + " avg ms", format(Kind.TIME, ea.avgMs()), format(Kind.TIME, eb.avgMs()),
                            change(Kind.TIME, ea.avgMs(), eb.avgMs())));
                    rows.add(new Row(n + " p99 ms", format(Kind.TIME, ea.p99Ms()), format(Kind.TIME, eb.p99Ms()),
                            change(Kind.TIME, ea.p99Ms(), eb.p99Ms())));
                    rows.add(new Row(n + " errors", format(Kind.COUNT, ea.errors()), format(Kind.COUNT, eb.errors()),
                            change(Kind.COUNT, ea.errors(), eb.errors())));
                }
            }
        }
        return rows;
    }

    /** Section headings (strings) and metrics, in display order. */
    private static List<Object> metrics(LoadResult r) {
        String t = Durations.format(r.spec().apdexT());
        return List.of(
                "Throughput",
                new Metric("requests measured", Kind.COUNT, x -> x.counts().requests()),
                new Metric("requests per second", Kind.THROUGHPUT, LoadResult::requestsPerSecond),
                "Response time (ms, from intended send time)",
                new Metric("average", Kind.TIME, x -> x.responseTimes().avgMs()),
                new Metric("standard deviation", Kind.TIME, x -> x.responseTimes().stdDevMs()),
                new Metric("minimum", Kind.TIME, x -> x.responseTimes().minMs()),
                new Metric("p50", Kind.TIME, x -> x.responseTimes().p50Ms()),
                new Metric("p90", Kind.TIME, x -> x.responseTimes().p90Ms()),
                new Metric("p99", Kind.TIME, x -> x.responseTimes().p99Ms()),
                new Metric("p99.9", Kind.TIME, x -> x.responseTimes().p999Ms()),
                new Metric("maximum = peak response time", Kind.TIME, LoadResult::peakResponseTimeMs),
                "Latency (ms) = response time - Server-Timing app;dur",
                new Metric("average", Kind.TIME, x -> x.latency().avgMs()),
                new Metric("p50", Kind.TIME, x -> x.latency().p50Ms()),
                new Metric("p90", Kind.TIME, x -> x.latency().p90Ms()),
                new Metric("p99", Kind.TIME, x -> x.latency().p99Ms()),
                new Metric("maximum", Kind.TIME, x -> x.latency().maxMs()),
                "Errors",
                new Metric("error rate (5xx, timeouts, I/O)", Kind.SHARE, x -> x.counts().errorRate()),
                new Metric("HTTP 5xx", Kind.COUNT, x -> x.counts().serverErrors()),
                new Metric("timeouts", Kind.COUNT, x -> x.counts().timeouts()),
                new Metric("I/O errors", Kind.COUNT, x -> x.counts().ioErrors()),
                new Metric("HTTP 4xx (not errors)", Kind.COUNT, x -> x.counts().clientErrors()),
                "Data (bytes on the wire: request/status line, headers, body)",
                new Metric("bytes out (requests)", Kind.BYTES, LoadResult::bytesOut),
                new Metric("bytes in (responses)", Kind.BYTES, LoadResult::bytesIn),
                new Metric("bytes out per request", Kind.BYTES, x -> perRequest(x, x.bytesOut())),
                new Metric("bytes in per request", Kind.BYTES, x -> perRequest(x, x.bytesIn())),
                new Metric("in/out ratio", Kind.SCORE, x -> x.bytesOut() == 0 ? 0 : (double) x.bytesIn() / x.bytesOut()),
                "Apdex (T = " + t + ", tolerating up to 4T, errors frustrated)",
                new Metric("score", Kind.SCORE, x -> x.apdex().score()),
                new Metric("satisfied", Kind.COUNT, x -> x.apdex().satisfied()),
                new Metric("tolerating", Kind.COUNT, x -> x.apdex().tolerating()),
                new Metric("frustrated", Kind.COUNT, x -> x.apdex().frustrated()),
                "Generator",
                new Metric("sent late (> " + LoadGenerator.LATE_MILLIS + " ms after intended time)", Kind.COUNT,
                        x -> x.dispatch().sentLate()),
                new Metric("max dispatch lag (ms)", Kind.TIME, x -> x.dispatch().maxLagMs()));
    }

    /** Shares of a whole, after counts that are parts of one, in the single-result table. */
    private static String note(Metric m, LoadResult r, double v) {
        long total = r.apdex().total();
        if (m.kind() == Kind.COUNT && total > 0 && (m.name().equals("satisfied") || m.name().equals("tolerating")
                || m.name().equals("frustrated"))) {
            return String.format(Locale.ROOT, " (%.1f%%)", 100 * v / total);
        }
        return "";
    }

    private static String endpointTable(LoadResult r) {
        if (r.endpoints().isEmpty()) {
            return "";
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"endpoint", "count", "errors", "4xx", "avg ms", "p50 ms", "p99 ms", "max ms"});
        for (LoadResult.EndpointStats e : r.endpoints()) {
            lines.add(new String[] {e.route(), Long.toString(e.count()), Long.toString(e.errors()),
                    Long.toString(e.clientErrors()), format(Kind.TIME, e.avgMs()), format(Kind.TIME, e.p50Ms()),
                    format(Kind.TIME, e.p99Ms()), format(Kind.TIME, e.maxMs())});
        }
        int[] width = new int[lines.get(0).length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder out = new StringBuilder("Per endpoint\n");
        for (String[] l : lines) {
            out.append("  ").append(pad(l[0], width[0], false));
            for (int i = 1; i < l.length; i++) {
                out.append("  ").append(pad(l[i], width[i], true));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Rows with {@code columns} value columns after the metric name, numbers right-aligned. */
    private static String aligned(List<Row> rows, int columns) {
        int[] width = new int[4];
        for (Row row : rows) {
            if (!row.heading()) {
                String[] cells = {row.metric(), row.a(), row.b(), row.change()};
                for (int i = 0; i < 4; i++) {
                    width[i] = Math.max(width[i], cells[i].length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (Row row : rows) {
            if (row.heading()) {
                out.append(row.metric()).append('\n');
                continue;
            }
            String[] cells = {row.metric(), row.a(), row.b(), row.change()};
            StringBuilder line = new StringBuilder("  ").append(pad(cells[0], width[0], false));
            for (int i = 1; i <= columns; i++) {
                line.append("  ").append(pad(cells[i], width[i], i < 3));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Milliseconds as the tables print them. */
    static String millis(double ms) {
        return format(Kind.TIME, ms);
    }

    private static String format(Kind kind, double v) {
        return switch (kind) {
            case TIME -> v < 1 ? String.format(Locale.ROOT, "%.3f", v)
                    : v < 100 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.1f", v);
            case THROUGHPUT -> String.format(Locale.ROOT, "%.1f", v);
            case COUNT, BYTES -> v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v)
                    : String.format(Locale.ROOT, "%,.1f", v);
            case SHARE -> String.format(Locale.ROOT, "%.2f%%", 100 * v);
            case SCORE -> String.format(Locale.ROOT, "%.3f", v);
        };
    }

    /** From {@code a} to {@code b}, worded by what is better for the kind of figure. */
    private static String change(Kind kind, double a, double b) {
        if (a == b) {
            return "same";
        }
        return switch (kind) {
            case SHARE -> String.format(Locale.ROOT, "%+.2f pp", 100 * (b - a));
            case SCORE -> String.format(Locale.ROOT, "%+.3f", b - a);
            case TIME -> {
                if (a <= 0 || b <= 0) {
                    yield a <= 0 ? "was 0" : "-100%";
                }
                double ratio = a / b;
                String pct = percent(a, b);
                if (ratio >= 1.5) {
                    yield String.format(Locale.ROOT, "%sx faster (%s)", ratioText(ratio), pct);
                } else if (ratio <= 1 / 1.5) {
                    yield String.format(Locale.ROOT, "%sx slower (%s)", ratioText(1 / ratio), pct);
                }
                yield pct;
            }
            case THROUGHPUT, COUNT, BYTES -> {
                if (a <= 0) {
                    yield "was 0";
                }
                double ratio = b / a;
                yield ratio >= 1.5 ? String.format(Locale.ROOT, "%sx (%s)", ratioText(ratio), percent(a, b)) : percent(a, b);
            }
        };
    }

    private static String percent(double a, double b) {
        double p = 100 * (b - a) / a;
        return String.format(Locale.ROOT, Math.abs(p) < 10 ? "%+.1f%%" : "%+.0f%%", p);
    }

    private static String ratioText(double ratio) {
        return ratio >= 100 ? String.format(Locale.ROOT, "%.0f", ratio) : String.format(Locale.ROOT, "%.1f", ratio);
    }

    private static double perRequest(LoadResult r, long bytes) {
        long n = r.counts().requests();
        return n == 0 ? 0 : Math.round((double) bytes / n);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    private static String md(String s) {
        return s.replace("|", "\\|");
    }
}
