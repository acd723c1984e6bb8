package com.acme.library;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import java.util.ArrayList;
import java.util.List;

/** Public fields, as Panache users write them: Quarkus enhances the class and turns them into accessors. */
@Entity
public class Author {
    @Id
    @GeneratedValue
    public Long id;
    public String name;
    public String bio;
    /** Lazy (the default for a collection); new books are saved through it (cascade). */
    @OneToMany(mappedBy = "author", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    public List<Book> books = new ArrayList<>();
}
