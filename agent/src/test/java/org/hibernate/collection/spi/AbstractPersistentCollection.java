package org.hibernate.collection.spi;

/**
 * A stand-in of Hibernate 6's base of persistent collections, with the fields that matter to a fingerprint: its
 * session bookkeeping (the session, the owner, the snapshot), which differs between two reads of the same rows.
 */
public abstract class AbstractPersistentCollection {
    public Object session;
    public Object owner;
    public Object storedSnapshot;
    public boolean initialized;
}
