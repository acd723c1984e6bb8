package dev.recall.sample;

import dev.recall.sample.db.DatabaseServerCommand;
import dev.recall.sample.http.CatalogueServer;
import dev.recall.sample.rates.RatesCommand;

/** {@code java -jar recall-sample.jar <command>}: the sample's programs in one jar. */
public final class Main {

    private static final String USAGE = String.join("\n",
            "usage: java -jar recall-sample.jar <command> [options]",
            "  scenario   a console walk-through of the cached methods (the default)",
            "  " + dev.recall.sample.demo.Demo.USAGE,
            "  " + CatalogueServer.USAGE,
            "  " + DatabaseServerCommand.USAGE,
            "  " + RatesCommand.USAGE,
            "  " + dev.recall.sample.load.LoadCommand.LOAD_USAGE,
            "  " + dev.recall.sample.load.LoadCommand.COMPARE_USAGE);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "scenario" : args[0];
        try {
            switch (command) {
                case "scenario" -> SampleApp.main(new String[0]);
                case "serve" -> CatalogueServer.run(Options.parse(args, 1));
                case "rates" -> RatesCommand.run(Options.parse(args, 1));
                case "db" -> DatabaseServerCommand.run(Options.parse(args, 1));
                case "load" -> dev.recall.sample.load.LoadCommand.load(Options.parse(args, 1));
                case "compare" -> dev.recall.sample.load.LoadCommand.compare(args, 1);
                case "demo" -> dev.recall.sample.demo.Demo.run(Options.parse(args, 1));
                case "help", "--help", "-h" -> System.out.println(USAGE);
                default -> {
                    System.err.println("unknown command '" + command + "'\n" + USAGE);
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
    }
}
