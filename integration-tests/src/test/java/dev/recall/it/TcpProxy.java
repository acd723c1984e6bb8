package dev.recall.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy between an application JVM and Redis that the test controls, to take Redis away
 * from one application without touching the shared server:
 *
 * <ul>
 *   <li>{@link #cut()}: Redis is gone. Every connection is closed at once; new ones are accepted and
 *       closed straight away, as a refused connection would be;</li>
 *   <li>{@link #stall()}: a network partition. Nothing is forwarded any more in either direction on open
 *       connections, and new connections are accepted but never answered, so every command the client
 *       sends waits for its timeout;</li>
 *   <li>{@link #delay(int, int)}: a slow network. Everything is still forwarded, in order, but each chunk
 *       read from either side is held for a random {@code min..max} ms (fixed seed) first, so a command
 *       the client gave up on still reaches the server, late;</li>
 *   <li>{@link #restore()}: forwarding again, without delay; bytes held by a stall are delivered, late, as
 *       a healed network would deliver them.</li>
 * </ul>
 *
 * Listens on 127.0.0.1 on an ephemeral port. Two daemon threads per connection; all of them end on
 * {@link #close()}.
 */
final class TcpProxy implements AutoCloseable {

    enum Mode { FORWARD, CUT, STALL }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.FORWARD;
    private volatile int delayMin;
    private volatile int delayMax;
    private final java.util.Random delays = new java.util.Random(20261203L);
    private volatile boolean closed;

    TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    Mode mode() {
        return mode;
    }

    /** Connections accepted so far, in any mode. */
    int accepted() {
        return accepted.get();
    }

    void cut() {
        synchronized (lock) {
            mode = Mode.CUT;
            lock.notifyAll();
        }
        closeAll();
    }

    void stall() {
        synchronized (lock) {
            mode = Mode.STALL;
        }
    }

    void restore() {
        synchronized (lock) {
            mode = Mode.FORWARD;
            delayMin = 0;
            delayMax = 0;
            lock.notifyAll();
        }
    }

    /** Forwarding (ends a stall), each chunk held {@code minMillis..maxMillis} first; {@link #restore()} ends it. */
    void delay(int minMillis, int maxMillis) {
        synchronized (lock) {
            delayMin = minMillis;
            delayMax = Math.max(minMillis, maxMillis);
            mode = Mode.FORWARD;
            lock.notifyAll();
        }
    }

    /** Holds one chunk as {@link #delay} says; nothing when not delaying. */
    private void holdChunk() throws InterruptedException {
        int min = delayMin;
        int max = delayMax;
        if (max <= 0) {
            return;
        }
        int d;
        synchronized (delays) {
            d = min + delays.nextInt(max - min + 1);
        }
        Thread.sleep(d);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (mode == Mode.CUT) {
                quietly(client);
                continue;
            }
            sockets.add(client);
            Thread t = new Thread(() -> connect(client), "tcp-proxy-conn-" + client.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client) {
        Socket upstream = null;
        try {
            if (!awaitForwarding()) {
                quietly(client);
                return;
            }
            upstream = new Socket();
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 2000);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            sockets.add(upstream);
            if (mode == Mode.CUT) {
                // cut() may have run between our check and sockets.add: it must not miss this pair
                quietly(client);
                quietly(upstream);
                return;
            }
            Socket up = upstream;
            Thread back = new Thread(() -> pump(up, client), "tcp-proxy-back-" + client.getPort());
            back.setDaemon(true);
            back.start();
            pump(client, upstream);
        } catch (IOException e) {
            quietly(client);
            if (upstream != null) {
                quietly(upstream);
            }
        }
    }

    /** Copies until either side closes; holds the bytes it read while the proxy stalls. */
    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                try {
                    holdChunk();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (!awaitForwarding()) {
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or the proxy cut it
        } finally {
            quietly(from);
            quietly(to);
        }
    }

    /** Waits while stalled; false if the proxy was cut or closed meanwhile. */
    private boolean awaitForwarding() {
        synchronized (lock) {
            while (mode == Mode.STALL && !closed) {
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return mode == Mode.FORWARD && !closed;
        }
    }

    private void closeAll() {
        for (Socket s : sockets) {
            quietly(s);
        }
    }

    private void quietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        closeAll();
    }
}
