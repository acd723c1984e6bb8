package dev.recall.agent.store.remote;

import dev.recall.agent.log.Log;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * A lease holder's side of acknowledged invalidations: once the subscriber thread has applied another JVM's
 * invalidation, it hands the acknowledgement here, and this class's own thread ({@code recall-redis-acks})
 * publishes it on the writer's acknowledgement channel, all those owed to one writer in one message. The
 * subscriber thread never waits on Redis for it, so invalidations keep being applied in order.
 *
 * <p>Shared: the subscriber thread offers, the sending thread drains; the queue is concurrent. An
 * acknowledgement that cannot be sent is dropped: its writer waits out the lease, which is the bound anyway.
 */
final class AckSender {

    private static final int QUEUE_LIMIT = 100_000;

    private final LinkedBlockingQueue<String[]> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    /** Publishes (writer node id, message) */
    private final BiConsumer<String, String> publish;
    private final String self;

    AckSender(String self, BiConsumer<String, String> publish) {
        this.self = self;
        this.publish = publish;
        Thread t = new Thread(this::run, "recall-redis-acks");
        t.setDaemon(true);
        t.start();
    }

    /** Invalidation {@code id} of {@code writer} has been applied here. */
    void acknowledge(String writer, String id) {
        queue.offer(new String[] {writer, id});
    }

    private void run() {
        List<String[]> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            Map<String, StringBuilder> byWriter = new LinkedHashMap<>();
            for (String[] a : batch) {
                byWriter.computeIfAbsent(a[0], w -> new StringBuilder(self)).append('\n').append(a[1]);
            }
            batch.clear();
            for (Map.Entry<String, StringBuilder> e : byWriter.entrySet()) {
                try {
                    publish.accept(e.getKey(), e.getValue().toString());
                } catch (RuntimeException failure) {
                    Log.debug("Redis store: an acknowledgement could not be sent: " + failure);
                }
            }
        }
    }
}
