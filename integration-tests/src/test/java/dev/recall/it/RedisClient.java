package dev.recall.it;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test's own line to Redis, apart from the agent's: a few commands over RESP2 on a plain socket, so
 * that the test class path (which is also the application's) carries no Redis client. On a Redis Cluster
 * a key command follows {@code MOVED} redirections, and {@link #keys} scans every master.
 *
 * <p>Keys are handled as ISO-8859-1 strings, so any key bytes survive the round trip unchanged. Not
 * thread-safe: one per test.
 */
final class RedisClient implements AutoCloseable {

    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            return new HostPort(text.substring(0, colon).trim(), Integer.parseInt(text.substring(colon + 1).trim()));
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** An error reply ({@code -ERR ...}, {@code -MOVED ...}). */
    record Error(String message) {
    }

    static final class RedisException extends RuntimeException {
        RedisException(String message) {
            super(message);
        }
    }

    private static final int TIMEOUT_MILLIS = 5000;

    private final List<HostPort> seeds;
    private final boolean cluster;
    private final String user;
    private final String password;
    private final Map<HostPort, Connection> connections = new HashMap<>();

    RedisClient(List<HostPort> seeds, boolean cluster, String user, String password) {
        this.seeds = List.copyOf(seeds);
        this.cluster = cluster;
        this.user = user;
        this.password = password;
    }

    /** The raw value of {@code key}, or {@code null}. */
    byte[] get(String key) {
        Object reply = keyCommand(key, "GET", key);
        return (byte[]) reply;
    }

    /** Overwrites the value of {@code key} and keeps its time to live, as a tampering neighbour would. */
    void setKeepTtl(String key, byte[] value) {
        keyCommand(key, "SET", key, value, "KEEPTTL");
    }

    void set(String key, byte[] value) {
        keyCommand(key, "SET", key, value);
    }

    /** Milliseconds to live; -1 without expiry, -2 if absent. */
    long pttl(String key) {
        return (Long) keyCommand(key, "PTTL", key);
    }

    boolean del(String key) {
        return (Long) keyCommand(key, "DEL", key) > 0;
    }

    /** Every key matching the glob {@code pattern}, on every master of a cluster. */
    List<String> keys(String pattern) {
        Set<String> all = new LinkedHashSet<>();
        for (HostPort node : masters()) {
            String cursor = "0";
            do {
                List<?> reply = (List<?>) check(connection(node).call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000"));
                cursor = text(reply.get(0));
                for (Object k : (List<?>) reply.get(1)) {
                    all.add(text(k));
                }
            } while (!cursor.equals("0"));
        }
        return new ArrayList<>(all);
    }

    /** Every key starting with {@code prefix}. */
    List<String> keysWithPrefix(String prefix) {
        return keys(globEscape(prefix) + "*");
    }

    /** Deletes every key starting with {@code prefix}; returns how many. */
    int deletePrefix(String prefix) {
        int n = 0;
        for (String key : keysWithPrefix(prefix)) {
            n += del(key) ? 1 : 0;
        }
        return n;
    }

    boolean ping() {
        for (HostPort node : seeds) {
            if (!"PONG".equals(connection(node).call("PING"))) {
                return false;
            }
        }
        return true;
    }

    /** {@code CLUSTER INFO} of one node. */
    String clusterInfo(HostPort node) {
        return text(check(connection(node).call("CLUSTER", "INFO")));
    }

    /** The masters: the single server, or each master a cluster reports. */
    List<HostPort> masters() {
        if (!cluster) {
            return seeds;
        }
        String nodes = text(check(connection(seeds.get(0)).call("CLUSTER", "NODES")));
        List<HostPort> masters = new ArrayList<>();
        for (String line : nodes.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 2 && f[2].contains("master") && !f[2].contains("fail")) {
                String address = f[1];
                int cut = address.indexOf('@');
                masters.add(HostPort.parse(cut < 0 ? address : address.substring(0, cut)));
            }
        }
        if (masters.isEmpty()) {
            throw new RedisException("CLUSTER NODES named no master: " + nodes);
        }
        return masters;
    }

    /** A command on one key: sent to the first seed, following MOVED to the node that holds the slot. */
    private Object keyCommand(String key, Object... args) {
        HostPort node = seeds.get(0);
        for (int hops = 0; hops < 5; hops++) {
            Object reply = connection(node).call(args);
            if (reply instanceof Error e && cluster && e.message().startsWith("MOVED ")) {
                node = HostPort.parse(e.message().split(" ")[2]);
                continue;
            }
            return check(reply);
        }
        throw new RedisException("too many redirections for key " + key);
    }

    private static Object check(Object reply) {
        if (reply instanceof Error e) {
            throw new RedisException(e.message());
        }
        return reply;
    }

    private Connection connection(HostPort node) {
        Connection c = connections.get(node);
        if (c == null) {
            c = new Connection(node);
            if (password != null) {
                check(user == null ? c.call("AUTH", password) : c.call("AUTH", user, password));
            }
            connections.put(node, c);
        }
        return c;
    }

    static String text(Object reply) {
        if (reply instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        return String.valueOf(reply);
    }

    static String globEscape(String literal) {
        StringBuilder b = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (Connection c : connections.values()) {
            c.close();
        }
        connections.clear();
    }

    /** One socket to one node; RESP2 requests and replies. */
    private static final class Connection {
        private final HostPort node;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(HostPort node) {
            this.node = node;
            try {
                socket = new Socket();
                socket.connect(new InetSocketAddress(node.host(), node.port()), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream());
                out = new BufferedOutputStream(socket.getOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot connect to Redis at " + node + ": " + e.getMessage(), e);
            }
        }

        Object call(Object... args) {
            try {
                out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (Object a : args) {
                    byte[] bytes = a instanceof byte[] b ? b : String.valueOf(a).getBytes(StandardCharsets.ISO_8859_1);
                    out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(bytes);
                    out.write('\r');
                    out.write('\n');
                }
                out.flush();
                return read();
            } catch (IOException e) {
                throw new UncheckedIOException("Redis at " + node + ": " + e.getMessage(), e);
            }
        }

        private Object read() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    return new Error(line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] b = in.readNBytes(n);
                    if (b.length < n || in.read() != '\r' || in.read() != '\n') {
                        throw new EOFException("truncated bulk reply");
                    }
                    return b;
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                case -1:
                    throw new EOFException("connection closed");
                default:
                    throw new IOException("unexpected RESP type '" + (char) type + "'");
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new EOFException("connection closed");
                }
                b.write(c);
            }
            if (in.read() != '\n') {
                throw new IOException("malformed RESP line");
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
