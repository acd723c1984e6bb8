package dev.recall.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripted visit of the pet clinic ({@code integration-tests/petclinic}) that {@link PetClinicIT} makes once
 * without and once with the agent: what a browser and an API client would send, in order, one scenario after
 * the other in one JVM, and what each scenario claims of the answers (its checks, which hold without the agent).
 *
 * <p>Ids are those of the seed data: owners 1 to 10, vets 1 to 6, pets 101 to 113; owners added by the script get
 * 11, 12, ... in the order they are added. No scenario reads a key, writes it and reads it again, except where the
 * write fails validation and so never reaches the database: a correct cache, however long its TTL, answers
 * exactly as the application does without one.
 */
final class PetClinicScript {

    /** One request. {@code accept} is what a browser ({@code text/html}) or an API client would send. */
    record Step(String id, String description, String method, String path, String contentType, String body,
            String accept) {

        String request() {
            return method + " " + path + (body == null ? "" : "  [" + body + "]");
        }
    }

    /** One answer: status, {@code Location} (for redirects and creations) and body, normalised (see {@link #normalise}). */
    record Response(int status, String location, String body) {

        String headline() {
            return status + (location == null ? "" : " Location: " + location);
        }
    }

    /** Something a scenario claims of its answers, for example that a form is empty. */
    record Check(String description, Predicate<Map<String, Response>> holds) {
    }

    record Scenario(String name, String title, List<Step> steps, List<Check> checks) {

        /** The checks that do not hold for these answers. */
        List<String> failedChecks(Map<String, Response> responses) {
            List<String> failed = new ArrayList<>();
            for (Check c : checks) {
                boolean ok;
                try {
                    ok = c.holds().test(responses);
                } catch (RuntimeException e) {
                    ok = false;
                }
                if (!ok) {
                    failed.add(c.description());
                }
            }
            return failed;
        }
    }

    static final String ALICE = form("firstName", "Alice", "lastName", "Able", "address", "1 Elm St.", "city", "Madison",
            "telephone", "6085550101");
    static final String BOB = form("firstName", "Bob", "lastName", "Baker", "address", "2 Oak St.", "city", "Monona",
            "telephone", "6085550102");
    static final String CARL = form("firstName", "Carl", "lastName", "Twice", "address", "3 Pine St.", "city", "Verona",
            "telephone", "6085550103");
    static final String ANN_JSON = "{\"firstName\":\"Ann\",\"lastName\":\"Twice\",\"address\":\"4 Ash St.\","
            + "\"city\":\"Madison\",\"telephone\":\"6085550104\"}";

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("new-owner-form",
                    "@ModelAttribute findOwner(null) returns new Owner(): add two owners, search twice",
                    List.of(
                            get("counts-before", "owners, pets and vets counted", "/api/counts"),
                            get("add-form-1", "the add-owner form", "/owners/new"),
                            postForm("add-alice", "add Alice Able", "/owners/new", ALICE),
                            get("add-form-2", "the add-owner form again", "/owners/new"),
                            postForm("add-bob", "add Bob Baker", "/owners/new", BOB),
                            get("find-form-1", "the find-owners form", "/owners/find"),
                            get("search-able", "search for last name Able", "/owners?lastName=Able"),
                            get("search-baker", "search for last name Baker", "/owners?lastName=Baker"),
                            get("find-form-2", "the find-owners form after two searches", "/owners/find"),
                            get("owner-11", "the first added owner's page", "/owners/11"),
                            get("owner-12", "the second added owner's page", "/owners/12"),
                            get("counts-after", "counted again", "/api/counts")),
                    List.of(
                            new Check("the add-owner form is empty every time it is shown",
                                    r -> emptyForm(r.get("add-form-1")) && emptyForm(r.get("add-form-2"))),
                            new Check("each add creates a record of its own (2 more owners)",
                                    r -> count(r.get("counts-after"), "owners") == count(r.get("counts-before"), "owners") + 2),
                            new Check("Alice is owner 11 and Bob owner 12",
                                    r -> "/owners/11".equals(r.get("add-alice").location())
                                            && "/owners/12".equals(r.get("add-bob").location())),
                            new Check("each search finds the owner it names",
                                    r -> "/owners/11".equals(r.get("search-able").location())
                                            && "/owners/12".equals(r.get("search-baker").location())),
                            new Check("the find-owners form shows no earlier search",
                                    r -> emptyForm(r.get("find-form-1")) && emptyForm(r.get("find-form-2"))),
                            new Check("owner 11 is Alice Able and owner 12 Bob Baker",
                                    r -> r.get("owner-11").body().contains("<td>Alice Able</td>")
                                            && r.get("owner-12").body().contains("<td>Bob Baker</td>")))),
            new Scenario("owner-edit-fails-validation",
                    "an owner edited through a form that fails validation, then read again",
                    List.of(
                            get("page-before", "Betty Davis's page", "/owners/2"),
                            get("edit-form", "her edit form", "/owners/2/edit"),
                            postForm("edit-invalid", "an edit with a bad telephone number (fails validation)", "/owners/2/edit",
                                    form("firstName", "Elizabeth", "lastName", "Davis-Smith", "address", "9 Nowhere Rd.",
                                            "city", "Nowhere", "telephone", "not-a-number")),
                            get("page-after", "her page again", "/owners/2"),
                            get("json-after", "her record as JSON", "/api/owners/2")),
                    List.of(
                            new Check("the failed edit answers with the form and the validation error",
                                    r -> r.get("edit-invalid").status() == 200
                                            && r.get("edit-invalid").body().contains("Telephone must be a 10-digit number")),
                            new Check("her page after the failed edit is the page before it",
                                    r -> r.get("page-after").equals(r.get("page-before"))
                                            && r.get("page-before").body().contains("<td>Betty Davis</td>")),
                            new Check("her record still holds what the database holds",
                                    r -> r.get("json-after").body().contains("\"firstName\":\"Betty\",\"lastName\":\"Davis\"")))),
            new Scenario("pet-edit-fails-validation",
                    "a pet read through SimpleJpaRepository.findById, edited through a form that fails validation, read again",
                    List.of(
                            get("page-before", "Leo's page (pet 101)", "/pets/101"),
                            get("edit-form", "his edit form", "/pets/101/edit"),
                            postForm("edit-invalid", "an edit with no name and a birth date in the future (fails validation)",
                                    "/pets/101/edit", form("name", "", "birthDate", "2099-01-01", "type", "dragon")),
                            get("page-after", "his page again", "/pets/101")),
                    List.of(
                            new Check("the failed edit answers with the form and the validation errors",
                                    r -> r.get("edit-invalid").status() == 200
                                            && r.get("edit-invalid").body().contains("must be a past date")),
                            new Check("his page after the failed edit is the page before it",
                                    r -> r.get("page-after").equals(r.get("page-before"))
                                            && r.get("page-before").body().contains("<td>Leo</td>")))),
            new Scenario("model-filling-handlers",
                    "handlers that fill the Model and return a view name, each shown twice",
                    List.of(
                            get("vets-1", "the vets page (showVetList, rule key {page})", "/vets.html"),
                            get("vets-2", "the vets page again", "/vets.html"),
                            get("vets-page-2", "its second page", "/vets.html?page=2"),
                            get("surgery-1", "vets in surgery (findVetsBySpecialty, key: all arguments)",
                                    "/vets/find?specialty=surgery"),
                            get("surgery-2", "vets in surgery again", "/vets/find?specialty=surgery")),
                    List.of(
                            new Check("the vets page lists the same five vets each time",
                                    r -> r.get("vets-2").equals(r.get("vets-1"))
                                            && r.get("vets-1").body().contains("Page 1 of 2 (6 vets)")
                                            && r.get("vets-1").body().contains("<td>James Carter</td>")),
                            new Check("the surgery page lists the same two vets each time",
                                    r -> r.get("surgery-2").equals(r.get("surgery-1"))
                                            && r.get("surgery-1").body().contains("<td>Linda Douglas</td>")
                                            && r.get("surgery-1").body().contains("<td>Rafael Ortega</td>")))),
            new Scenario("repository-interface",
                    "OwnerRepository (a JDK proxy): findById and the derived findByLastNameStartingWith, each called twice",
                    List.of(
                            get("by-id-1", "owner 3 through OwnerRepository.findById", "/api/owners/3"),
                            get("by-id-2", "owner 3 again", "/api/owners/3"),
                            get("derived-1", "owners named Rod* (derived query)", "/api/owners?lastName=Rod"),
                            get("derived-2", "owners named Rod* again", "/api/owners?lastName=Rod"),
                            get("derived-3", "owners named Da* (two of them)", "/api/owners?lastName=Da"),
                            get("derived-4", "owners named Da* again", "/api/owners?lastName=Da"),
                            get("page-search", "the owners page for Da*", "/owners?lastName=Da")),
                    List.of(
                            new Check("owner 3 is Eduardo Rodriquez both times",
                                    r -> r.get("by-id-1").equals(r.get("by-id-2"))
                                            && r.get("by-id-1").body().contains("\"lastName\":\"Rodriquez\"")),
                            new Check("the derived query answers the same both times",
                                    r -> r.get("derived-1").equals(r.get("derived-2")) && r.get("derived-3").equals(r.get("derived-4"))
                                            && r.get("derived-3").body().contains("\"firstName\":\"Betty\"")
                                            && r.get("derived-3").body().contains("\"firstName\":\"Harold\"")))),
            new Scenario("one-class-two-receivers",
                    "one class, two instances: GenericDao for owners and for vets, SimpleJpaRepository for owners and for vets",
                    List.of(
                            get("dao-owner-1", "owner 1 through the owners' GenericDao", "/api/dao/owners/1"),
                            get("dao-vet-1", "vet 1 through the vets' GenericDao", "/api/dao/vets/1"),
                            get("dao-vet-4", "vet 4 through the vets' GenericDao", "/api/dao/vets/4"),
                            get("dao-owner-4", "owner 4 through the owners' GenericDao", "/api/dao/owners/4"),
                            get("repo-owner-1", "owner 1 through OwnerRepository", "/api/owners/1"),
                            get("repo-vet-1", "vet 1 through VetRepository", "/api/vets/1"),
                            get("repo-vet-5", "vet 5 through VetRepository", "/api/vets/5"),
                            get("repo-owner-5", "owner 5 through OwnerRepository", "/api/owners/5")),
                    List.of(
                            new Check("owners are owners: George Franklin (1), Harold Davis (4), Peter McTavish (5)",
                                    r -> r.get("dao-owner-1").body().contains("\"lastName\":\"Franklin\"")
                                            && r.get("repo-owner-1").body().contains("\"lastName\":\"Franklin\"")
                                            && r.get("dao-owner-4").body().contains("\"firstName\":\"Harold\"")
                                            && r.get("repo-owner-5").body().contains("\"lastName\":\"McTavish\"")),
                            new Check("vets are vets: James Carter (1), Rafael Ortega (4), Henry Stevens (5)",
                                    r -> r.get("dao-vet-1").body().contains("\"lastName\":\"Carter\"")
                                            && r.get("repo-vet-1").body().contains("\"lastName\":\"Carter\"")
                                            && r.get("dao-vet-4").body().contains("\"lastName\":\"Ortega\"")
                                            && r.get("repo-vet-5").body().contains("\"lastName\":\"Stevens\"")))),
            new Scenario("create-twice",
                    "the same owner created twice, through the JSON API and through the add form",
                    List.of(
                            get("counts-before", "counted", "/api/counts"),
                            postJson("json-1", "Ann Twice as JSON", "/api/owners", ANN_JSON),
                            postJson("json-2", "the same JSON again", "/api/owners", ANN_JSON),
                            get("add-form-1", "the add-owner form", "/owners/new"),
                            postForm("form-1", "Carl Twice through the form", "/owners/new", CARL),
                            get("add-form-2", "the add-owner form again", "/owners/new"),
                            postForm("form-2", "the same form again", "/owners/new", CARL),
                            get("counts-after", "counted again", "/api/counts"),
                            get("twice", "owners named Twice", "/api/owners?lastName=Twice")),
                    List.of(
                            new Check("four creations, four more owners",
                                    r -> count(r.get("counts-after"), "owners") == count(r.get("counts-before"), "owners") + 4),
                            new Check("each creation has an id of its own",
                                    r -> distinct(r.get("json-1").location(), r.get("json-2").location(),
                                            r.get("form-1").location(), r.get("form-2").location())),
                            new Check("the add-owner form is empty each time",
                                    r -> emptyForm(r.get("add-form-1")) && emptyForm(r.get("add-form-2"))),
                            new Check("two Ann Twice and two Carl Twice are listed",
                                    r -> occurrences(r.get("twice").body(), "\"firstName\":\"Ann\"") == 2
                                            && occurrences(r.get("twice").body(), "\"firstName\":\"Carl\"") == 2))));

    private PetClinicScript() {
    }

    static Step get(String id, String description, String path) {
        return new Step(id, description, "GET", path, null, null, accept(path));
    }

    static Step postForm(String id, String description, String path, String form) {
        return new Step(id, description, "POST", path, "application/x-www-form-urlencoded", form, accept(path));
    }

    static Step postJson(String id, String description, String path, String json) {
        return new Step(id, description, "POST", path, "application/json", json, accept(path));
    }

    private static String accept(String path) {
        return path.startsWith("/api/") ? "application/json" : "text/html";
    }

    static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** Runs every scenario against {@code base}, in order: scenario name to step id to response. */
    static Map<String, Map<String, Response>> run(HttpClient http, URI base) {
        Map<String, Map<String, Response>> all = new LinkedHashMap<>();
        for (Scenario s : SCENARIOS) {
            Map<String, Response> responses = new LinkedHashMap<>();
            for (Step step : s.steps()) {
                responses.put(step.id(), send(http, base, step));
            }
            all.put(s.name(), responses);
        }
        return all;
    }

    static Response send(HttpClient http, URI base, Step step) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(step.path())).timeout(Duration.ofSeconds(30))
                .header("Accept", step.accept());
        if (step.body() == null) {
            b.method(step.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", step.contentType()).method(step.method(),
                    HttpRequest.BodyPublishers.ofString(step.body(), StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers().firstValue("Location").map(PetClinicScript::relative).orElse(null),
                    normalise(r.body()));
        } catch (IOException e) {
            return new Response(-1, null, "no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, null, "interrupted");
        }
    }

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"[^\"]*\"");
    private static final Pattern ORIGIN = Pattern.compile("^https?://[^/]+");

    /** What differs between any two runs whatever they compute: the time in error JSON. Nothing else is touched. */
    static String normalise(String body) {
        return TIMESTAMP.matcher(body).replaceAll("\"timestamp\":\"(time)\"");
    }

    /** A {@code Location} without scheme, host and port (Tomcat sends relative ones; this is in case it does not). */
    static String relative(String location) {
        return ORIGIN.matcher(location).replaceFirst("");
    }

    private static final Pattern VALUE = Pattern.compile("<input [^>]*value=\"([^\"]*)\"");

    /** A form page whose every input is empty. */
    static boolean emptyForm(Response r) {
        if (r == null || r.status() != 200 || !r.body().contains("<form")) {
            return false;
        }
        Matcher m = VALUE.matcher(r.body());
        boolean any = false;
        while (m.find()) {
            any = true;
            if (!m.group(1).isEmpty()) {
                return false;
            }
        }
        return any;
    }

    /** A number of the {@code /api/counts} answer. */
    static long count(Response r, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + r.body());
        }
        return Long.parseLong(m.group(1));
    }

    static boolean distinct(String... values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                return false;
            }
            for (int j = i + 1; j < values.length; j++) {
                if (Objects.equals(values[i], values[j])) {
                    return false;
                }
            }
        }
        return true;
    }

    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
