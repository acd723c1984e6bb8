package com.acme.petclinic;

import jakarta.validation.Valid;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/** Owners: find, show, add, edit. Written as the Spring pet clinic's OwnerController is. */
@Controller
class OwnerController {

    private static final String VIEWS_OWNER_CREATE_OR_UPDATE_FORM = "owners/createOrUpdateOwnerForm";

    private final OwnerRepository owners;

    OwnerController(OwnerRepository owners) {
        this.owners = owners;
    }

    @InitBinder
    public void setAllowedFields(WebDataBinder dataBinder) {
        dataBinder.setDisallowedFields("id");
    }

    /**
     * The form object of every request of this controller: a new owner for the add and search forms, the
     * stored one where the path names it. Forms bind into what this returns.
     */
    @ModelAttribute("owner")
    public Owner findOwner(@PathVariable(name = "ownerId", required = false) Integer ownerId) {
        return ownerId == null ? new Owner()
                : owners.findById(ownerId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "Owner not found with id: " + ownerId));
    }

    @GetMapping("/owners/new")
    public String initCreationForm() {
        return VIEWS_OWNER_CREATE_OR_UPDATE_FORM;
    }

    @PostMapping("/owners/new")
    public String processCreationForm(@Valid Owner owner, BindingResult result) {
        if (result.hasErrors()) {
            return VIEWS_OWNER_CREATE_OR_UPDATE_FORM;
        }
        owners.save(owner);
        return "redirect:/owners/" + owner.getId();
    }

    @GetMapping("/owners/find")
    public String initFindForm() {
        return "owners/findOwners";
    }

    @GetMapping("/owners")
    public String processFindForm(Owner owner, BindingResult result, Model model) {
        // An empty search finds every owner.
        String lastName = owner.getLastName() == null ? "" : owner.getLastName();
        List<Owner> results = owners.findByLastNameStartingWith(lastName).stream()
                .sorted(Comparator.comparing(Owner::getId)).toList();
        if (results.isEmpty()) {
            result.rejectValue("lastName", "notFound", "has not been found");
            return "owners/findOwners";
        }
        if (results.size() == 1) {
            return "redirect:/owners/" + results.get(0).getId();
        }
        model.addAttribute("listOwners", results);
        return "owners/ownersList";
    }

    @GetMapping("/owners/{ownerId}/edit")
    public String initUpdateOwnerForm() {
        return VIEWS_OWNER_CREATE_OR_UPDATE_FORM;
    }

    @PostMapping("/owners/{ownerId}/edit")
    public String processUpdateOwnerForm(@Valid Owner owner, BindingResult result, @PathVariable int ownerId) {
        if (result.hasErrors()) {
            return VIEWS_OWNER_CREATE_OR_UPDATE_FORM;
        }
        owner.setId(ownerId);
        owners.save(owner);
        return "redirect:/owners/{ownerId}";
    }

    @GetMapping("/owners/{ownerId}")
    public ModelAndView showOwner(@PathVariable int ownerId) {
        ModelAndView mav = new ModelAndView("owners/ownerDetails");
        mav.addObject(owners.findById(ownerId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "Owner not found with id: " + ownerId)));
        return mav;
    }
}
