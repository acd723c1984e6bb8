package dev.recall.it.app.bulk;

import dev.recall.CacheEvict;
import dev.recall.Cached;
import dev.recall.it.app.Jmx;
import dev.recall.it.app.LineProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Bulk methods ({@code @Cached(bulk = true)}) driven line by line on stdin. The "database" is a directory shared by
 * the JVMs of a test ({@code -Dapp.db}): a SKU's price is the number in its file, else one made from its name; a
 * SKU starting with {@code x} has no price (the methods leave it out). Each method records the collection it was
 * called with, so a test sees which elements were loaded:
 *
 * <pre>
 * prices A,B,...          the Map method, with a List: value={A=A:cents, ...} loaded=[what the body got, one list per
 *                         body run since the last command] kind=(class of the result) argkind=(class the body got)
 * priceset A,B,...        the same method, called with a LinkedHashSet
 * stock A,B,...           the List method: value=[cents or null, one per element]
 * price A                 the single-key method of the same cache
 * dbset A CENTS           another service changes a price behind the cache's back
 * evict A                 the @CacheEvict method of one SKU
 * mutate A,B              calls prices and changes every Price it got (a caller that changes its copy)
 * parallel A,B,C D,E,C    two threads call prices at the same moment with those lists; the body takes 300 ms
 * attr BEAN ATTRIBUTE     a JMX attribute of this JVM
 * </pre>
 */
public class BulkApp {

    private static final Path DB = Path.of(System.getProperty("app.db", "target/bulk-db"));
    private final ConcurrentLinkedQueue<String> loaded = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> argKinds = new ConcurrentLinkedQueue<>();
    private volatile long bodyMillis;

    @Cached(cache = "prices", bulk = true)
    public Map<String, Price> prices(Collection<String> skus) throws InterruptedException {
        record(skus);
        Map<String, Price> out = new LinkedHashMap<>();
        for (String sku : skus) {
            Long cents = cents(sku);
            if (cents != null) {
                out.put(sku, new Price(sku, cents));
            }
        }
        return out;
    }

    @Cached(cache = "prices")
    public Price price(String sku) {
        record(List.of(sku));
        Long cents = cents(sku);
        return cents == null ? null : new Price(sku, cents);
    }

    @Cached(cache = "stock", bulk = true)
    public List<Long> stock(List<String> skus) throws InterruptedException {
        record(skus);
        List<Long> out = new ArrayList<>();
        for (String sku : skus) {
            out.add(cents(sku));
        }
        return out;
    }

    @CacheEvict(cache = "prices", key = "{0}")
    public void evict(String sku) {
    }

    private void record(Collection<String> skus) {
        loaded.add(String.join(",", skus));
        argKinds.add(skus.getClass().getSimpleName());
        long pause = bodyMillis;
        if (pause > 0) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Long cents(String sku) {
        if (sku.startsWith("x")) {
            return null;
        }
        try {
            Path file = DB.resolve(sku);
            return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : 100L + (sku.hashCode() & 0xff);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> list(String csv) {
        return new ArrayList<>(Arrays.asList(csv.split(",")));
    }

    /** The body runs since the last command, then forgets them. */
    private String drain(ConcurrentLinkedQueue<String> q) {
        List<String> all = new ArrayList<>();
        for (String s; (s = q.poll()) != null; ) {
            all.add("[" + s + "]");
        }
        return String.join(";", all);
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(DB);
        BulkApp app = new BulkApp();
        LineProtocol.serve((cmd, out) -> {
            Object value;
            switch (cmd[0]) {
                case "prices" -> value = app.prices(list(cmd[1]));
                case "priceset" -> value = app.prices(new LinkedHashSet<>(list(cmd[1])));
                case "stock" -> value = app.stock(list(cmd[1]));
                case "price" -> value = app.price(cmd[1]);
                case "dbset" -> {
                    Files.writeString(DB.resolve(cmd[1]), cmd[2]);
                    value = "ok";
                }
                case "evict" -> {
                    app.evict(cmd[1]);
                    value = "ok";
                }
                case "mutate" -> {
                    Map<String, Price> got = app.prices(list(cmd[1]));
                    got.values().forEach(p -> p.setCents(-1));
                    value = got;
                }
                case "parallel" -> {
                    app.bodyMillis = 300;
                    CountDownLatch go = new CountDownLatch(1);
                    List<Object> results = new java.util.concurrent.CopyOnWriteArrayList<>();
                    List<Thread> threads = new ArrayList<>();
                    for (int i = 1; i < cmd.length; i++) {
                        List<String> skus = list(cmd[i]);
                        Thread t = new Thread(() -> {
                            try {
                                go.await();
                                results.add(app.prices(skus));
                            } catch (Exception e) {
                                results.add(e);
                            }
                        });
                        t.start();
                        threads.add(t);
                    }
                    go.countDown();
                    for (Thread t : threads) {
                        t.join();
                    }
                    app.bodyMillis = 0;
                    value = results;
                }
                case "attr" -> value = Jmx.attribute(BulkApp.class, cmd[1], cmd[2]);
                default -> throw new IllegalArgumentException("unknown command " + cmd[0]);
            }
            out.append(" loaded=").append(app.drain(app.loaded)).append(" argkind=").append(String.join(",", new LinkedHashSet<>(
                    drainRaw(app.argKinds)))).append(" kind=").append(value == null ? "null" : value.getClass().getSimpleName())
                    .append(" value=").append(value);
        });
    }

    private static List<String> drainRaw(ConcurrentLinkedQueue<String> q) {
        List<String> all = new ArrayList<>();
        for (String s; (s = q.poll()) != null; ) {
            all.add(s);
        }
        return all;
    }
}
