package dev.recall.it.app.writeback;

import dev.recall.Cached;
import dev.recall.Strategy;
import dev.recall.it.app.Counter;
import dev.recall.it.app.Jmx;
import dev.recall.it.app.LineProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A service whose account writes are cached {@code WRITE_BACK}, driven line by line on stdin. Its
 * "database" is a file of {@code id=name} lines under {@code -Dapp.db} that outlives the JVM, so a test can
 * see what reached it after the JVM exited; a file {@code failing} next to it makes every write throw.
 * Each write takes 20 ms, so a caller that waited for it would show it. Every command is answered by
 * {@code done COMMAND | name=value ... value=...}:
 *
 * <pre>
 * save ID NAME      the write-back method: saves=(bodies run so far) millis=(how long the caller waited)
 * burst ID N        N saves of ID in a row, named v1..vN
 * fill FROM N       saves of N ids from FROM on, each named n-ID
 * load ID           the READ_THROUGH reader: loads=(bodies run so far) value=(what it returned)
 * db ID             what the file holds for ID (uncached)
 * failing on|off    whether writes throw
 * race T N K MS     T threads, each the only writer of K ids of its own (from 1000 on), save N times in
 *                   turn over them, named t-ID-vSEQ; for MS ms from the start (0: never) writes throw.
 *                   errors=(saves that threw to their caller) last=ID:NAME,... (each id's last save that
 *                   returned normally: what the database must end with)
 * attr BEAN ATTR    a JMX attribute of this JVM's agent
 * exit
 * </pre>
 */
public class WriteBackApp {

    private final Path db = Paths.get(System.getProperty("app.db")).resolve("accounts.txt");
    private final Path failing = db.resolveSibling("failing");

    @Cached(cache = "accounts", key = "{id}", strategy = Strategy.WRITE_BACK)
    public void save(long id, String name) throws IOException, InterruptedException {
        Counter.ran("save");
        Thread.sleep(20);
        if (Files.exists(failing)) {
            throw new IOException("the database is down");
        }
        Files.writeString(db, id + "=" + name + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Cached(cache = "accounts", key = "{id}")
    public String load(long id) {
        Counter.ran("load");
        return stored(id);
    }

    /** The last line the file holds for {@code id}, or {@code null}. */
    String stored(long id) {
        try {
            if (!Files.exists(db)) {
                return null;
            }
            List<String> lines = Files.readAllLines(db, StandardCharsets.UTF_8);
            String found = null;
            for (String line : lines) {
                if (line.startsWith(id + "=")) {
                    found = line.substring(line.indexOf('=') + 1);
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        WriteBackApp app = new WriteBackApp();
        Files.createDirectories(app.db.getParent());
        LineProtocol.serve(app::command);
    }

    private void race(int threads, int saves, int keys, long failMillis, StringBuilder out) throws Exception {
        java.util.Map<Long, String> last = new java.util.concurrent.ConcurrentSkipListMap<>();
        java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Map<Long, String> lastError = new java.util.concurrent.ConcurrentSkipListMap<>();
        if (failMillis > 0) {
            Files.writeString(failing, "");
        }
        Thread healer = new Thread(() -> {
            try {
                Thread.sleep(failMillis);
                Files.deleteIfExists(failing);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        healer.start();
        List<Thread> writers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long first = 1000 + (long) t * keys;
            Thread w = new Thread(() -> {
                for (int i = 0; i < saves; i++) {
                    long id = first + i % keys;
                    String name = "t-" + id + "-v" + i;
                    try {
                        save(id, name);
                        last.put(id, name);
                    } catch (Exception e) {
                        errors.incrementAndGet(); // not accepted: the caller was told
                        lastError.put(id, e.toString().replace(' ', '_'));
                    }
                }
            });
            writers.add(w);
            w.start();
        }
        for (Thread w : writers) {
            w.join();
        }
        healer.join();
        StringBuilder shown = new StringBuilder();
        last.forEach((id, name) -> shown.append(shown.length() == 0 ? "" : ",").append(id).append(':').append(name));
        out.append(" errors=").append(errors.get()).append(" lastErrors=").append(lastError).append(" last=").append(shown);
    }

    /** One command of the line protocol (see the class comment). */
    void command(String[] cmd, StringBuilder out) throws Exception {
        switch (cmd[0]) {
            case "save" -> {
                long start = System.nanoTime();
                save(Long.parseLong(cmd[1]), cmd[2]);
                out.append(" saves=").append(Counter.count("save"))
                        .append(" millis=").append((System.nanoTime() - start) / 1_000_000);
            }
            case "burst" -> {
                long id = Long.parseLong(cmd[1]);
                int n = Integer.parseInt(cmd[2]);
                for (int i = 1; i <= n; i++) {
                    save(id, "v" + i);
                }
                out.append(" saves=").append(Counter.count("save"));
            }
            case "fill" -> {
                long from = Long.parseLong(cmd[1]);
                int n = Integer.parseInt(cmd[2]);
                for (long id = from; id < from + n; id++) {
                    save(id, "n-" + id);
                }
                out.append(" saves=").append(Counter.count("save"));
            }
            case "load" -> {
                String v = load(Long.parseLong(cmd[1]));
                out.append(" loads=").append(Counter.count("load")).append(" value=").append(v);
            }
            case "db" -> out.append(" value=").append(stored(Long.parseLong(cmd[1])));
            case "failing" -> {
                if (cmd[1].equals("on")) {
                    Files.writeString(failing, "");
                } else {
                    Files.deleteIfExists(failing);
                }
                out.append(" value=").append(cmd[1]);
            }
            case "race" -> race(Integer.parseInt(cmd[1]), Integer.parseInt(cmd[2]), Integer.parseInt(cmd[3]),
                    Long.parseLong(cmd[4]), out);
            case "attr" -> out.append(" value=").append(Jmx.attribute(WriteBackApp.class, cmd[1], cmd[2]));
            default -> throw new IllegalArgumentException("unknown command");
        }
    }
}
