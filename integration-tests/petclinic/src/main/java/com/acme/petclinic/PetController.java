package com.acme.petclinic;

import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

/** A pet's page and its edit form; the form binds into the entity the repository returned. */
@Controller
class PetController {

    private static final String VIEWS_PET_CREATE_OR_UPDATE_FORM = "pets/createOrUpdatePetForm";

    private final PetRepository pets;

    PetController(PetRepository pets) {
        this.pets = pets;
    }

    @InitBinder
    public void setAllowedFields(WebDataBinder dataBinder) {
        dataBinder.setDisallowedFields("id", "owner");
    }

    @ModelAttribute("pet")
    public Pet loadPet(@PathVariable int petId) {
        return pets.findById(petId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "Pet not found with id: " + petId));
    }

    @GetMapping("/pets/{petId}")
    public String showPet() {
        return "pets/petDetails";
    }

    @GetMapping("/pets/{petId}/edit")
    public String initUpdateForm() {
        return VIEWS_PET_CREATE_OR_UPDATE_FORM;
    }

    @PostMapping("/pets/{petId}/edit")
    public String processUpdateForm(@Valid Pet pet, BindingResult result, @PathVariable int petId) {
        if (result.hasErrors()) {
            return VIEWS_PET_CREATE_OR_UPDATE_FORM;
        }
        pet.setId(petId);
        pets.save(pet);
        return "redirect:/pets/{petId}";
    }
}
