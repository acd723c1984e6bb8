package dev.recall.agent.method;

import dev.recall.agent.store.Loading;
import dev.recall.agent.store.LoadTurn;
import dev.recall.bridge.Call;

/** A miss of a reading method whose body now runs. Confined to the calling thread. */
final class ReadCall extends Call {
    final Object key;
    final long stamp;
    final long startNanos;
    /** The load others may wait on; {@code null} when nobody can (cache-aside, or a recursive call). */
    final Loading loading;
    /** This JVM's turn among the JVMs sharing the store; released once the result is stored. */
    final LoadTurn turn;

    ReadCall(Object key, long stamp, Loading loading, LoadTurn turn) {
        this.key = key;
        this.stamp = stamp;
        this.loading = loading;
        this.turn = turn;
        this.startNanos = System.nanoTime();
    }
}
