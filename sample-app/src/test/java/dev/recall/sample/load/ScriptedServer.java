package dev.recall.sample.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A test HTTP/1.1 server whose every answer is decided by a script from the request's arrival number:
 * status, how long to take, body size, and whether to stall the whole server meanwhile. Each response
 * carries {@code Server-Timing: app;dur=} with the time actually spent on it, like the catalogue service.
 *
 * <p>It is a raw socket server rather than {@code com.sun.net.httpserver} on purpose: that one writes the
 * headers and the body as two TCP segments without TCP_NODELAY, so on a keep-alive connection Nagle's
 * algorithm and the client's delayed ACK add ~40 ms to every response, which would swamp the delays
 * under test (its {@code sun.net.httpserver.nodelay} switch is read once per JVM, so a test cannot rely on
 * it). Here each response is one write with TCP_NODELAY. It also counts the bytes really read and
 * written, to check the generator's byte accounting.
 *
 * <p>Keep-alive, one thread per connection, Content-Length bodies only (what the JDK client sends). A
 * stalling request holds a gate that every other request passes through.
 */
final class ScriptedServer implements AutoCloseable {

    record Reply(int status, long delayMillis, int bodyBytes, boolean stallAll) {
        static Reply ok(long delayMillis, int bodyBytes) {
            return new Reply(200, delayMillis, bodyBytes, false);
        }

        static Reply status(int status) {
            return new Reply(status, 0, 20, false);
        }

        static Reply stall(long millis) {
            return new Reply(200, millis, 7, true);
        }
    }

    interface Script {
        Reply reply(long arrival);
    }

    private final ServerSocket socket;
    private final Script script;
    private final AtomicLong arrivals = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final ReentrantLock gate = new ReentrantLock();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Queue<Double> processingMillis = new ConcurrentLinkedQueue<>();

    private ScriptedServer(Script script) throws IOException {
        this.script = script;
        this.socket = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ScriptedServer start(Script script) {
        try {
            return new ScriptedServer(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }

    long arrivals() {
        return arrivals.get();
    }

    /**
     * How long each request really took here, in order of completion: the script's delays as this machine's
     * clock and scheduler delivered them (a 5 ms sleep can take 9 ms on a loaded VM).
     */
    List<Double> processingMillis() {
        return List.copyOf(processingMillis);
    }

    /** Request bytes read: request lines, headers, bodies. */
    long received() {
        return received.get();
    }

    /** Response bytes written (counted just before writing, so a finished client never sees them short). */
    long sent() {
        return sent.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                s.setTcpNoDelay(true);
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] head;
            while ((head = readHead(in)) != null) {
                long began = System.nanoTime();
                byte[] body = in.readNBytes(contentLength(head));
                received.addAndGet(head.length + body.length);
                Reply reply = script.reply(arrivals.getAndIncrement());
                if (reply.stallAll()) {
                    gate.lock();
                    try {
                        sleep(reply.delayMillis());
                    } finally {
                        gate.unlock();
                    }
                } else {
                    gate.lock(); // waits here while another request stalls the server
                    gate.unlock();
                    sleep(reply.delayMillis());
                }
                double millis = (System.nanoTime() - began) / 1e6;
                processingMillis.add(millis);
                byte[] response = response(reply, millis);
                sent.addAndGet(response.length);
                out.write(response);
                out.flush();
            }
        } catch (IOException e) {
            // The client closed the connection (at the end, or after a timeout under test).
        } finally {
            connections.remove(s);
        }
    }

    private static byte[] response(Reply reply, double millis) {
        String reason = switch (reply.status()) {
            case 200 -> "OK";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Whatever";
        };
        String head = "HTTP/1.1 " + reply.status() + " " + reason + "\r\n"
                + "Content-Length: " + reply.bodyBytes() + "\r\n"
                + String.format(Locale.ROOT, "Server-Timing: app;dur=%.3f\r\n", millis)
                + "\r\n";
        return (head + "x".repeat(reply.bodyBytes())).getBytes(StandardCharsets.US_ASCII);
    }

    /** The request line and headers up to the blank line, or null at the end of the connection. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0D0A0D0A) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static int contentLength(byte[] head) {
        for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
