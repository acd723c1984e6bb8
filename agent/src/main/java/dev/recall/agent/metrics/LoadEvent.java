package dev.recall.agent.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A run of a cached method on a miss (or a reload), as a JFR event: its duration is the load's. Disabled by
 * default ({@code docs/recall.jfc} enables it); when disabled it costs a load the allocation of this object and
 * nothing else, and no hit ever makes one. Confined to the loading thread.
 */
@Name("dev.recall.Load")
@Label("Recall load")
@Category("Recall")
@Description("A cached method ran on a miss or a reload; the event's duration is the load's")
@Enabled(false)
@StackTrace(false)
final class LoadEvent extends Event {

    @Label("Method")
    public String method;

    @Label("Key hash")
    @Description("The key's hashCode: tells loads of one key apart without recording the key")
    public int keyHash;

    @Label("Succeeded")
    public boolean succeeded;
}
