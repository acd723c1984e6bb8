package dev.recall.it.app.metrics;

import dev.recall.Cached;
import dev.recall.it.app.Jmx;

/**
 * Drives one alert across its threshold and back: 3 s of calls on new keys (hit ratio 0, below the rule's
 * 0.5), then 4 s on one key (hits). Measures the longest call, so that a webhook receiver that is slow or
 * down can be shown to delay none. {@code wait-failures}: then waits up to 15 s for a webhook failure to be counted.
 */
public class AlertApp {

    @Cached(ttl = "1h")
    public String lookup(int id) {
        return "v" + id;
    }

    public static void main(String[] args) throws Exception {
        AlertApp app = new AlertApp();
        long longest = 0;
        long phase = System.nanoTime();
        int i = 0;
        for (int step = 0; step < 2; step++) {
            long end = phase + (step == 0 ? 3_000_000_000L : 4_000_000_000L);
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                app.lookup(step == 0 ? i++ : 1);
                longest = Math.max(longest, System.nanoTime() - t0);
                Thread.sleep(5);
            }
            phase = end;
        }
        System.out.println("longestCallMillis=" + longest / 1_000_000);
        if (args.length > 0 && args[0].equals("wait-failures")) {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline && "0".equals(Jmx.attribute(AlertApp.class, "agent", "WebhookFailureCount"))) {
                Thread.sleep(100);
            }
        }
        System.out.println("webhookFailures=" + Jmx.attribute(AlertApp.class, "agent", "WebhookFailureCount"));
    }
}
