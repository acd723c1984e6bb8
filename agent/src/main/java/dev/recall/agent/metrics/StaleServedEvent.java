package dev.recall.agent.metrics;

import jdk.jfr.Category;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A call answered with a value past its TTL ({@code staleIfError}), as an instant JFR event; disabled by default. */
@Name("dev.recall.StaleServed")
@Label("Recall stale value served")
@Category("Recall")
@Enabled(false)
@StackTrace(false)
final class StaleServedEvent extends Event {

    @Label("Method")
    public String method;

    @Label("Key hash")
    public int keyHash;

    @Label("Past its TTL")
    @Timespan(Timespan.NANOSECONDS)
    public long pastTtl;
}
