package dev.recall.agent.telemetry.advise;

import dev.recall.agent.advise.Proposal;
import dev.recall.agent.advise.Figures;
import dev.recall.agent.advise.Verdict;
import dev.recall.agent.config.Durations;
import java.util.List;
import java.util.Locale;

/**
 * The advisor's report as text for a terminal: the recommended methods ranked by the time caching would
 * save, with the evidence; the covered ones; the refused ones with every reason; and what observing cost.
 * Stateless.
 */
public final class ProposalTable {

    private ProposalTable() {
    }

    public static String render(Proposal proposal) {
        StringBuilder out = new StringBuilder();
        List<Verdict> recommended = proposal.verdicts().stream().filter(v -> v.status() == Verdict.Status.RECOMMENDED).toList();
        List<Verdict> covered = proposal.verdicts().stream().filter(v -> v.status() == Verdict.Status.COVERED).toList();
        List<Verdict> refused = proposal.verdicts().stream().filter(v -> v.status() == Verdict.Status.REFUSED).toList();
        int width = "method".length();
        for (Verdict v : proposal.verdicts()) {
            width = Math.max(width, v.shortName().length());
        }
        String format = "%-4s %-" + width + "s %9s %8s %8s %8s %7s %7s %9s %10s %6s%n";
        out.append("Recommended (the time caching would have saved, most first):\n");
        out.append(String.format(Locale.ROOT, format, "rank", "method", "saved/s", "calls/s", "p50 ms", "p99 ms", "repeat",
                "same", "unchanged", "alloc/call", "ttl"));
        int rank = 1;
        for (Verdict v : recommended) {
            Figures f = v.figures();
            Figures.Timing t = f.timing();
            Figures.Lifetimes life = f.lifetimes();
            Verdict.Rule r = v.rule();
            out.append(String.format(Locale.ROOT, format, rank++, v.shortName(), millis(v.estimate().savedMillisPerSecond()) + " ms",
                    decimal(t.callsPerSecond()), decimal(t.p50Millis()), decimal(t.p99Millis()), percent(v.estimate().hitRatio()),
                    percent(f.recurrence().sameResultShare()),
                    seconds(f.recurrence().changed() == 0 ? life.longestUnchangedMillis() : life.medianLifeMillis()),
                    bytes(f.analysis().allocatedPerCall()), Durations.format(r.ttl())));
            if (r.key() != null || r.shared() || r.note() != null) {
                out.append("       ");
                if (r.writtenBy() != null) {
                    out.append(" written by ").append(r.writtenBy().signature().shortForm()).append(" (key ")
                            .append(r.writtenBy().key()).append(", ").append(r.writtenBy().reads())
                            .append(" reads returned what it had just written): cache it as write-through;");
                } else if (r.key() != null) {
                    out.append(" key ").append(r.key()).append(" (the other arguments never changed the result);");
                }
                if (r.shared()) {
                    out.append(" shared: true (instances of other state gave equal results);");
                }
                if (r.note() != null) {
                    out.append(' ').append(r.note());
                }
                out.append('\n');
            }
        }
        if (recommended.isEmpty()) {
            out.append("  (none yet)\n");
        }
        if (!covered.isEmpty()) {
            out.append("\nCovered (worth caching, but most of their time is in the methods above):\n");
            for (Verdict v : covered) {
                out.append(String.format(Locale.ROOT, "  %-" + width + "s %9s  %s%n", v.shortName(),
                        millis(v.estimate().savedMillisPerSecond()) + " ms", v.reasons().get(0)));
            }
        }
        if (!refused.isEmpty()) {
            out.append("\nRefused (caching them would change what the application computes, or save nothing):\n");
            for (Verdict v : refused) {
                Figures.Timing t = v.figures().timing();
                out.append(String.format(Locale.ROOT, "  %-" + width + "s %8s calls/s %8s ms p50  %s%n", v.shortName(),
                        decimal(t.callsPerSecond()), decimal(t.p50Millis()), String.join("; ", v.reasons())));
            }
        }
        out.append(String.format(Locale.ROOT, "%nobserved %d methods for %s: %d calls; the observer's own work %.2f ms per second"
                        + " (analysis of sampled calls %s, and %d ns per call for counting and timing); %d failures of the "
                        + "observer (those calls ran as usual)%n",
                proposal.observed(), seconds(proposal.observedNanos() / 1_000_000), proposal.calls(), proposal.overheadMillisPerSecond(),
                millis(proposal.analysisNanos() / 1e6) + " ms", proposal.perCallNanos(), proposal.failures()));
        out.append("repeat: analysed calls whose arguments an earlier analysed call had (a lower bound of the hit ratio); same: "
                + "repeats that gave the same result; unchanged: the longest a result was seen unchanged, or the median life of "
                + "results seen to change\n");
        return out.toString();
    }

    static String decimal(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    static String millis(double v) {
        return String.format(Locale.ROOT, v >= 10 ? "%.0f" : "%.1f", v);
    }

    static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String seconds(long millis) {
        if (millis < 0) {
            return "-";
        }
        return millis < 1000 ? millis + " ms" : millis < 120_000 ? String.format(Locale.ROOT, "%.0f s", millis / 1000.0)
                : String.format(Locale.ROOT, "%.0f min", millis / 60_000.0);
    }

    private static String bytes(long n) {
        if (n < 0) {
            return "-";
        }
        return n < 10_000 ? n + " B" : n < 10_000_000 ? n / 1024 + " kB" : n / (1024 * 1024) + " MB";
    }
}
