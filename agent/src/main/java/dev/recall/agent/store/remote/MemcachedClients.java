package dev.recall.agent.store.remote;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.impl.KetamaMemcachedSessionLocator;

/**
 * Makes {@link MemcachedConnector}'s xmemcached client, and the transcoder it reads and writes values with. Stateless;
 * called on the connector's thread (the client it makes is thread-safe).
 */
final class MemcachedClients {

    private MemcachedClients() {
    }

    /**
     * A client of {@code servers} ("host:port" each), keys spread as other Memcached clients spread them.
     *
     * @param timeoutMillis        how long one command may take
     * @param connectTimeoutMillis how long making a connection may take
     */
    static MemcachedClient connect(List<String> serverNames, long timeoutMillis, long connectTimeoutMillis) throws IOException {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String s : serverNames) {
            int colon = s.lastIndexOf(':');
            servers.add(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))));
        }
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(servers);
        // Ketama, as other Memcached clients spread keys; failure mode keeps a down server's keys on it (they are
        // misses) instead of moving them to another server, from which they would be read stale when it is back.
        builder.setSessionLocator(new KetamaMemcachedSessionLocator());
        builder.setFailureMode(true);
        builder.setConnectTimeout(connectTimeoutMillis);
        builder.setOpTimeout(timeoutMillis);
        builder.setTranscoder(Bytes.INSTANCE);
        builder.setName("recall");
        builder.setSelectorPoolSize(1);
        builder.setHealSessionInterval(RemoteOutage.FIRST_RETRY_MILLIS);
        MemcachedClient c = builder.build();
        c.setOpTimeout(timeoutMillis);
        return c;
    }

    /** Values as the bytes they are: no serialization, no compression, flags 0. Stateless. */
    static final class Bytes implements net.rubyeye.xmemcached.transcoders.Transcoder<byte[]> {
        static final Bytes INSTANCE = new Bytes();

        @Override
        public net.rubyeye.xmemcached.transcoders.CachedData encode(byte[] o) {
            return new net.rubyeye.xmemcached.transcoders.CachedData(0, o);
        }

        @Override
        public byte[] decode(net.rubyeye.xmemcached.transcoders.CachedData d) {
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
        public void setCompressionMode(net.rubyeye.xmemcached.transcoders.CompressionMode mode) {
        }
    }
}
