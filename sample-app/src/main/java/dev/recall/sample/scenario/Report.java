package dev.recall.sample.scenario;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Prints what the scenario measured twice over: a table for people, then {@code RESULT} lines for scripts
 * and tests ({@code RESULT <name> key=value ...}, one fact per line, numbers with a dot, never localised).
 */
public final class Report {

    private final PrintStream out;

    public Report(PrintStream out) {
        this.out = out;
    }

    public void header(boolean agentAttached, String database, int productCount, int reviewCount,
                       double seedMs, String ratesApi) {
        out.println("Recall sample: product catalogue");
        out.println("agent attached: " + yesNo(agentAttached));
        out.println(format("database: %s (%,d products, %,d reviews, seeded in %.1f ms)",
                database, productCount, reviewCount, seedMs));
        out.println("exchange rates API: " + ratesApi);
        out.println();
    }

    public void timings(List<OperationTiming> timings) {
        out.println(format("%-14s %5s %6s %7s %15s %15s %9s",
                "operation", "keys", "calls", "errors", "first call ms", "repeat avg ms", "speed-up"));
        for (OperationTiming timing : timings) {
            out.println(format("%-14s %5d %6d %7d %15.1f %15.1f %9s",
                    timing.operation(), timing.keys(), timing.calls(), timing.failures(), timing.firstMs(),
                    timing.repeatAvgMs(), speedUp(timing)));
        }
        out.println("(first call: mean of each key's first call; repeat avg: mean of the "
                + Scenario.REPEATS + " later calls per key)");
        out.println();
        for (OperationTiming timing : timings) {
            out.println("  " + timing.sample());
        }
        out.println();
    }

    public void writeCheck(WriteCheck check) {
        out.println(format("write: save(%d) price %s -> %s EUR in %.1f ms; findProduct(%d) now %s, database %s",
                check.productId(), check.oldPrice(), check.newPrice(), check.saveMs(), check.productId(),
                check.readPrice(), check.databasePrice()));
        out.println("fresh after write: " + yesNo(check.freshAfterWrite()));
        out.println(format("evict: new review, categoryChanged(%s); categoryStats reviews %d -> %d (took %.1f ms)",
                check.category(), check.reviewsBefore(), check.reviewsAfter(), check.statsAfterMs()));
        out.println("fresh after evict: " + yesNo(check.freshAfterEvict()));
    }

    public void footer(long ratesRequests, double seedMs, double scenarioMs, double totalMs) {
        out.println("requests that reached the exchange rates API: " + ratesRequests);
        out.println(format("total: %.1f ms (seed %.1f ms, scenario %.1f ms)", totalMs, seedMs, scenarioMs));
        out.println();
    }

    public void results(boolean agentAttached, List<OperationTiming> timings, WriteCheck check,
                        long ratesRequests, double seedMs, double totalMs) {
        out.println("RESULT agent_attached=" + agentAttached);
        for (OperationTiming timing : timings) {
            out.println(format("RESULT %s first_ms=%.1f repeat_avg_ms=%.1f calls=%d errors=%d",
                    timing.operation(), timing.firstMs(), timing.repeatAvgMs(), timing.calls(),
                    timing.failures()));
        }
        out.println(format("RESULT save ms=%.1f", check.saveMs()));
        out.println("RESULT fresh_after_write=" + check.freshAfterWrite());
        out.println("RESULT fresh_after_evict=" + check.freshAfterEvict());
        out.println("RESULT rates_requests=" + ratesRequests);
        out.println(format("RESULT seed_ms=%.1f", seedMs));
        out.println(format("RESULT total_ms=%.1f", totalMs));
    }

    public void lingerStart(long seconds, long pid) {
        out.println();
        out.println(format("lingering %d s: one cached read every %d ms (pid %d; watch the dev.recall MBeans"
                + " in JConsole or VisualVM)", seconds, Scenario.LINGER_PAUSE_MS, pid));
        out.flush();
    }

    public void linger(Linger linger) {
        out.println(format("lingered %d s: %d calls, %d errors",
                linger.seconds(), linger.calls(), linger.failures()));
        out.println(format("RESULT linger seconds=%d calls=%d errors=%d",
                linger.seconds(), linger.calls(), linger.failures()));
    }

    private static String speedUp(OperationTiming timing) {
        double speedUp = timing.speedUp();
        return speedUp >= 10_000 ? ">10000x" : format("%.1fx", speedUp);
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    private static String format(String pattern, Object... arguments) {
        return String.format(Locale.ROOT, pattern, arguments);
    }
}
