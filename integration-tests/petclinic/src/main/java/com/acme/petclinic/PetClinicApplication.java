package com.acme.petclinic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A pet clinic in the style of the Spring pet clinic: owners and their pets, vets. An ordinary Spring Boot
 * service that knows nothing of any cache; it is here to be cached from outside, by configuration only.
 */
@SpringBootApplication
public class PetClinicApplication {

    public static void main(String[] args) {
        SpringApplication.run(PetClinicApplication.class, args);
    }
}
