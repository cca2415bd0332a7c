package dev.boltflow.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar node/target/boltflow-node.jar <subcommand>}: the one executable of boltflow.
 * Exit codes are part of the interface: see each subcommand; a usage error is {@value #EXIT_USAGE}.
 */
@Command(name = "boltflow-node",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "boltflow: BOLT 12 sendinvoice for the JVM.",
        subcommands = {DecodeCommand.class, StartCommand.class, CliCommand.class, DemoCommand.class,
            BenchCommand.class})
public final class Main implements Runnable {
    /** Usage errors (unknown option, missing argument): sysexits' EX_USAGE, apart from 0/1/2. */
    public static final int EXIT_USAGE = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        if (args.length > 0 && args[0].equals("start")) {
            // start reads DIR/config and DIR/NETWORK/config for what the command line leaves out.
            CommandLine start = cl.getSubcommands().get("start");
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            try {
                start.setDefaultValueProvider(StartCommand.ConfigDefaults.forArgs(rest,
                        StartCommand.optionNames(start.getCommandSpec())));
            } catch (dev.boltflow.node.config.ConfigException | IllegalArgumentException e) {
                cl.getErr().println("boltflow: " + e.getMessage());
                cl.getErr().flush();
                return 1;
            }
        }
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(ex.getMessage());
            c.usage(c.getErr());
            return EXIT_USAGE;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"boltflow " + (v == null ? "dev" : v)};
        }
    }
}
