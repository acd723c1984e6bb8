package com.acme.petclinic;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The hand-written generic repository many services have beside Spring Data: one class, one bean per entity
 * type ({@link DaoConfiguration} makes one for owners and one for vets).
 */
public class GenericDao<T> {

    private final Class<T> type;

    @PersistenceContext
    private EntityManager entityManager;

    public GenericDao(Class<T> type) {
        this.type = type;
    }

    /** The entity of this DAO's type with that id, or {@code null}. */
    public T find(Object id) {
        return entityManager.find(type, id);
    }

    public Class<T> type() {
        return type;
    }
}
