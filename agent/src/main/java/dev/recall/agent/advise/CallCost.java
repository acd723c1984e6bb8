package dev.recall.agent.advise;

import dev.recall.agent.config.MethodSignature;
import dev.recall.bridge.Call;
import java.util.List;

/**
 * Measures what observing one call costs when it is not analysed (the thread's frames, the call's object,
 * two clock reads, the counters and the time histogram), by observing an empty method of the agent's own on
 * the background thread: the figure the advisor states its overhead with. Called by that thread only; its observer
 * is its own, registered nowhere.
 */
final class CallCost {

    private static final int CALLS = 20_000;

    private CallCost() {
    }

    /** Nanoseconds per observed call: the fastest of ten rounds, once the code is compiled. */
    static long measure() {
        Observer o = new Observer(new MethodSignature("dev.recall.agent.advise.CallCost", "calibration", List.of()), true);
        o.analyseEvery(0);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            long began = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                o.exit((Call) o.enter(null, null, null, null), null, null);
            }
            best = Math.min(best, System.nanoTime() - began);
        }
        return best / CALLS;
    }
}
