package dev.recall.agent.advise;

import dev.recall.agent.config.Defaults;
import dev.recall.agent.config.MethodSignature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the evidence of every observed method into verdicts: refused (with every reason that applies, the
 * one that makes caching wrong first), recommended with a TTL, key and sharing, or covered (recommended on its
 * own, but at least half its time is spent in methods that are recommended or covered themselves: caching
 * those saves the same, and keeps each entry small and each TTL true to one source). Ranked by the time
 * caching would save per second. Stateless.
 */
final class Judge {

    /** A call below this is too cheap: a hit would save little more than it costs (a copy, a key, a look-up). */
    static final double CHEAPEST_MILLIS = 0.02;
    /**
     * A method whose caching would save less than this per second is too cheap to be worth its entries' memory
     * and the chance of a stale answer: a thousandth of one core; a tenth of that for a call of half a millisecond or
     * more (a query, a remote call), each hit of which saves hundreds of times what it costs.
     */
    static final double LEAST_SAVED_MILLIS_PER_SECOND = 1.0;
    private static final double LEAST_SAVED_BY_SLOW_CALLS = 0.1;
    private static final double SLOW_CALL_MILLIS = 0.5;
    private static final long FEWEST_CALLS = 20;
    private static final long FEWEST_ANALYSED = 10;
    /** Repeats of earlier arguments below this share: a cache would nearly always miss. */
    private static final double FEWEST_REPEATS = 0.05;
    /** Repeats giving the same result below this share: the result depends on more than the arguments. */
    private static final double LEAST_SAME = 0.5;
    /** A method whose time is at least this much in handled callees is covered by them. */
    private static final double COVERED = 0.5;
    private static final Duration LONGEST_TTL = Duration.ofMinutes(10);
    private static final Duration SHORTEST_TTL = Duration.ofMillis(100);

    private Judge() {
    }

    static List<Verdict> judge(Map<Observer, Figures> seen) {
        Map<Observer, Verdict> verdicts = new IdentityHashMap<>();
        for (Map.Entry<Observer, Figures> e : seen.entrySet()) {
            verdicts.put(e.getKey(), alone(e.getKey(), e.getValue()));
        }
        // A method writes through to one region: of several readers it writes, the one with the most changes traced to
        // it keeps it, and the others are judged without a writer (a TTL from their changes).
        Map<MethodSignature, Observer> writerOf = new HashMap<>();
        for (Map.Entry<Observer, Verdict> e : verdicts.entrySet()) {
            Verdict.WrittenBy w = e.getValue().rule().writtenBy();
            if (w != null) {
                Observer other = writerOf.get(w.signature());
                if (other == null || verdicts.get(other).rule().writtenBy().reads() < w.reads()) {
                    writerOf.put(w.signature(), e.getKey());
                }
            }
        }
        for (Map.Entry<Observer, Verdict> e : verdicts.entrySet()) {
            Verdict.WrittenBy w = e.getValue().rule().writtenBy();
            if (w != null && writerOf.get(w.signature()) != e.getKey()) {
                e.setValue(alone(e.getKey(), seen.get(e.getKey()), false));
            }
        }
        List<Verdict> out = new ArrayList<>();
        for (Map.Entry<Observer, Verdict> e : verdicts.entrySet()) {
            Verdict v = e.getValue();
            if (v.status() == Verdict.Status.RECOMMENDED) {
                v = coverIfHandled(e.getKey(), v, verdicts);
            }
            out.add(v);
        }
        out.sort(Comparator.comparing(Verdict::status)
                .thenComparing(Comparator.comparingDouble((Verdict v) -> v.estimate().savedMillisPerSecond()).reversed())
                .thenComparing(Verdict::method));
        return out;
    }

    /** The verdict on one method's own evidence. */
    static Verdict alone(Observer o, Figures f) {
        return alone(o, f, true);
    }

    /** @param writers whether a writer traced in its evidence may become its write-through */
    private static Verdict alone(Observer o, Figures f, boolean writers) {
        Figures.Timing t = f.timing();
        Figures.Writes w = f.writes();
        Figures.Recurrence r = f.recurrence();
        List<String> reasons = new ArrayList<>();
        if (w.writtenArgument() >= 0) {
            reasons.add("writes into its argument #" + w.writtenArgument() + " (" + w.writtenType() + "): a hit would skip "
                    + "that write");
        }
        if (w.callerChanges() > 0) {
            reasons.add("callers change its result after it returns (" + w.changedType() + ", " + w.callerChanges() + " of "
                    + w.callerChecks() + " checked): they rely on a result of their own");
        }
        double same = r.sameResultShare();
        if (!Double.isNaN(same) && same < LEAST_SAME && r.unchanged() + r.changed() >= 5) {
            reasons.add(String.format(Locale.ROOT, "result differs for equal arguments (%.0f%% of %d repeats): it depends on "
                    + "more than its arguments (the clock, a random source, changing state)", (1 - same) * 100,
                    r.unchanged() + r.changed()));
        }
        boolean shared = !o.isStatic() && r.agreeAcross() >= 3 && r.disagreeAcross() == 0;
        long hits = r.repeats() + (shared ? r.crossRepeats() : 0);
        double hitRatio = r.lookups() == 0 ? 0 : (double) hits / r.lookups();
        // Per call, the median: on a busy machine a call of a microsecond now and then waits out other threads, and a
        // mean made of such waits would rank a trifle above a query.
        double typical = Double.isNaN(t.p50Millis()) ? 0 : t.p50Millis();
        double saved = t.callsPerSecond() * hitRatio * typical;
        boolean neverRepeat = r.lookups() >= FEWEST_ANALYSED && hitRatio < FEWEST_REPEATS;
        if (o.retired() || t.p50Millis() < CHEAPEST_MILLIS) {
            reasons.add(String.format(Locale.ROOT, "too cheap: %.1f µs per call (median); a hit would save little more than it "
                    + "costs", t.p50Millis() * 1000));
        } else if (!neverRepeat && r.lookups() >= FEWEST_ANALYSED
                && saved < (typical >= SLOW_CALL_MILLIS ? LEAST_SAVED_BY_SLOW_CALLS : LEAST_SAVED_MILLIS_PER_SECOND)) {
            reasons.add(String.format(Locale.ROOT, "too cheap: caching would save %.2f ms per second (%.3f ms per call), "
                    + "less than its entries and the risk of a stale answer are worth", saved, typical));
        }
        if (neverRepeat) {
            reasons.add(String.format(Locale.ROOT, "arguments never repeat: %.1f%% of %d analysed calls repeat an earlier "
                    + "call's", hitRatio * 100, r.lookups()));
        }
        if (reasons.isEmpty() && (t.calls() < FEWEST_CALLS || r.lookups() < FEWEST_ANALYSED)) {
            reasons.add("seen too little to judge: " + t.calls() + " calls, " + r.lookups() + " analysed");
        }
        if (!reasons.isEmpty()) {
            return new Verdict(o.signature(), Verdict.Status.REFUSED, List.copyOf(reasons), f,
                    new Verdict.Estimate(hitRatio, saved), Verdict.Rule.NONE);
        }
        Duration ttl;
        String basis;
        Verdict.WrittenBy writtenBy = writers ? writtenBy(o, f) : null;
        List<MethodSignature> evictedBy = writtenBy != null ? List.of() : evictedBy(o, f);
        if (writtenBy != null) {
            // The changes come from a writer that can write through: entries stay right without a short life.
            ttl = Defaults.BUILT_IN.ttl();
            basis = writtenBy.reads() + " reads returned what " + writtenBy.signature().shortForm() + " had just written ("
                    + r.changed() + " changes seen): it writes through, and the ttl is the default";
        } else if (!evictedBy.isEmpty()) {
            // Every change seen followed a call of a writer: evicted there, entries stay right without a short life.
            ttl = Defaults.BUILT_IN.ttl();
            basis = r.changed() + " changes seen, each after a call of a method that writes what it reads: evicted there, "
                    + "and the ttl is the default";
        } else if (r.changed() == 0) {
            // No evidence of change is no evidence of how long results last: the configured default applies, and the
            // proposal's verify: shows if the data changes sooner.
            ttl = Defaults.BUILT_IN.ttl();
            basis = "no change seen in " + seconds(f.lifetimes().longestUnchangedMillis()) + ": the default ttl";
        } else {
            ttl = nice(Math.max(100, f.lifetimes().medianLifeMillis()));
            basis = r.changed() + " changes seen, results lived " + seconds(f.lifetimes().medianLifeMillis())
                    + " (median)";
        }
        String note = w.mutableType() == null ? null : "returns a mutable " + w.mutableType() + ": each hit gets its own copy "
                + "(copy: auto), which callers may change";
        return new Verdict(o.signature(), Verdict.Status.RECOMMENDED, List.of(), f, new Verdict.Estimate(hitRatio, saved),
                new Verdict.Rule(ttl, basis, writtenBy != null ? "{0}" : key(r.undecisive()), shared, note, writtenBy,
                        evictedBy));
    }

    /**
     * The method most reads were seen to return the very value of, just after it wrote it: it becomes the write-through
     * of a region it and this method name together.
     */
    private static Verdict.WrittenBy writtenBy(Observer o, Figures f) {
        RecentResults.Writer best = null;
        long most = 0;
        for (Map.Entry<RecentResults.Writer, Long> w : f.graph().writers().entrySet()) {
            if (!w.getKey().writer().evidence().neverRepeated()) {
                continue; // its arguments repeat: a reader of the same data, not the writer
            }
            // Of writers traced as often, the one with fewer parameters: the repository's save(product) rather than the
            // service's update(id, name, category, price) that calls it.
            if (w.getValue() > most || w.getValue() == most && best != null
                    && w.getKey().writer().signature().arity() < best.writer().signature().arity()) {
                best = w.getKey();
                most = w.getValue();
            }
        }
        // Two reads at least that returned what it had just written, and as many as half the changes seen, if any.
        if (best == null || most < Math.max(2, f.recurrence().changed() / 2)) {
            return null;
        }
        String cache = o.signature().shortForm().replaceAll("\\(.*", "");
        return new Verdict.WrittenBy(best.writer().signature(), cache, best.path().isEmpty() ? "{0}" : "{0." + best.path() + "}",
                most);
    }

    /**
     * The writers of what {@code o} reads that return something else: the methods that ran before its changes and whose
     * arguments never repeated (a reader of other data that happened to run then repeats its arguments). Each evicts
     * every entry of the region: which of its arguments names the changed entry is not known.
     */
    private static List<MethodSignature> evictedBy(Observer o, Figures f) {
        if (f.recurrence().changed() == 0) {
            return List.of();
        }
        List<MethodSignature> out = new ArrayList<>();
        for (Map.Entry<Observer, Long> e : f.graph().ranBeforeChanges().entrySet()) {
            Observer w = e.getKey();
            if (w != o && !w.retired() && w.evidence().notRepeated()) {
                out.add(w.signature());
            }
        }
        out.sort(Comparator.comparing(MethodSignature::display));
        return out;
    }

    private static Verdict coverIfHandled(Observer o, Verdict v, Map<Observer, Verdict> verdicts) {
        Figures f = v.figures();
        if (f.graph().followedNanos() <= 0) {
            return v;
        }
        long handled = 0;
        List<String> by = new ArrayList<>();
        for (Map.Entry<Observer, Long> c : f.graph().childNanos().entrySet()) {
            Verdict child = verdicts.get(c.getKey());
            if (c.getKey() != o && child != null && child.status() != Verdict.Status.REFUSED) {
                handled += c.getValue();
                by.add(child.shortName());
            }
        }
        double share = (double) handled / f.graph().followedNanos();
        if (share < COVERED) {
            return v;
        }
        return v.covered(List.of(String.format(Locale.ROOT, "%.0f%% of its time is in %s, recommended themselves", share * 100,
                String.join(", ", by))));
    }

    /** The template of the deciding arguments, when some (not all) do not decide the result; else {@code null}. */
    private static String key(boolean[] undecisive) {
        int deciding = 0;
        for (boolean u : undecisive) {
            deciding += u ? 0 : 1;
        }
        if (deciding == undecisive.length || deciding == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < undecisive.length; i++) {
            if (!undecisive[i]) {
                b.append(b.length() > 0 ? ":" : "").append('{').append(i).append('}');
            }
        }
        return b.toString();
    }

    /**
     * {@code millis} rounded down to one significant figure of its unit (850 ms to 800ms, 9.4 s to 9s, 47 s to 40s,
     * 3.5 min to 3m), from 100 ms to {@link #LONGEST_TTL}: a TTL a person reads at a glance, never longer than measured.
     */
    static Duration nice(long millis) {
        if (millis >= LONGEST_TTL.toMillis()) {
            return LONGEST_TTL;
        }
        long unit = millis >= 60_000 ? 60_000 : millis >= 1000 ? 1000 : 1;
        long value = millis / unit;
        long magnitude = 1;
        while (value >= magnitude * 10) {
            magnitude *= 10;
        }
        Duration d = Duration.ofMillis(value / magnitude * magnitude * unit);
        return d.compareTo(SHORTEST_TTL) < 0 ? SHORTEST_TTL : d;
    }

    private static String seconds(long millis) {
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.0f s", millis / 1000.0);
    }
}
