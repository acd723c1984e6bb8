package dev.recall.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * The PostgreSQL server the sample service is tested against: {@code DATABASE_URL}
 * ({@code jdbc:postgresql://host:port/db?user=...}, as {@code .ci/run} sets it), else a container where a
 * Docker engine answers, else the test is skipped ({@link Containers#missing}).
 *
 * <p>Each {@link Schema} is a schema of its own, dropped afterwards, so that tests never see each other's
 * tables, nor anything else that uses the same database.
 */
final class PostgresTarget {

    static final String VARIABLE = "DATABASE_URL";

    private PostgresTarget() {
    }

    /** A schema made for one test class; the URL makes it the connection's default. */
    record Schema(String name, String url) implements AutoCloseable {

        @Override
        public void close() {
            run(url, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    static Schema schema(String test) {
        String base = server(test);
        String name = "recall_it_" + UUID.randomUUID().toString().substring(0, 8);
        run(base, "CREATE SCHEMA " + name);
        return new Schema(name, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name);
    }

    private static String server(String test) {
        String url = System.getenv(VARIABLE);
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        Containers.Address a = Containers.start("postgres:16", 5432,
                Map.of("POSTGRES_USER", "postgres", "POSTGRES_PASSWORD", "recall", "POSTGRES_DB", "test"),
                ".*database system is ready to accept connections.*", 2);
        if (a == null) {
            return Containers.missing(test + " needs PostgreSQL: set " + VARIABLE + " (for example " + VARIABLE
                    + "=jdbc:postgresql://127.0.0.1:5432/test?user=postgres); without it, a PostgreSQL container is "
                    + "started where a Docker engine answers");
        }
        return "jdbc:postgresql://" + a.host() + ":" + a.port() + "/test?user=postgres&password=recall";
    }

    static void run(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + url.replaceAll("password=[^&]*", "password=***") + ": " + sql + ": " + e, e);
        }
    }
}
