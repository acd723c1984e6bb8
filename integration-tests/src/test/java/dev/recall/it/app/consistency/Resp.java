package dev.recall.it.app.consistency;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal Redis client (RESP2, one command at a time) for {@link ConsistencyApp}'s oracle database. The
 * application class path holds no Redis client of its own (the agent's Jedis is shaded and private), and a
 * dozen lines of protocol keep it that way. Not thread-safe: one per thread.
 */
final class Resp implements AutoCloseable {

    /** An error reply of the server ({@code -ERR ...}). */
    static final class ErrorReply extends IOException {
        ErrorReply(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final BufferedInputStream in;
    private final OutputStream out;

    Resp(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        out = socket.getOutputStream();
    }

    /** Sends one command and returns its reply: String, Long, null, or Object[] for an array. */
    Object call(String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(b.toByteArray());
        out.flush();
        return reply();
    }

    /** The number stored under {@code key}; 0 if there is none. */
    long getLong(String key) throws IOException {
        Object v = call("GET", key);
        return v == null ? 0 : Long.parseLong((String) v);
    }

    void set(String key, long value) throws IOException {
        Object r = call("SET", key, Long.toString(value));
        if (!"OK".equals(r)) {
            throw new IOException("SET " + key + " answered " + r);
        }
    }

    private Object reply() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the server closed the connection");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len + 2);
                if (data.length != len + 2) {
                    throw new EOFException("short bulk reply");
                }
                return new String(data, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                Object[] items = new Object[n];
                for (int i = 0; i < n; i++) {
                    items[i] = reply();
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: '" + (char) type + line + "'");
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                int lf = in.read();
                if (lf != '\n') {
                    throw new IOException("CR without LF");
                }
                return s.toString();
            }
            s.append((char) c);
        }
        throw new EOFException("the server closed the connection");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
