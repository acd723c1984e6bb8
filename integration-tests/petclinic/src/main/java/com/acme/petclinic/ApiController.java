package com.acme.petclinic;

import jakarta.validation.Valid;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The same data as JSON, read through the Spring Data repositories and through the generic DAOs. */
@RestController
@RequestMapping("/api")
class ApiController {

    record OwnerJson(Integer id, String firstName, String lastName, String city, String telephone, List<String> pets) {
        static OwnerJson of(Owner o) {
            return new OwnerJson(o.getId(), o.getFirstName(), o.getLastName(), o.getCity(), o.getTelephone(),
                    o.getPets().stream().map(Pet::getName).sorted().toList());
        }
    }

    record VetJson(Integer id, String firstName, String lastName, String specialty) {
        static VetJson of(Vet v) {
            return new VetJson(v.getId(), v.getFirstName(), v.getLastName(), v.getSpecialty());
        }
    }

    private final OwnerRepository owners;
    private final VetRepository vets;
    private final PetRepository pets;
    private final GenericDao<Owner> ownerDao;
    private final GenericDao<Vet> vetDao;

    ApiController(OwnerRepository owners, VetRepository vets, PetRepository pets, GenericDao<Owner> ownerDao,
            GenericDao<Vet> vetDao) {
        this.owners = owners;
        this.vets = vets;
        this.pets = pets;
        this.ownerDao = ownerDao;
        this.vetDao = vetDao;
    }

    @GetMapping("/owners/{id}")
    public OwnerJson owner(@PathVariable int id) {
        return owners.findById(id).map(OwnerJson::of).orElseThrow(() -> notFound("owner", id));
    }

    @GetMapping("/owners")
    public List<OwnerJson> ownersByLastName(@RequestParam(defaultValue = "") String lastName) {
        return owners.findByLastNameStartingWith(lastName).stream().sorted(Comparator.comparing(Owner::getId))
                .map(OwnerJson::of).toList();
    }

    @PostMapping("/owners")
    public ResponseEntity<OwnerJson> createOwner(@Valid @RequestBody Owner owner) {
        Owner saved = owners.save(owner);
        return ResponseEntity.created(URI.create("/api/owners/" + saved.getId())).body(OwnerJson.of(saved));
    }

    @GetMapping("/vets/{id}")
    public VetJson vet(@PathVariable int id) {
        return vets.findById(id).map(VetJson::of).orElseThrow(() -> notFound("vet", id));
    }

    @GetMapping("/dao/owners/{id}")
    public OwnerJson daoOwner(@PathVariable int id) {
        Owner owner = ownerDao.find(id);
        if (owner == null) {
            throw notFound("owner", id);
        }
        return OwnerJson.of(owner);
    }

    @GetMapping("/dao/vets/{id}")
    public VetJson daoVet(@PathVariable int id) {
        Vet vet = vetDao.find(id);
        if (vet == null) {
            throw notFound("vet", id);
        }
        return VetJson.of(vet);
    }

    record Counts(long owners, long pets, long vets) {
    }

    @GetMapping("/counts")
    public Counts counts() {
        return new Counts(owners.count(), pets.count(), vets.count());
    }

    private static ResponseStatusException notFound(String what, int id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, what + " " + id + " not found");
    }
}
