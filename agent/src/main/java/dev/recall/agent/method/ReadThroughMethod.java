package dev.recall.agent.method;

import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LoadTurn;
import dev.recall.agent.store.Loading;
import dev.recall.agent.store.Region;

/**
 * {@code READ_THROUGH}: on a miss the method runs once per key, however many threads miss together; the
 * others wait for that result. If the load fails, the waiters retry one at a time, each seeing its own
 * outcome (an exception is never handed to a thread that did not cause it). A call that re-enters its
 * own key on the loading thread runs uncoalesced instead of waiting for itself.
 */
public final class ReadThroughMethod extends ReadMethod {

    public ReadThroughMethod(MethodSpec spec, Region region) {
        super(spec, region);
    }

    @Override
    protected Object miss(Object key) {
        stats.miss();
        while (true) {
            long stamp = region.stamp(key);
            Loading mine = new Loading();
            Loading other = region.startLoad(key, mine);
            if (other == null) {
                // A load may have finished between our lookup and our registration, or another JVM may be loading.
                LoadTurn turn;
                try {
                    turn = region.takeTurn(key, this);
                } catch (Throwable t) {
                    region.finishLoad(key, mine, null);
                    throw t;
                }
                Entry late = turn.loaded();
                if (late != null) {
                    region.finishLoad(key, mine, late);
                    return late.value();
                }
                return new ReadCall(key, stamp, mine, turn);
            }
            if (other.isLoadedByCurrentThread()) {
                return new ReadCall(key, stamp, null, LoadTurn.MINE);
            }
            Entry result;
            try {
                result = other.await();
            } catch (InterruptedException e) {
                // Keep the interrupt for the application and do the work ourselves rather than fail it.
                Thread.currentThread().interrupt();
                return new ReadCall(key, stamp, null, LoadTurn.MINE);
            }
            if (result != null) {
                return result.value();
            }
            region.abandonLoad(key, other);
        }
    }
}
