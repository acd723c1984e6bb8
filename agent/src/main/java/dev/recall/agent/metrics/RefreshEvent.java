package dev.recall.agent.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A background reload (refresh-ahead, or of a stale entry), as a JFR event; disabled by default. */
@Name("dev.recall.Refresh")
@Label("Recall reload")
@Category("Recall")
@Description("A reload on the agent's reload threads; the event's duration is the reload's")
@Enabled(false)
@StackTrace(false)
final class RefreshEvent extends Event {

    @Label("Method")
    public String method;

    @Label("Key hash")
    public int keyHash;

    @Label("Ahead")
    @Description("Refresh-ahead (true) or the reload of a stale entry (false)")
    public boolean ahead;

    @Label("Succeeded")
    public boolean succeeded;
}
