package dev.recall.it.app.redis;

import dev.recall.CacheEvict;
import dev.recall.Cached;
import dev.recall.Strategy;
import dev.recall.it.app.Counter;
import dev.recall.it.app.Jmx;
import dev.recall.it.app.LineProtocol;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A service whose cached methods live in Redis, driven line by line on stdin so a test can act on Redis
 * between steps. Every command is answered by one line {@code done COMMAND | name=value ...}, with
 * {@code value=} (what the method returned) last:
 *
 * <pre>
 * product ID                  calls product(ID): calls=(real executions so far) ok=(equals the database's row)
 * save ID NAME PRICE          the WRITE_THROUGH writer: the row and the entry become NAME, PRICE
 * savehold ID NAME PRICE      the same writer on a thread of its own, held after its database write until
 *                             'release' (answers once the row is written)
 * release                     lets the held writer return, and waits for it
 * saveshort ID NAME PRICE     a WRITE_THROUGH writer of the same entries whose entries live 3 s
 * loadhold ID                 a READ_THROUGH load of product ID on a thread of its own, held after it read the row
 *                             until 'loadrelease' (answers once the row is read)
 * loadrelease                 lets the held load return (its result is then stored), and waits for it
 * dbset ID NAME               another service changes the row behind the cache's back (uncached)
 * evict ID                    the @CacheEvict method for that product
 * evictall                    the @CacheEvict(allEntries = true) method of the products
 * basket EMAIL                the plain-class method, keyed by an e-mail address
 * card NUMBER                 a method keyed by a card number
 * report NAME                 a READ_THROUGH method that takes 600 ms
 * quote SYMBOL                a method whose entries live 1 s
 * parallel N                  N threads call card() at the same moment (each on a number of its own)
 * attr BEAN ATTRIBUTE         a JMX attribute, read in this JVM: BEAN is 'agent' or a method like 'product(long)'
 * invalidate BEAN KEY         the method's JMX operation invalidate(KEY), as an operator calls it
 * stream start ID,ID,...      a background thread calls product() over those ids until 'stream stop'
 * stream status | stream stop its tally: calls, errors (exceptions seen by the caller), wrong (answers not
 *                             equal to the database), maxMillis (slowest call), slow (calls over 250 ms)
 * exit
 * </pre>
 *
 * An exception from a command is answered as {@code error=...}, never swallowed.
 */
public class RedisApp {

    private final ProductDb db = ProductDb.fromSystemProperty();
    /** The background caller of the {@code stream} commands, while one runs. */
    private Stream stream;

    @Cached(cache = "products", key = "{0}")
    public Product product(long id) {
        Counter.ran("product");
        return db.read(id);
    }

    @Cached(cache = "products", key = "{product.id}", strategy = Strategy.WRITE_THROUGH)
    public Product save(Product product) throws InterruptedException {
        db.write(product);
        CountDownLatch held = hold;
        if (held != null && Thread.currentThread() == holder) {
            written.countDown();
            held.await();
        }
        return product;
    }

    @Cached(cache = "products", key = "{product.id}", strategy = Strategy.WRITE_THROUGH, ttl = "3s")
    public Product saveShort(Product product) {
        db.write(product);
        return product;
    }

    /** The same entries as {@link #product}; the load of {@code loadhold} pauses after it read the row. */
    @Cached(cache = "products", key = "{0}")
    public Product productPaused(long id) throws InterruptedException {
        Counter.ran("product");
        Product p = db.read(id);
        CountDownLatch held = loadHold;
        if (held != null && Thread.currentThread() == loadHolder) {
            loadRead.countDown();
            held.await();
        }
        return p;
    }

    /** The load of {@code loadhold}, its hold, the signal that it read its row, and what it returned. */
    private volatile Thread loadHolder;
    private volatile CountDownLatch loadHold;
    private volatile CountDownLatch loadRead;
    private volatile Product loadResult;

    /** The writer of {@code savehold}, its hold and the signal that its row is written. */
    private volatile Thread holder;
    private volatile CountDownLatch hold;
    private volatile CountDownLatch written;

    @CacheEvict(cache = "products", key = "{0}")
    public void evict(long id) {
        Counter.ran("evict");
    }

    @CacheEvict(cache = "products", allEntries = true)
    public void evictAll() {
        Counter.ran("evictAll");
    }

    @Cached(cache = "baskets", key = "{0}")
    public Basket basket(String email) {
        Counter.ran("basket");
        return Basket.of(email);
    }

    @Cached(cache = "cards", key = "{0}")
    public String cardHolder(long cardNumber) {
        Counter.ran("card");
        return "holder of a card ending " + cardNumber % 10_000;
    }

    @Cached(cache = "quotes", key = "{0}", ttl = "1s")
    public String quote(String symbol) {
        Counter.ran("quote");
        return "quote " + symbol;
    }

    /** Slow enough that two JVMs asking at the same moment both miss. */
    @Cached(cache = "reports", key = "{0}")
    public String report(String name) throws InterruptedException {
        Counter.ran("report");
        Thread.sleep(600);
        return "report " + name;
    }

    public static void main(String[] args) throws Exception {
        LineProtocol.serve(new RedisApp()::command);
    }

    /** One command of the line protocol (see the class comment). */
    void command(String[] cmd, StringBuilder out) throws Exception {
        switch (cmd[0]) {
            case "product" -> {
                long id = Long.parseLong(cmd[1]);
                Product p = product(id);
                out.append(" calls=").append(Counter.count("product"))
                        .append(" ok=").append(db.read(id).equals(p))
                        .append(" name=").append(p == null ? null : p.name())
                        .append(" value=").append(p);
            }
            case "save" -> {
                long id = Long.parseLong(cmd[1]);
                Product old = db.read(id);
                Product p = save(new Product(id, cmd[2], new BigDecimal(cmd[3]), old.tags()));
                out.append(" value=").append(p);
            }
            case "savehold" -> {
                long id = Long.parseLong(cmd[1]);
                Product old = db.read(id);
                Product p = new Product(id, cmd[2], new BigDecimal(cmd[3]), old.tags());
                hold = new CountDownLatch(1);
                written = new CountDownLatch(1);
                holder = new Thread(() -> {
                    try {
                        save(p);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "held-writer");
                holder.start();
                if (!written.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the held writer did not write its row within 10 s");
                }
                out.append(" value=").append(db.read(id));
            }
            case "release" -> {
                hold.countDown();
                holder.join(10_000);
                out.append(" value=").append(holder.isAlive() ? "still-running" : "returned");
            }
            case "saveshort" -> {
                long id = Long.parseLong(cmd[1]);
                Product old = db.read(id);
                Product p = saveShort(new Product(id, cmd[2], new BigDecimal(cmd[3]), old.tags()));
                out.append(" value=").append(p);
            }
            case "loadhold" -> {
                long id = Long.parseLong(cmd[1]);
                loadHold = new CountDownLatch(1);
                loadRead = new CountDownLatch(1);
                loadResult = null;
                loadHolder = new Thread(() -> {
                    try {
                        loadResult = productPaused(id);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "held-loader");
                loadHolder.start();
                if (!loadRead.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the held load did not read its row within 10 s");
                }
                out.append(" calls=").append(Counter.count("product")).append(" value=").append(db.read(id));
            }
            case "loadrelease" -> {
                loadHold.countDown();
                loadHolder.join(10_000);
                Product p = loadResult;
                out.append(" name=").append(loadHolder.isAlive() ? "still-running" : p == null ? null : p.name())
                        .append(" value=").append(p);
            }
            case "dbset" -> {
                long id = Long.parseLong(cmd[1]);
                Product old = db.read(id);
                db.write(new Product(id, cmd[2], old.price(), old.tags()));
                out.append(" value=").append(db.read(id));
            }
            case "evict" -> {
                evict(Long.parseLong(cmd[1]));
                out.append(" calls=").append(Counter.count("evict"));
            }
            case "evictall" -> {
                evictAll();
                out.append(" calls=").append(Counter.count("evictAll"));
            }
            case "basket" -> {
                Basket b = basket(cmd[1]);
                out.append(" calls=").append(Counter.count("basket"))
                        .append(" ok=").append(Basket.of(cmd[1]).equals(b))
                        .append(" value=").append(b);
            }
            case "card" -> {
                long number = Long.parseLong(cmd[1]);
                String holder = cardHolder(number);
                out.append(" calls=").append(Counter.count("card"))
                        .append(" ok=").append(("holder of a card ending " + number % 10_000).equals(holder))
                        .append(" value=").append(holder);
            }
            case "quote" -> {
                String quote = quote(cmd[1]);
                out.append(" calls=").append(Counter.count("quote")).append(" value=").append(quote);
            }
            case "report" -> {
                String report = report(cmd[1]);
                out.append(" calls=").append(Counter.count("report")).append(" value=").append(report);
            }
            case "parallel" -> {
                // N request threads at once, as a busy service has: the agent's connection pool grows to N.
                int n = Integer.parseInt(cmd[1]);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long number = 1000 + i;
                    Thread t = new Thread(() -> {
                        try {
                            start.await();
                            cardHolder(number);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    threads.add(t);
                    t.start();
                }
                for (Thread t : threads) {
                    t.join();
                }
                out.append(" calls=").append(Counter.count("card"));
            }
            case "attr" -> out.append(" value=").append(Jmx.attribute(RedisApp.class, cmd[1], cmd[2]));
            case "invalidate" -> out.append(" value=").append(Jmx.invalidate(RedisApp.class, cmd[1], cmd[2]));
            case "stream" -> {
                switch (cmd[1]) {
                    case "start" -> {
                        List<Long> ids = new ArrayList<>();
                        for (String id : cmd[2].split(",")) {
                            ids.add(Long.parseLong(id));
                        }
                        stream = new Stream(this, ids);
                        stream.start();
                    }
                    case "stop" -> stream.stop();
                    case "status" -> {
                    }
                    default -> throw new IllegalArgumentException("stream start|status|stop");
                }
                out.append(' ').append(stream.tally());
            }
            default -> throw new IllegalArgumentException("unknown command");
        }
    }

    /** Calls product() in a loop on its own thread, as request threads would, and keeps score. */
    static final class Stream {
        private final RedisApp app;
        private final List<Long> ids;
        private final Thread thread;
        private volatile boolean running = true;
        private final LongAdder calls = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final LongAdder wrong = new LongAdder();
        private final LongAdder slow = new LongAdder();
        private final AtomicLong maxNanos = new AtomicLong();
        private final AtomicReference<String> firstProblem = new AtomicReference<>("none");

        Stream(RedisApp app, List<Long> ids) {
            this.app = app;
            this.ids = ids;
            this.thread = new Thread(this::run, "stream");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        private void run() {
            for (int i = 0; running; i++) {
                long id = ids.get(i % ids.size());
                long start = System.nanoTime();
                try {
                    Product p = app.product(id);
                    long took = System.nanoTime() - start;
                    maxNanos.accumulateAndGet(took, Math::max);
                    if (took > 250_000_000L) {
                        slow.increment();
                    }
                    if (!app.db.read(id).equals(p)) {
                        wrong.increment();
                        firstProblem.compareAndSet("none", "wrong:" + p);
                    }
                } catch (Throwable t) {
                    errors.increment();
                    firstProblem.compareAndSet("none", t.toString().replace('\n', ' '));
                }
                calls.increment();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        String tally() {
            return "calls=" + calls.sum() + " errors=" + errors.sum() + " wrong=" + wrong.sum() + " slow=" + slow.sum()
                    + " maxMillis=" + maxNanos.get() / 1_000_000 + " bodyRuns=" + Counter.count("product")
                    + " value=" + firstProblem.get();
        }
    }
}
