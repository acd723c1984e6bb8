package com.acme.library;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The API; answers are records built from the entities, as most Quarkus services do. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class LibraryResource {

    public record BookView(Long id, String title, Long authorId) {
    }

    public record AuthorView(Long id, String name, String bio, List<BookView> books) {
    }

    public record AuthorLine(Long id, String name, String bio) {
    }

    public record AddedView(BookView book, long booksOfTheAuthorNow) {
    }

    @Inject
    AuthorRepository authors;
    @Inject
    BookRepository books;
    @Inject
    LibraryService service;
    @Inject
    EntityManager em;

    static AuthorView view(Author a) {
        return new AuthorView(a.id, a.name, a.bio, a.books.stream().map(LibraryResource::view).toList());
    }

    static BookView view(Book b) {
        return new BookView(b.id, b.title, b.author.id);
    }

    @GET
    @Path("authors")
    public List<AuthorLine> list() {
        return authors.findEveryone().stream().map(a -> new AuthorLine(a.id, a.name, a.bio)).toList();
    }

    @GET
    @Path("authors/search")
    public List<AuthorView> search(@QueryParam("name") String name) {
        return authors.findByNamePrefix(name == null ? "" : name).stream().map(LibraryResource::view).toList();
    }

    /** The author alone, through the finder whose books are lazy: the books are read here, in the request. */
    @GET
    @Path("authors/{id}")
    public AuthorView author(@PathParam("id") Long id) {
        Author a = authors.findAuthor(id);
        if (a == null) {
            throw new NotFoundException();
        }
        return view(a);
    }

    @GET
    @Path("authors/{id}/full")
    public AuthorView full(@PathParam("id") Long id) {
        Author a = authors.findWithBooks(id);
        if (a == null) {
            throw new NotFoundException();
        }
        return view(a);
    }

    @GET
    @Path("authors/{id}/books")
    public List<BookView> booksOf(@PathParam("id") Long id) {
        return books.findByAuthor(id).stream().map(LibraryResource::view).toList();
    }

    @GET
    @Path("authors/{id}/count")
    public long countOf(@PathParam("id") Long id) {
        return books.countByAuthor(id);
    }

    @PUT
    @Path("authors/{id}/bio")
    @jakarta.ws.rs.Consumes(MediaType.TEXT_PLAIN)
    public AuthorLine changeBio(@PathParam("id") Long id, String bio) {
        Author a = service.changeBio(id, bio);
        return new AuthorLine(a.id, a.name, a.bio);
    }

    @POST
    @Path("authors/{id}/books")
    @jakarta.ws.rs.Consumes(MediaType.TEXT_PLAIN)
    public Response addBook(@PathParam("id") Long id, String title) {
        LibraryService.Added added = service.addBook(id, title);
        return Response.status(201).entity(new AddedView(new BookView(added.book().id, added.book().title, id), added.booksNow()))
                .build();
    }

    @POST
    @Path("authors/{id}/coauthor")
    @jakarta.ws.rs.Consumes(MediaType.TEXT_PLAIN)
    public Response coAuthor(@PathParam("id") Long id, String name) {
        Author a = service.addCoAuthor(id, name);
        return Response.status(201).entity(new AuthorLine(a.id, a.name, a.bio)).build();
    }

    @PUT
    @Path("books/{id}/author/{to}")
    public Response move(@PathParam("id") Long id, @PathParam("to") Long to) {
        service.moveBook(id, to);
        return Response.noContent().build();
    }

    @DELETE
    @Path("books/{id}")
    public Response delete(@PathParam("id") Long id) {
        return service.deleteBook(id) ? Response.noContent().build() : Response.status(404).build();
    }

    /** Every row, for the test's comparison of the database at the end (read straight from the tables). */
    @GET
    @Path("rows")
    @SuppressWarnings("unchecked")
    public List<String> rows() {
        List<Object[]> a = em.createNativeQuery("select id, name, bio from Author order by id").getResultList();
        List<Object[]> b = em.createNativeQuery("select id, title, author_id from Book order by id").getResultList();
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        a.forEach(r -> out.add("author " + java.util.Arrays.toString(r)));
        b.forEach(r -> out.add("book " + java.util.Arrays.toString(r)));
        return out;
    }
}
