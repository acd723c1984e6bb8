package dev.recall.bench.graph;

import jakarta.persistence.EntityManager;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import java.time.LocalDate;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One owner with two pets and three visits each, read three ways in the same JVM (which runs with the agent): the
 * repository call (a query with fetch joins), a hit of Hibernate's second-level cache (JCache, Ehcache 3) and a hit
 * of Recall on the same call. The owners read cycle over {@link #OWNERS}, all warm after the first round.
 */
@State(Scope.Benchmark)
public class EntityGraphBench {

    static final int OWNERS = 100;

    /** {@code h2} (in memory) or a JDBC URL (PostgreSQL: {@code DATABASE_URL}). */
    @Param("h2")
    public String db;

    private SessionFactory sessions;
    private OwnerDao dao;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        Configuration c = new Configuration()
                .addAnnotatedClass(Owner.class).addAnnotatedClass(Pet.class).addAnnotatedClass(Visit.class);
        if ("h2".equals(db)) {
            c.setProperty("hibernate.connection.url", "jdbc:h2:mem:graph;DB_CLOSE_DELAY=-1");
        } else {
            c.setProperty("hibernate.connection.url", db);
        }
        c.setProperty("hibernate.hbm2ddl.auto", "create-drop");
        c.setProperty("hibernate.connection.pool_size", "4");
        c.setProperty("hibernate.cache.use_second_level_cache", "true");
        c.setProperty("hibernate.cache.region.factory_class", "jcache");
        c.setProperty("hibernate.javax.cache.provider", "org.ehcache.jsr107.EhcacheCachingProvider");
        c.setProperty("hibernate.javax.cache.missing_cache_strategy", "create");
        // JCache's default is store-by-value, which makes Ehcache copy every entry on each read; a second-level cache
        // tuned for speed holds Hibernate's (immutable, disassembled) entries by reference, so its regions are made
        // here that way, and handed to Hibernate with the manager.
        c.getProperties().put("hibernate.javax.cache.cache_manager", byReference(
                Owner.class.getName(), Owner.class.getName() + ".pets", Pet.class.getName(), Pet.class.getName() + ".visits",
                Visit.class.getName()));
        c.setProperty("hibernate.show_sql", "false");
        c.setProperty("hibernate.generate_statistics", String.valueOf(Boolean.getBoolean("graph.statistics")));
        sessions = c.buildSessionFactory();
        seed();
        dao = new OwnerDao(sessions);
    }

    private static CacheManager byReference(String... regions) {
        CacheManager manager = Caching.getCachingProvider("org.ehcache.jsr107.EhcacheCachingProvider")
                .getCacheManager();
        for (String region : regions) {
            if (manager.getCache(region) == null) {
                manager.createCache(region, new MutableConfiguration<Object, Object>().setStoreByValue(false));
            }
        }
        return manager;
    }

    private void seed() {
        try (EntityManager em = sessions.createEntityManager()) {
            em.getTransaction().begin();
            long petId = 1;
            long visitId = 1;
            for (long o = 1; o <= OWNERS; o++) {
                Owner owner = new Owner(o, "First" + o, "Last" + o, "City " + (o % 7));
                em.persist(owner);
                for (int p = 0; p < 2; p++) {
                    Pet pet = new Pet(petId++, "Pet " + o + "-" + p, LocalDate.of(2015 + p, 1 + (int) (o % 12), 3), owner);
                    em.persist(pet);
                    for (int v = 0; v < 3; v++) {
                        em.persist(new Visit(visitId++, LocalDate.of(2024, 1 + v, 1 + (int) (o % 28)), "check-up " + v + " of "
                                + pet.name, pet));
                    }
                }
            }
            em.getTransaction().commit();
        }
    }

    /** Hibernate's own counts, for the check that the second-level case runs no SQL once warm. */
    org.hibernate.stat.Statistics statistics() {
        return sessions.getStatistics();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sessions.close();
    }

    private long owner() {
        next = next % OWNERS + 1;
        return next;
    }

    @Benchmark
    public int repository() {
        return dao.ownerGraph(owner()).weight();
    }

    @Benchmark
    public int secondLevel() {
        return dao.secondLevelOwnerGraph(owner()).weight();
    }

    @Benchmark
    public int recall() {
        return dao.cachedOwnerGraph(owner()).weight();
    }
}
