package com.acme.petclinic;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The vets pages: handlers that fill the {@link Model} and return a view name. */
@Controller
class VetController {

    private static final int PAGE_SIZE = 5;

    private final VetRepository vets;

    VetController(VetRepository vets) {
        this.vets = vets;
    }

    @GetMapping("/vets.html")
    public String showVetList(@RequestParam(defaultValue = "1") int page, Model model) {
        Page<Vet> paginated = vets.findAll(PageRequest.of(page - 1, PAGE_SIZE, Sort.by("lastName", "firstName")));
        model.addAttribute("currentPage", page);
        model.addAttribute("totalPages", paginated.getTotalPages());
        model.addAttribute("totalItems", paginated.getTotalElements());
        model.addAttribute("listVets", paginated.getContent());
        return "vets/vetList";
    }

    @GetMapping("/vets/find")
    public String findVetsBySpecialty(@RequestParam String specialty, Model model) {
        var found = vets.findBySpecialtyOrderByLastName(specialty);
        model.addAttribute("specialty", specialty);
        model.addAttribute("currentPage", 1);
        model.addAttribute("totalPages", 1);
        model.addAttribute("totalItems", found.size());
        model.addAttribute("listVets", found);
        return "vets/vetList";
    }
}
