package dev.recall.sample.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The client against a fake server that records each command and answers it from a script, in RESP. */
class MiniRedisTest {

    @Test
    void deletesEveryKeyUnderThePrefixStepByStep() throws Exception {
        try (FakeRedis redis = new FakeRedis(command -> switch (command.get(0)) {
            // Two SCAN steps, the second ending the walk (cursor 0); the first step's keys and then the second's are deleted.
            case "SCAN" -> command.get(1).equals("0")
                    ? "*2\r\n$2\r\n17\r\n*2\r\n$5\r\nrun:a\r\n$5\r\nrun:b\r\n"
                    : "*2\r\n$1\r\n0\r\n*1\r\n$5\r\nrun:c\r\n";
            case "DEL" -> ":" + (command.size() - 1) + "\r\n";
            default -> "-ERR unexpected\r\n";
        }); MiniRedis client = MiniRedis.connect(redis.uri("", ""), Duration.ofSeconds(5))) {
            assertEquals(3, client.deleteKeysStartingWith("run:"));
            assertEquals(List.of(
                    List.of("SCAN", "0", "MATCH", "run:*", "COUNT", "500"),
                    List.of("DEL", "run:a", "run:b"),
                    List.of("SCAN", "17", "MATCH", "run:*", "COUNT", "500"),
                    List.of("DEL", "run:c")), redis.commands);
        }
    }

    @Test
    void logsInAndSelectsTheDatabaseTheUriNames() throws Exception {
        try (FakeRedis redis = new FakeRedis(command -> command.get(0).equals("PING") ? "+PONG\r\n" : "+OK\r\n");
             MiniRedis client = MiniRedis.connect(redis.uri("demo:s%40cret:x@", "/2"), Duration.ofSeconds(5))) {
            assertEquals("PONG", client.ping());
            assertEquals(List.of(List.of("AUTH", "demo", "s@cret:x"), List.of("SELECT", "2"), List.of("PING")), redis.commands);
        }
    }

    @Test
    void anErrorReplyFailsTheCall() throws Exception {
        try (FakeRedis redis = new FakeRedis(command -> "-NOAUTH Authentication required.\r\n");
             MiniRedis client = MiniRedis.connect(redis.uri("", ""), Duration.ofSeconds(5))) {
            IOException e = assertThrows(IOException.class, client::ping);
            assertTrue(e.getMessage().contains("NOAUTH"), e.getMessage());
        }
    }

    @Test
    void prefixesMatchLiterally() {
        assertEquals("recall-demo-1f:", MiniRedis.globEscape("recall-demo-1f:"));
        assertEquals("a\\*b\\?c\\[d\\]e\\\\", MiniRedis.globEscape("a*b?c[d]e\\"));
        assertThrows(IllegalArgumentException.class, () -> MiniRedis.connect(URI.create("http://127.0.0.1:6379"), Duration.ofSeconds(1)));
    }

    /** One connection's worth of Redis: reads RESP arrays of bulk strings, answers each from the script. */
    private static final class FakeRedis implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final List<List<String>> commands = new CopyOnWriteArrayList<>();

        FakeRedis(Function<List<String>, String> script) throws IOException {
            Thread t = new Thread(() -> serve(script), "fake-redis");
            t.setDaemon(true);
            t.start();
        }

        URI uri(String userInfo, String path) {
            return URI.create("redis://" + userInfo + "127.0.0.1:" + socket.getLocalPort() + path);
        }

        private void serve(Function<List<String>, String> script) {
            try (Socket s = socket.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
                OutputStream out = s.getOutputStream();
                for (String header; (header = in.readLine()) != null; ) {
                    int n = Integer.parseInt(header.substring(1));
                    List<String> command = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        in.readLine(); // $length: the test's arguments are ASCII, so a line read is exact
                        command.add(in.readLine());
                    }
                    commands.add(command);
                    out.write(script.apply(command).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException ignored) {
                // the client closed
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
