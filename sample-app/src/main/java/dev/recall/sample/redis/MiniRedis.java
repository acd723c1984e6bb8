package dev.recall.sample.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/**
 * The few Redis commands the demo needs (PING, SCAN, DEL), spoken in RESP over one socket, so that the
 * sample stays free of a Redis library: the agent brings its own, relocated inside its jar. One server, not
 * a cluster. {@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for TLS with the JVM's
 * default trust store. Not thread-safe: one command at a time.
 */
public final class MiniRedis implements AutoCloseable {

    /** Keys asked for per SCAN step: large enough to be quick, small enough not to block the server. */
    private static final int SCAN_COUNT = 500;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private MiniRedis(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /**
     * Connects, logs in if the URI has credentials and selects its database number.
     *
     * @throws IllegalArgumentException for a URI that is not redis:// or rediss://
     * @throws IOException if Redis cannot be reached or refuses the login
     */
    public static MiniRedis connect(URI uri, Duration timeout) throws IOException {
        boolean tls = "rediss".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"redis".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("a Redis URI looks like redis://127.0.0.1:6379 (rediss:// for TLS), not " + uri);
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        try {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            MiniRedis redis = new MiniRedis(socket);
            redis.login(uri);
            return redis;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void login(URI uri) throws IOException {
        // Decoded; a user name cannot hold ':', so the first one ends it even if the password has more.
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? "" : userInfo.substring(0, colon);
            String password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
            if (user.isEmpty()) {
                command("AUTH", password);
            } else {
                command("AUTH", user, password);
            }
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            command("SELECT", path.substring(1));
        }
    }

    /** @return Redis's answer, {@code PONG} */
    public String ping() throws IOException {
        return (String) command("PING");
    }

    /**
     * Deletes every key that starts with {@code prefix}: SCAN walks the keyspace in steps without blocking
     * the server (unlike KEYS), and each step's keys are deleted before the next.
     *
     * @return how many keys were deleted
     */
    public long deleteKeysStartingWith(String prefix) throws IOException {
        String pattern = globEscape(prefix) + "*";
        String cursor = "0";
        long deleted = 0;
        do {
            List<?> reply = (List<?>) command("SCAN", cursor, "MATCH", pattern, "COUNT", Integer.toString(SCAN_COUNT));
            cursor = (String) reply.get(0);
            List<?> keys = (List<?>) reply.get(1);
            if (!keys.isEmpty()) {
                List<String> del = new ArrayList<>(keys.size() + 1);
                del.add("DEL");
                for (Object key : keys) {
                    del.add((String) key);
                }
                deleted += (Long) command(del.toArray(String[]::new));
            }
        } while (!cursor.equals("0"));
        return deleted;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Sends one command and reads its reply. */
    Object command(String... args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(bytes);
            request.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(request.toByteArray());
        out.flush();
        return reply();
    }

    /** A RESP2 reply: a String for simple and bulk strings (null for nil), a Long, or a List of replies. */
    private Object reply() throws IOException {
        int type = in.read();
        if (type == -1) {
            throw new EOFException("Redis closed the connection");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("Redis answered: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                if (bytes.length < length + 2) {
                    throw new EOFException("Redis closed the connection");
                }
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(reply());
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply (type byte " + type + ")");
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b; (b = in.read()) != -1; previous = b) {
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        throw new EOFException("Redis closed the connection");
    }

    /** {@code prefix} as a SCAN MATCH pattern that matches it literally. */
    static String globEscape(String prefix) {
        StringBuilder b = new StringBuilder(prefix.length() + 8);
        for (char c : prefix.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
