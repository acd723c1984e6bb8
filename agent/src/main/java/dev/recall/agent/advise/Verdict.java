package dev.recall.agent.advise;

import dev.recall.agent.config.MethodSignature;
import java.time.Duration;
import java.util.List;

/**
 * What the advisor concludes about one observed method, with the evidence it rests on. Immutable.
 *
 * @param signature the method
 * @param status whether to cache it
 * @param reasons why not (refused), or which methods cover it (covered); empty for a recommended one
 * @param estimate what a cache would have given
 * @param rule the rule proposed to cache it; {@link Rule#NONE} for a refused one
 */
public record Verdict(MethodSignature signature, Status status, List<String> reasons, Figures figures, Estimate estimate,
                      Rule rule) {

    /**
     * @param hitRatio the hit ratio a cache would have had, estimated from the repeats seen (a lower bound)
     * @param savedMillisPerSecond the time caching would have saved, per second of observation
     */
    public record Estimate(double hitRatio, double savedMillisPerSecond) {
    }

    /**
     * @param ttl the proposed TTL (recommended methods), or {@code null}
     * @param ttlBasis what the TTL rests on, in words
     * @param key the proposed key template when some arguments do not decide the result, else {@code null}
     * @param shared whether instances of different state gave equal results for equal arguments
     * @param note anything else a user should know about caching it, or {@code null}
     * @param writtenBy the method seen to write what this one returns, to cache as its write-through; {@code null} if none
     * @param evictedBy the methods that write what it returns without returning it (they ran before its results
     *                  changed, and never with repeated arguments): each evicts its region; empty if none
     */
    public record Rule(Duration ttl, String ttlBasis, String key, boolean shared, String note, WrittenBy writtenBy,
                       List<MethodSignature> evictedBy) {

        /** What a refused method is proposed: nothing. */
        static final Rule NONE = new Rule(null, null, null, false, null, null, List.of());
    }

    /**
     * A writer of a recommended method's entries: it writes through to the region {@code cache} they share, under the
     * key {@code key} of its own arguments ({@code {0.id}}), which meets the reader's {@code {0}}.
     */
    public record WrittenBy(MethodSignature signature, String cache, String key, long reads) {
    }

    public enum Status {
        /** Worth caching as proposed. */
        RECOMMENDED,
        /** Worth caching on its own, but most of its time is in methods recommended already. */
        COVERED,
        /** Caching it would change what the application computes, or save nothing. */
        REFUSED
    }

    /** The region name of its rule, when a writer or an eviction must name it: {@code Repo.find}. */
    public String cache() {
        return signature.shortForm().replaceAll("\\(.*", "");
    }

    /** {@code Class.method(ParamTypes)}. */
    public String method() {
        return signature.display();
    }

    /** With simple names, for tables. */
    public String shortName() {
        return signature.shortForm();
    }

    Verdict covered(List<String> by) {
        return new Verdict(signature, Status.COVERED, by, figures, estimate, rule);
    }
}
