package dev.recall.sample.db;

import dev.recall.sample.Options;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import org.h2.tools.Server;

/**
 * {@code db}: the catalogue's in-memory H2 database served over TCP on 127.0.0.1, so that several
 * {@code serve} processes can share one database with nothing installed. An in-memory H2 belongs to the
 * process that opened it; this process holds it and lets the others in through H2's TCP server, which
 * accepts local connections only. It starts empty: the first {@code serve --jdbc-url URL} seeds it, the
 * others are started with {@code --no-seed}.
 */
public final class DatabaseServerCommand {

    public static final String USAGE = String.join("\n",
            "db [--port 9092]   the catalogue database as a server (in-memory H2 over TCP, local connections only),",
            "  for several serve --jdbc-url instances to share; --port 0 picks a free port");

    /** What the ready line starts with; the URL to give {@code serve --jdbc-url} follows it. */
    public static final String READY = "catalogue database listening on ";

    private DatabaseServerCommand() {
    }

    public static void run(Options options) throws Exception {
        // The database exists as long as this process does (DB_CLOSE_DELAY=-1); creating it here rather than
        // on the first remote connection is what lets H2's server admit remote clients without -ifNotExists,
        // which would let any local process create databases in this JVM.
        Database local = Database.of(Database.DEFAULT_URL);
        local.connect().close();
        Server tcp;
        try {
            tcp = Server.createTcpServer("-tcpPort", Integer.toString(options.integer("port", 9092))).start();
        } catch (SQLException e) {
            throw new DataAccessException("cannot start the H2 TCP server", e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tcp.stop();
            local.close();
            stopped.countDown();
        }, "database-shutdown"));
        System.out.println(READY + "jdbc:h2:tcp://127.0.0.1:" + tcp.getPort() + "/mem:catalogue (in-memory H2; "
                + "seed it with serve --jdbc-url URL, start further instances with --no-seed)");
        System.out.flush();
        stopped.await();
    }
}
