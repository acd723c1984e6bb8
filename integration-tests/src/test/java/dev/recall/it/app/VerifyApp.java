package dev.recall.it.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/**
 * Data that changes in steps, read through two methods cached by {@code verify-recall.yml} with {@code verify: 100%}:
 * one whose TTL outlives a step, one whose TTL ends before the next read after a step. Each step: the data
 * changes, nothing is read for 250 ms, then each key is read every 10 ms for 200 ms. Then it prints the MBeans'
 * figures and waits for {@code exit} (so a test can run {@code stats} on it).
 */
public class VerifyApp {

    static volatile int version;

    public String longLived(String key) throws InterruptedException {
        Thread.sleep(2);
        return key + "@" + version;
    }

    public String shortLived(String key) throws InterruptedException {
        Thread.sleep(2);
        return key + "@" + version;
    }

    public static void main(String[] args) throws Exception {
        VerifyApp app = new VerifyApp();
        for (int step = 1; step <= 4; step++) {
            version = step;
            Thread.sleep(250);
            for (int i = 0; i < 20; i++) {
                for (String key : new String[] {"a", "b"}) {
                    check(key, app.longLived(key), step, false);
                    check(key, app.shortLived(key), step, true);
                }
                Thread.sleep(10);
            }
        }
        for (String m : new String[] {"longLived", "shortLived"}) {
            String bean = m + "(java.lang.String)";
            System.out.println(m + ".hits=" + Jmx.attribute(VerifyApp.class, bean, "HitCount"));
            System.out.println(m + ".verified=" + Jmx.attribute(VerifyApp.class, bean, "VerifiedHits"));
            System.out.println(m + ".stale=" + Jmx.attribute(VerifyApp.class, bean, "StaleHits"));
        }
        System.out.println("figures printed");
        new BufferedReader(new InputStreamReader(System.in)).readLine();
    }

    /** The short-lived method never answers with an old step; the caller of the long-lived one gets the cached value. */
    private static void check(String key, String answer, int step, boolean mustBeFresh) {
        if (mustBeFresh && !answer.equals(key + "@" + step)) {
            System.out.println("stale answer " + answer + " in step " + step);
        }
    }
}
