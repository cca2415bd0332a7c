package dev.boltflow.node.cli;

import dev.boltflow.node.BuildInfo;
import dev.boltflow.node.config.ConfigException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code java -jar node/target/boltflow-node.jar <subcommand>}: the one executable of boltflow.
 *
 * <p>One rule for every subcommand, applied here so a new subcommand or option gets it without a
 * line of its own: {@code -h/--help} lists every option with its default, {@code -V/--version}
 * prints the build; an unknown option or a bad value (on the command line, or in a config file,
 * named with its file and line) is one line on stderr naming the option, and exit
 * {@value #EXIT_OPTION}; only a malformed command line (a missing argument or subcommand, a stray
 * word, an option given twice) is {@value #EXIT_USAGE}, with a pointer to {@code --help}.
 */
@Command(name = "boltflow-node",
        description = "boltflow: BOLT 12 sendinvoice for the JVM.",
        subcommands = {DecodeCommand.class, StartCommand.class, CliCommand.class, DemoCommand.class,
            BenchCommand.class})
public final class Main implements Runnable {
    /** Usage errors (missing argument, stray word): sysexits' EX_USAGE, apart from 0/1/2. */
    public static final int EXIT_USAGE = 64;
    /** An unknown option or a bad value. */
    public static final int EXIT_OPTION = 1;

    @CommandLine.Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        if (args.length > 0 && args[0].equals("start") && !asksForHelp(args)) {
            // start reads DIR/config and DIR/NETWORK/config for what the command line leaves out.
            CommandLine start = cl.getSubcommands().get("start");
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            try {
                start.setDefaultValueProvider(StartCommand.ConfigDefaults.forArgs(rest,
                        StartCommand.optionNames(start.getCommandSpec())));
            } catch (ConfigException | IllegalArgumentException e) {
                PrintWriter err = cl.getErr();
                err.println(prefix(start) + e.getMessage());
                err.flush();
                return EXIT_OPTION;
            }
        }
        return cl.execute(args);
    }

    private static boolean asksForHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return true;
            }
        }
        return false;
    }

    /** The command line with the shared rules applied to every subcommand (tests use it directly). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        applyRules(cl);
        cl.setParameterExceptionHandler(Main::parameterError);
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter err = c.getErr();
            err.println(prefix(c) + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            if (System.getenv("BOLTFLOW_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.flush();
            return EXIT_OPTION;
        });
        return cl;
    }

    private static void applyRules(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (!spec.mixinStandardHelpOptions()) {
            spec.mixinStandardHelpOptions(true);
        }
        spec.versionProvider(new Version());
        spec.usageMessage().showDefaultValues(true);
        spec.usageMessage().sortOptions(false);
        for (CommandLine sub : cl.getSubcommands().values()) {
            applyRules(sub);
        }
    }

    /** {@code boltflow start: } — whose message it is. */
    static String prefix(CommandLine c) {
        return c.getParent() == null ? "boltflow: " : "boltflow " + c.getCommandName() + ": ";
    }

    /**
     * The one rule: an unknown option or a bad value is exit 1 with one line naming the option (and
     * the config file and line the value came from); anything else wrong with the command line is 64.
     */
    static int parameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        PrintWriter err = c.getErr();
        String message = firstLine(ex.getMessage());
        ArgSpec arg = ex.getArgSpec();
        // An unknown option counts before a missing argument: it is why the argument looks missing.
        Optional<String> unknown = c.getUnmatchedArguments().stream().filter(a -> a.startsWith("-") && a.length() > 1)
                .findFirst();
        boolean unknownOption = unknown.isPresent()
                || ex instanceof CommandLine.UnmatchedArgumentException u && u.isUnknownOption();
        if (unknown.isPresent() && !(ex instanceof CommandLine.UnmatchedArgumentException)) {
            message = "Unknown option: '" + unknown.get() + "'";
        }
        boolean badValue = arg instanceof OptionSpec
                && !(ex instanceof CommandLine.MissingParameterException)
                && !(ex instanceof CommandLine.OverwrittenOptionException);
        if (unknownOption || badValue) {
            String origin = badValue ? configOrigin(c, (OptionSpec) arg, args).map(o -> o + ": ").orElse("") : "";
            err.println(prefix(c) + origin + message);
            err.flush();
            return EXIT_OPTION;
        }
        err.println(prefix(c) + message);
        err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for its options and arguments.");
        err.flush();
        return EXIT_USAGE;
    }

    /** Where a bad value came from when the command line did not give that option: a config file. */
    private static Optional<String> configOrigin(CommandLine c, OptionSpec option, String[] args) {
        if (!(c.getDefaultValueProvider() instanceof StartCommand.ConfigDefaults defaults)) {
            return Optional.empty();
        }
        List<String> given = Arrays.asList(args);
        for (String name : option.names()) {
            for (String a : given) {
                if (a.equals(name) || a.startsWith(name + "=")) {
                    return Optional.empty();
                }
            }
        }
        return defaults.origin(option);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid command line";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** {@code boltflow 0.1.0 (commit 1a2b3c4)}: the build stamped into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"boltflow " + BuildInfo.current().describe()};
        }
    }
}
