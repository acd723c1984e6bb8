package dev.recall.agent.telemetry.jmx;

import dev.recall.agent.advise.Advisor;
import dev.recall.agent.advise.Verdict;
import dev.recall.agent.telemetry.advise.ProposalTable;
import dev.recall.agent.telemetry.advise.ProposedConfig;

/**
 * {@code dev.recall:type=Advisor}, registered in advise mode: what to cache, as text (the table {@code advise PID}
 * prints) and as a configuration file, judged anew on every read. Read by the JMX server's threads; the advisor it
 * reads is thread-safe, and each read judges a snapshot of its own.
 */
final class AdvisorBean extends DescribedBean<Void> {

    AdvisorBean(Advisor advisor) {
        super(Advisor.class.getName(), "Recall's advisor: which observed methods to cache, with the evidence");
        attribute("Report", String.class, "The observed methods ranked by the time caching would save per second, the "
                + "covered and the refused ones with their reasons, and what observing cost", () -> ProposalTable.render(advisor.proposal()));
        attribute("ProposedConfig", String.class, "A configuration file caching the recommended methods, ready to use",
                () -> ProposedConfig.render(advisor.proposal()));
        attribute("Recommended", String[].class, "The recommended methods, most time saved first",
                () -> advisor.proposal().verdicts().stream().filter(v -> v.status() == Verdict.Status.RECOMMENDED)
                        .map(Verdict::method).toArray(String[]::new));
        attribute("ObservedMethods", int.class, "Methods observed (woven with an observer)", advisor::observed);
        attribute("OverheadMillisPerSecond", double.class, "The observer's own work, in milliseconds per second of observation",
                () -> advisor.proposal().overheadMillisPerSecond());
        operation("resetStatistics", "Forgets what was observed; observing starts again from now", void.class, params -> {
            advisor.reset();
            return null;
        });
    }

}
