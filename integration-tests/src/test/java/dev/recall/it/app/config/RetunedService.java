package dev.recall.it.app.config;

import dev.recall.Cached;
import dev.recall.Strategy;
import dev.recall.it.app.Counter;

/** Annotated, and also listed in the file: the file's values win. */
public class RetunedService {

    /** The annotation says one hour; the file says 300ms. */
    @Cached(ttl = "1h")
    public String value(String key) {
        Counter.ran("retunedTtl");
        return key;
    }

    /** The annotation says READ_THROUGH with an unnamed region; the file moves it to region "retuned" keyed by {0}. */
    @Cached(strategy = Strategy.READ_THROUGH)
    public String regionMoved(String key, int ignored) {
        Counter.ran("regionMoved");
        return key;
    }

    public String sameRegionReader(String key) {
        Counter.ran("sameRegionReader");
        return "reader:" + key;
    }

    /** Write-back from the file alone: the caller returns, the writer runs it later. */
    public void writeBehind(String key, String value) {
        Counter.ran("writeBehind");
    }

    /** Write-back on a method with a result, which it cannot give: reported, runs uncached. */
    public String writeBackWithResult(String key) {
        Counter.ran("writeBackWithResult");
        return key;
    }
}
