package dev.recall.it.app;

import dev.recall.Cached;
import java.io.BufferedReader;
import java.io.InputStreamReader;

/** A running JVM that the agent is attached to later: its class is loaded and used before the attach. */
public class AttachTargetApp {

    @Cached
    public String slow(String key) {
        Counter.ran("slow");
        return key.toUpperCase();
    }

    public static void main(String[] args) throws Exception {
        AttachTargetApp app = new AttachTargetApp();
        app.slow("a");
        app.slow("a");
        Counter.print("beforeAttach.calls", Counter.count("slow"));
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        in.readLine();
        app.slow("a");
        app.slow("a");
        app.slow("a");
        Counter.print("afterAttach.calls", Counter.count("slow"));
        Counter.print("agent.installed", System.getProperty("dev.recall.agent.installed"));
    }
}
