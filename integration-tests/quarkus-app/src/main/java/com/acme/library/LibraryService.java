package com.acme.library;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;

/** The writes, each in a transaction of its own; they change loaded entities and let dirty checking save them. */
@ApplicationScoped
public class LibraryService {

    @Inject
    AuthorRepository authors;
    @Inject
    BookRepository books;

    @Transactional
    public Author changeBio(Long id, String bio) {
        Author a = authors.findAuthor(id);
        if (a == null) {
            throw new NotFoundException();
        }
        a.bio = bio; // no save: the managed entity is flushed at commit
        return a;
    }

    /** A book added, and how many books its author has now, counted inside the same transaction. */
    public record Added(Book book, long booksNow) {
    }

    /**
     * A book added through its author's collection: persisted by the cascade from the managed author; the count
     * read after the flush, in the transaction, includes it.
     */
    @Transactional
    public Added addBook(Long authorId, String title) {
        Author a = authors.findAuthor(authorId);
        if (a == null) {
            throw new NotFoundException();
        }
        Book b = new Book();
        b.title = title;
        b.author = a;
        a.books.add(b);
        authors.flush();
        return new Added(b, books.countByAuthor(authorId));
    }

    /** A new author and a first book that refers to an author loaded by a finder (persist of what refers to it). */
    @Transactional
    public Author addCoAuthor(Long existingId, String name) {
        Author existing = authors.findAuthor(existingId);
        if (existing == null) {
            throw new NotFoundException();
        }
        Author a = new Author();
        a.name = name;
        a.bio = "Co-author with " + existing.name + ".";
        authors.persist(a);
        Book b = new Book();
        b.title = "Written with " + existing.name;
        b.author = a;
        a.books.add(b);
        return a;
    }

    /** Renames an author and moves a book to it: two authors' lists and the book lists are stale after. */
    @Transactional
    public void moveBook(Long bookId, Long toAuthorId) {
        Book b = books.findById(bookId);
        Author to = authors.findAuthor(toAuthorId);
        if (b == null || to == null) {
            throw new NotFoundException();
        }
        b.author.books.remove(b);
        b.author = to;
        to.books.add(b);
    }

    @Transactional
    public boolean deleteBook(Long id) {
        Book b = books.findById(id);
        if (b == null) {
            return false;
        }
        b.author.books.remove(b);
        return true;
    }
}
