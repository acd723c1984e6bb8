package dev.recall.it.app;

import dev.recall.CacheValue;
import dev.recall.Cached;
import dev.recall.Strategy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A reader and its writers sharing a region: after a write the reader sees the written value at once. */
public class WriteThroughApp {

    public record Account(long id, String owner, long balance) {
    }

    /** Stands for the database. */
    private final Map<Long, Account> table = new ConcurrentHashMap<>();
    private final Map<Long, String> nicknames = new ConcurrentHashMap<>();

    @Cached(cache = "accounts", key = "{0}")
    public Account find(long id) {
        Counter.ran("find");
        return table.get(id);
    }

    /** Returns the written value: that is what the entry becomes. */
    @Cached(cache = "accounts", key = "{account.id}", strategy = Strategy.WRITE_THROUGH)
    public Account save(Account account) {
        table.put(account.id(), account);
        return account;
    }

    /** A void writer: the value is the parameter marked @CacheValue. */
    @Cached(cache = "accounts", key = "{id}", strategy = Strategy.WRITE_THROUGH)
    public void put(long id, @CacheValue Account account, String auditNote) {
        table.put(id, account);
    }

    /** A failing write: the entry must be invalidated, never left holding the value that was not written. */
    @Cached(cache = "accounts", key = "{account.id}", strategy = Strategy.WRITE_THROUGH)
    public Account saveButFail(Account account) {
        table.put(account.id(), account);
        throw new IllegalStateException("commit failed after the row changed");
    }

    @Cached(cache = "nicknames", key = "{0}")
    public String nickname(long id) {
        Counter.ran("nickname");
        return nicknames.get(id);
    }

    /** A void writer whose value is the only parameter the key does not use. */
    @Cached(cache = "nicknames", key = "{id}", strategy = Strategy.WRITE_THROUGH)
    public void rename(long id, String nickname) {
        nicknames.put(id, nickname);
    }

    public static void main(String[] args) {
        WriteThroughApp app = new WriteThroughApp();
        app.table.put(1L, new Account(1, "ada", 100));
        app.find(1);
        app.save(new Account(1, "ada", 150));
        Counter.print("afterSave.balance", app.find(1).balance());
        Counter.print("afterSave.loads", Counter.count("find"));

        app.put(1, new Account(1, "ada", 175), "manual correction");
        Counter.print("afterPut.balance", app.find(1).balance());
        Counter.print("afterPut.loads", Counter.count("find"));

        try {
            app.saveButFail(new Account(1, "ada", 999));
        } catch (IllegalStateException expected) {
            // passed through untouched
        }
        Counter.print("afterFailedSave.balance", app.find(1).balance());
        Counter.print("afterFailedSave.loads", Counter.count("find"));

        app.nicknames.put(7L, "old");
        app.nickname(7);
        app.rename(7, "new");
        Counter.print("afterRename.nickname", app.nickname(7));
        Counter.print("afterRename.loads", Counter.count("nickname"));
    }
}
