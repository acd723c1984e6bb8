package dev.recall.sample.demo;

import dev.recall.sample.db.DatabaseServerCommand;
import java.nio.file.Path;
import java.util.List;

/**
 * The one database that several instances of the service use together. A shared cache is only right if
 * they share the data behind it too: an instance's own in-memory H2 would let the cache serve one
 * instance's rows to the other. It is the user's {@code --jdbc-url} if given (any database a server runs,
 * such as PostgreSQL), otherwise an in-memory H2 served over TCP by a {@code db} process the demo starts
 * and stops, so the demo still needs nothing but a JDK.
 */
final class SharedDatabase implements AutoCloseable {

    private final String jdbcUrl;
    private final ChildProcess server;

    private SharedDatabase(String jdbcUrl, ChildProcess server) {
        this.jdbcUrl = jdbcUrl;
        this.server = server;
    }

    /**
     * @throws IllegalArgumentException for an embedded H2 URL, which only the process that opens it can use
     */
    static void requireShareable(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:tcp:") && !jdbcUrl.startsWith("jdbc:h2:ssl:")) {
            throw new IllegalArgumentException("--redis runs two instances of the service, which must share one database, "
                    + "and an embedded H2 (" + jdbcUrl + ") belongs to the process that opens it: leave out --jdbc-url "
                    + "(the demo then serves an in-memory H2 over TCP) or give a database server's URL, such as "
                    + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        }
    }

    /**
     * @param jdbcUrl the user's database, or {@code null} to start one
     * @throws IllegalArgumentException for an embedded H2 (see {@link #requireShareable})
     */
    static SharedDatabase open(String jdbcUrl, Path jar, Path outDir) throws Exception {
        if (jdbcUrl != null) {
            requireShareable(jdbcUrl);
            return new SharedDatabase(jdbcUrl, null);
        }
        ChildProcess server = ChildProcess.start("database", List.of("-Xmx512m"), jar, List.of("db", "--port", "0"),
                outDir.resolve("database.log"));
        String ready = server.awaitLine(DatabaseServerCommand.READY, 60);
        String url = ready.substring(ready.indexOf(DatabaseServerCommand.READY) + DatabaseServerCommand.READY.length()).split(" ")[0];
        return new SharedDatabase(url, server);
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    /** For the report: what the database is and who runs it. */
    String describe() {
        return server == null ? jdbcUrl : jdbcUrl + " (in-memory H2 served over TCP by a process of the demo's)";
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
