package com.acme.library;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class BookRepository implements PanacheRepository<Book> {

    /** Books of an author, with the author (fetched: the book's author is lazy). */
    public List<Book> findByAuthor(Long authorId) {
        return find("select b from Book b join fetch b.author where b.author.id = ?1 order by b.id", authorId).list();
    }

    public long countByAuthor(Long authorId) {
        return count("author.id", authorId);
    }
}
