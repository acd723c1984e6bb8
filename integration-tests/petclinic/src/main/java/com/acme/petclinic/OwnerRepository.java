package com.acme.petclinic;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data makes the implementation: a JDK proxy over {@code SimpleJpaRepository} and a derived query. */
public interface OwnerRepository extends JpaRepository<Owner, Integer> {

    /** A derived query: no body anywhere, Spring Data builds the JPQL from the name. */
    List<Owner> findByLastNameStartingWith(String lastName);
}
