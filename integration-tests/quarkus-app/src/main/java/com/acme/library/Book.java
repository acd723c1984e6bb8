package com.acme.library;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

@Entity
public class Book {
    @Id
    @GeneratedValue
    public Long id;
    public String title;
    @ManyToOne(fetch = FetchType.LAZY)
    public Author author;
}
