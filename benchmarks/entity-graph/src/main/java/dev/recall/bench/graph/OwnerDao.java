package dev.recall.bench.graph;

import jakarta.persistence.CacheRetrieveMode;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.Hibernate;

/**
 * Three ways to read one owner with its pets and their visits, each in an entity manager of its own, closed before
 * returning, as a repository method outside a transaction does. The first two have the same body; only
 * {@link #cachedOwnerGraph} is matched by the benchmark's {@code recall.yml}.
 */
public final class OwnerDao {

    static final String GRAPH = "select distinct o from Owner o left join fetch o.pets p left join fetch p.visits "
            + "where o.id = :id";

    private final EntityManagerFactory emf;

    OwnerDao(EntityManagerFactory emf) {
        this.emf = emf;
    }

    /** The repository call: one query with fetch joins, past the second-level cache. */
    public Owner ownerGraph(long id) {
        return query(id);
    }

    /** The same call, cached by Recall (benchmarks/entity-graph/recall.yml). */
    public Owner cachedOwnerGraph(long id) {
        return query(id);
    }

    /**
     * Hibernate's second-level cache: the owner, its pets collection, each pet and its visits collection and
     * visits, each a hit of its region; no SQL once warm.
     */
    public Owner secondLevelOwnerGraph(long id) {
        try (EntityManager em = emf.createEntityManager()) {
            Owner o = em.find(Owner.class, id);
            Hibernate.initialize(o.pets);
            for (Pet p : o.pets) {
                Hibernate.initialize(p.visits);
            }
            return o;
        }
    }

    private Owner query(long id) {
        try (EntityManager em = emf.createEntityManager()) {
            em.setProperty("jakarta.persistence.cache.retrieveMode", CacheRetrieveMode.BYPASS);
            return em.createQuery(GRAPH, Owner.class).setParameter("id", id).getSingleResult();
        }
    }
}
