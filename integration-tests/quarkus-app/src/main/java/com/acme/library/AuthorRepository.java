package com.acme.library;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class AuthorRepository implements PanacheRepository<Author> {

    /** The author alone: its books stay a lazy collection. */
    public Author findAuthor(Long id) {
        return findById(id);
    }

    /** The author with its books, in one query. */
    public Author findWithBooks(Long id) {
        return find("select distinct a from Author a left join fetch a.books where a.id = ?1", id).firstResult();
    }

    /** Authors whose name starts with {@code prefix}, each with its books. */
    public List<Author> findByNamePrefix(String prefix) {
        return find("select distinct a from Author a left join fetch a.books where a.name like ?1 order by a.id",
                prefix + "%").list();
    }

    public List<Author> findEveryone() {
        return listAll(Sort.by("id"));
    }
}
