package dev.recall.bench;

import java.net.InetSocketAddress;
import java.util.List;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;
import net.rubyeye.xmemcached.transcoders.CachedData;
import net.rubyeye.xmemcached.transcoders.CompressionMode;
import net.rubyeye.xmemcached.transcoders.Transcoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The baseline of a Memcached hit: a plain xmemcached {@code get} (the client the agent shades, set up as the agent
 * sets it up) of values of {@code valueBytes}, the size of the sealed envelope the agent stores for
 * {@link RemoteTargets#remote}, without the agent.
 */
@State(Scope.Benchmark)
public class RawMemcachedBench {

    @Param("127.0.0.1:11211")
    public String server;
    @Param("80")
    public int valueBytes;

    private MemcachedClient client;
    private String[] keys;

    @Setup
    public void fill() throws Exception {
        int colon = server.lastIndexOf(':');
        XMemcachedClientBuilder b = new XMemcachedClientBuilder(List.of(new InetSocketAddress(server.substring(0, colon),
                Integer.parseInt(server.substring(colon + 1)))));
        b.setSessionLocator(new KetamaMemcachedSessionLocator());
        b.setSelectorPoolSize(1);
        client = b.build();
        keys = new String[Work.KEYS];
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < Work.KEYS; i++) {
            keys[i] = "bench-raw:" + i;
            client.set(keys[i], 3600, value, BYTES, 1000);
        }
    }

    @TearDown
    public void close() throws Exception {
        client.shutdown();
    }

    @Benchmark
    public byte[] rawGet(Keys k) throws Exception {
        return client.get(keys[k.next()], 1000, BYTES);
    }

    static final Transcoder<byte[]> BYTES = new Transcoder<>() {
        @Override
        public CachedData encode(byte[] o) {
            return new CachedData(0, o);
        }

        @Override
        public byte[] decode(CachedData d) {
            return d.getData();
        }

        @Override
        public void setPrimitiveAsString(boolean b) {
        }

        @Override
        public void setPackZeros(boolean b) {
        }

        @Override
        public void setCompressionThreshold(int i) {
        }

        @Override
        public boolean isPrimitiveAsString() {
            return false;
        }

        @Override
        public boolean isPackZeros() {
            return false;
        }

        @Override
        public void setCompressionMode(CompressionMode m) {
        }
    };
}
