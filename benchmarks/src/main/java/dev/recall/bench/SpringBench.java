package dev.recall.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.TimeUnit;
import javax.cache.annotation.CacheResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a user would otherwise pick: Spring's {@code @Cacheable} on a proxied bean, backed by
 * {@link CaffeineCacheManager} configured like the hand-written cache; and the JCache (JSR-107)
 * {@code @CacheResult} annotation through the same Spring context.
 */
@State(Scope.Benchmark)
public class SpringBench {

    private AnnotationConfigApplicationContext context;
    private SpringTargets spring;
    private JCacheTargets jcache;

    @Setup
    public void start() {
        context = new AnnotationConfigApplicationContext(Config.class);
        spring = context.getBean(SpringTargets.class);
        jcache = context.getBean(JCacheTargets.class);
        Keys k = new Keys();
        for (int i = 0; i < Work.KEYS; i++) {
            cacheableLong(k);
            cacheableTwoArgs(k);
            cacheableObject(k);
            jcacheLong(k);
            jcacheTwoArgs(k);
        }
    }

    @TearDown
    public void stop() {
        context.close();
    }

    @Benchmark
    public String cacheableLong(Keys k) {
        return spring.byLong(k.ids[k.next()]);
    }

    @Benchmark
    public String cacheableTwoArgs(Keys k) {
        int i = k.next();
        return spring.byTwo(k.skus[i], k.quantities[i]);
    }

    @Benchmark
    public String cacheableObject(Keys k) {
        return spring.byOrder(k.orders[k.next()]);
    }

    @Benchmark
    public String jcacheLong(Keys k) {
        return jcache.byLong(k.ids[k.next()]);
    }

    @Benchmark
    public String jcacheTwoArgs(Keys k) {
        int i = k.next();
        return jcache.byTwo(k.skus[i], k.quantities[i]);
    }

    @Configuration
    @EnableCaching
    public static class Config {
        @Bean
        public CacheManager cacheManager() {
            CaffeineCacheManager manager = new CaffeineCacheManager();
            manager.setCaffeine(Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(5, TimeUnit.MINUTES));
            return manager;
        }

        @Bean
        public SpringTargets springTargets() {
            return new SpringTargets();
        }

        @Bean
        public JCacheTargets jcacheTargets() {
            return new JCacheTargets();
        }
    }

    /** Proxied by Spring (CGLIB): the cache runs in the proxy around each call. */
    public static class SpringTargets {
        @Cacheable("s-long")
        public String byLong(long id) {
            return Work.byLong(id);
        }

        @Cacheable("s-two")
        public String byTwo(String sku, int quantity) {
            return Work.byTwo(sku, quantity);
        }

        @Cacheable(cacheNames = "s-order", key = "#order.id")
        public String byOrder(Work.Order order) {
            return Work.byOrder(order);
        }
    }

    /** JSR-107 annotations; JCache has no property-path key, so only two of the three shapes. */
    public static class JCacheTargets {
        @CacheResult(cacheName = "j-long")
        public String byLong(long id) {
            return Work.byLong(id);
        }

        @CacheResult(cacheName = "j-two")
        public String byTwo(String sku, int quantity) {
            return Work.byTwo(sku, quantity);
        }
    }
}
