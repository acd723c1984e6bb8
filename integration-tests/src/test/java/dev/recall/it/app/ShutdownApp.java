package dev.recall.it.app;

import dev.recall.Cached;
import dev.recall.Strategy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applications that call {@code System.exit} where the agent runs their code later or holds others back.
 *
 * <ul>
 *   <li>{@code write-back-exit}: a write-back method's body calls {@code System.exit}; the write is accepted and
 *       left to the agent's drain at shutdown, which runs the body there. The JVM must still exit, within
 *       {@code writeBack.drainTimeout}.</li>
 *   <li>{@code load-exit}: a read-through load calls {@code System.exit} on its first run, and a shutdown hook of
 *       the application then needs the same key. The hook must not wait {@code loadWait} for a load that can no
 *       longer finish. Prints {@code hook.value} and {@code hook.millis}.</li>
 * </ul>
 */
public class ShutdownApp {

    private final AtomicBoolean exited = new AtomicBoolean();

    @Cached(cache = "accounts", key = "{0}", strategy = Strategy.WRITE_BACK)
    public void save(long id, String name) {
        System.out.println("save.ran=" + id);
        System.exit(3);
    }

    @Cached(key = "{0}")
    public String rate(String currency) {
        if (exited.compareAndSet(false, true)) {
            System.exit(0);
        }
        return "rate-" + currency;
    }

    public static void main(String[] args) throws Exception {
        ShutdownApp app = new ShutdownApp();
        switch (args[0]) {
            case "write-back-exit" -> {
                app.save(1, "alice");
                System.out.println("save.accepted=true");
            }
            case "load-exit" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    long start = System.nanoTime();
                    String v = app.rate("EUR");
                    System.out.println("hook.value=" + v);
                    System.out.println("hook.millis=" + (System.nanoTime() - start) / 1_000_000);
                    System.out.flush();
                }, "application-hook"));
                app.rate("EUR");
                System.out.println("not reached");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
