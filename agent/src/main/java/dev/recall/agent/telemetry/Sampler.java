package dev.recall.agent.telemetry;

import dev.recall.agent.log.Log;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.telemetry.alert.Alerts;
import java.util.List;
import java.util.function.Supplier;

/**
 * Takes the periodic readings that windows are made of, then checks the alerts. Runs on the agent's
 * background thread at a fixed rate; never on an application thread.
 */
public final class Sampler implements Runnable {

    private final Supplier<List<CachedMethod>> methods;
    private final Alerts alerts;

    public Sampler(Supplier<List<CachedMethod>> methods, Alerts alerts) {
        this.methods = methods;
        this.alerts = alerts;
    }

    @Override
    public void run() {
        try {
            long now = System.nanoTime();
            List<CachedMethod> all = methods.get();
            for (CachedMethod m : all) {
                m.stats().sample(now);
            }
            alerts.evaluate(all, now);
        } catch (Throwable t) {
            // A scheduled task that throws is never run again: keep sampling.
            Log.once("sampler|" + t.getClass().getName(), "taking metric samples failed", t);
        }
    }
}
