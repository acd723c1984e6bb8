package com.acme.petclinic;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface VetRepository extends JpaRepository<Vet, Integer> {

    List<Vet> findBySpecialtyOrderByLastName(String specialty);
}
