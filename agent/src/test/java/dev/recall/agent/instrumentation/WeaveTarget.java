package dev.recall.agent.instrumentation;

import java.util.ArrayList;
import java.util.List;

/**
 * Methods of the shapes the weaver must handle: every return kind, wide parameters, loops and handlers
 * (stack map frames), several returns, a throw. Each counts its runs in {@link #bodyRuns}.
 */
public class WeaveTarget {

    public static int bodyRuns;

    public String one(long id) {
        bodyRuns++;
        return "v" + id;
    }

    public static int two(String a, int b) {
        bodyRuns++;
        return a.length() + b;
    }

    public double wide(long a, double b, int c) {
        bodyRuns++;
        double sum = 0;
        for (int i = 0; i < c; i++) {
            sum += a + b;
        }
        return sum;
    }

    public boolean none() {
        bodyRuns++;
        return true;
    }

    public long branches(int n) {
        bodyRuns++;
        List<Integer> seen = new ArrayList<>();
        try {
            if (n < 0) {
                throw new IllegalArgumentException("negative: " + n);
            }
            for (int i = 0; i < n; i++) {
                seen.add(i);
                if (i == 5) {
                    return -5;
                }
            }
        } catch (IllegalStateException never) {
            return -1;
        } finally {
            seen.clear();
        }
        return n;
    }

    public void write(String key, Object value) {
        bodyRuns++;
        if (value == null) {
            throw new IllegalStateException("no value for " + key);
        }
    }

    public int[] array(int n) {
        bodyRuns++;
        return new int[n];
    }
}
