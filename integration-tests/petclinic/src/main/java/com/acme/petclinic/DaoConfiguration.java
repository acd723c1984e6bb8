package com.acme.petclinic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class DaoConfiguration {

    @Bean
    GenericDao<Owner> ownerDao() {
        return new GenericDao<>(Owner.class);
    }

    @Bean
    GenericDao<Vet> vetDao() {
        return new GenericDao<>(Vet.class);
    }
}
