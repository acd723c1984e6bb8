package dev.recall.agent.telemetry.advise;

import dev.recall.agent.advise.Proposal;
import dev.recall.agent.advise.Figures;
import dev.recall.agent.advise.Verdict;
import dev.recall.agent.config.Durations;
import dev.recall.agent.config.MethodSignature;
import java.util.Locale;

/**
 * The advisor's proposal as a configuration file the agent reads as it is: one rule per recommended method,
 * with its TTL from the observed change interval, a key when some arguments do not decide the result,
 * {@code shared: true} where instances of other state gave equal results, each with a comment saying what it
 * rests on; and {@code verify: 1%}, so that a TTL longer than the data allows shows as stale hits. Stateless.
 */
public final class ProposedConfig {

    /** The share of hits verified by the proposed file: enough to see stale entries, little to pay. */
    static final String VERIFY = "1%";

    private ProposedConfig() {
    }

    public static String render(Proposal proposal) {
        StringBuilder out = new StringBuilder();
        out.append("# Proposed by the Recall advisor after ").append(ProposalTable.seconds(proposal.observedNanos() / 1_000_000))
                .append(" of observation. Each rule says what it rests on.\n")
                .append("# verify: one hit in a hundred also runs the method and compares the results (VerifiedHits,\n")
                .append("# StaleHits in stats): a method with stale hits needs a shorter ttl, or an eviction where its data is written.\n")
                .append("verify: ").append(VERIFY).append('\n');
        boolean any = false;
        StringBuilder evict = new StringBuilder();
        for (Verdict v : proposal.verdicts()) {
            if (v.status() != Verdict.Status.RECOMMENDED) {
                continue;
            }
            if (!any) {
                out.append("methods:\n");
                any = true;
            }
            Figures.Timing t = v.figures().timing();
            Verdict.Rule r = v.rule();
            out.append(String.format(Locale.ROOT, "  # saves ~%s ms/s: %s calls/s, %s of them repeats, %s ms per call (median); %s%n",
                    ProposalTable.millis(v.estimate().savedMillisPerSecond()), ProposalTable.decimal(t.callsPerSecond()),
                    ProposalTable.percent(v.estimate().hitRatio()), ProposalTable.decimal(t.p50Millis()), r.ttlBasis()));
            if (r.note() != null) {
                out.append("  # ").append(r.note()).append('\n');
            }
            out.append("  - method: ").append(pattern(v.signature())).append('\n');
            Verdict.WrittenBy w = r.writtenBy();
            if (w != null) {
                out.append("    cache: ").append(w.cache()).append('\n');
            } else if (!r.evictedBy().isEmpty()) {
                out.append("    cache: ").append(v.cache()).append('\n');
                for (MethodSignature e : r.evictedBy()) {
                    evict.append("  - method: ").append(pattern(e)).append('\n').append("    cache: ").append(v.cache())
                            .append('\n').append("    allEntries: true\n");
                }
            }
            out.append("    ttl: ").append(Durations.format(r.ttl())).append('\n');
            if (r.key() != null) {
                out.append("    key: \"").append(r.key()).append("\"\n");
            }
            if (r.shared()) {
                out.append("    shared: true\n");
            }
            if (w != null) {
                out.append("  # writes what the rule above reads (").append(w.reads()).append(" reads returned what it had just written): it sets the ")
                        .append("entry when it returns\n");
                out.append("  - method: ").append(pattern(w.signature())).append('\n');
                out.append("    cache: ").append(w.cache()).append('\n');
                out.append("    key: \"").append(w.key()).append("\"\n");
                out.append("    strategy: write-through\n");
            }
        }
        if (evict.length() > 0) {
            out.append("# Evictions: each method ran before results of the region changed, and never with repeated arguments (a\n")
                    .append("# write); which argument names the changed entry is not known, so each evicts the whole region.\n")
                    .append("evict:\n").append(evict);
        }
        if (!any) {
            out.append("methods: []   # nothing recommended yet: let the application run under its usual load, then ask again\n");
        }
        return out.toString();
    }

    /** The method as a rule names it: {@code com.acme.Repo#find(java.lang.String, long)}. */
    static String pattern(MethodSignature s) {
        return s.className() + "#" + s.methodName() + "(" + String.join(", ", s.parameterTypes()) + ")";
    }
}
