package dev.recall.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The baseline of a Redis hit: a plain Jedis GET of values of the size the agent stores for
 * {@link RemoteTargets#remote} (its sealed envelope), without the agent.
 */
@State(Scope.Benchmark)
public class RawRedisBench {

    @Param("redis://127.0.0.1:6379")
    public String uri;
    @Param("80")
    public int valueBytes;

    private JedisPooled redis;
    private byte[][] keys;

    @Setup
    public void fill() {
        URI u = URI.create(uri);
        redis = new JedisPooled(new HostAndPort(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort()));
        keys = new byte[Work.KEYS][];
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < Work.KEYS; i++) {
            keys[i] = ("bench-raw:" + i).getBytes(StandardCharsets.UTF_8);
            redis.set(keys[i], value);
        }
    }

    @TearDown
    public void close() {
        redis.close();
    }

    @Benchmark
    public byte[] rawGet(Keys k) {
        return redis.get(keys[k.next()]);
    }
}
