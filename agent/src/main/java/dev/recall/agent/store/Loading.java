package dev.recall.agent.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A load under way for one key: the thread running the method, and the result others wait for.
 * Published through {@link Region}'s concurrent map; completed exactly once by its loader.
 */
public final class Loading {

    private final Thread loader = Thread.currentThread();
    private final CompletableFuture<Entry> result = new CompletableFuture<>();

    public boolean isLoadedByCurrentThread() {
        return loader == Thread.currentThread();
    }

    void complete(Entry entry) {
        result.complete(entry);
    }

    void fail() {
        result.complete(null);
    }

    /**
     * Waits for the loader.
     *
     * @return the entry it produced, or {@code null} if it failed or died (the caller then retries)
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Entry await() throws InterruptedException {
        while (true) {
            try {
                return result.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (!loader.isAlive()) {
                    // The loader died without reaching its exit advice; never wait on it forever.
                    return null;
                }
            } catch (ExecutionException e) {
                return null;
            }
        }
    }
}
