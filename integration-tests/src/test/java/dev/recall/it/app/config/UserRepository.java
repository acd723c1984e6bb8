package dev.recall.it.app.config;

import dev.recall.it.app.Counter;

/** Matched by the wildcard rule {@code dev.recall.it.app.config.*Repository#find*(..)}. */
public class UserRepository {

    public String findUser(long id) {
        Counter.ran("findUser");
        return "user" + id;
    }

    public String findUserByEmail(String email, boolean active) {
        Counter.ran("findUserByEmail");
        return email + active;
    }

    public int countUsers() {
        Counter.ran("countUsers");
        return 3;
    }
}
