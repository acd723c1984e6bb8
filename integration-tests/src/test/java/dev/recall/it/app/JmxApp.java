package dev.recall.it.app;

import dev.recall.Cached;
import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * A service with known load times, driven line by line on stdin so a test can read the MBeans between
 * steps: {@code slow KEY}, {@code fail KEY}, {@code misses N}, {@code hits N}, {@code exit}.
 */
public class JmxApp {

    /** Load times are known: a takes 50ms, b 100ms, c 200ms. */
    @Cached
    public String slow(String key) throws InterruptedException {
        Counter.ran("slow");
        Thread.sleep(switch (key) {
            case "a" -> 50;
            case "b" -> 100;
            case "c" -> 200;
            default -> 1;
        });
        return key.toUpperCase();
    }

    @Cached
    public String fail(String key) {
        throw new IllegalStateException("backend down");
    }

    @Cached(ttl = "1h")
    public String alerting(String key) {
        return key;
    }

    public static void main(String[] args) throws Exception {
        JmxApp app = new JmxApp();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("ready");
        String line;
        int fresh = 0;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "slow" -> app.slow(cmd[1]);
                case "fail" -> {
                    try {
                        app.fail(cmd[1]);
                    } catch (IllegalStateException expected) {
                        // counted as a load failure
                    }
                }
                case "misses" -> {
                    for (int i = 0; i < Integer.parseInt(cmd[1]); i++) {
                        app.alerting("fresh-" + fresh++);
                    }
                }
                case "hits" -> {
                    for (int i = 0; i < Integer.parseInt(cmd[1]); i++) {
                        app.alerting("same");
                    }
                }
                case "exit" -> {
                    System.out.println("bye");
                    return;
                }
                default -> System.out.println("unknown " + line);
            }
            System.out.println("done " + line.trim() + " slow.calls=" + Counter.count("slow"));
        }
    }
}
