package dev.boltflow.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.node.BuildInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one rule of every subcommand (issue 17, items 4 to 6), checked over whatever subcommands and
 * options the jar has, so a new one is held to it without a test of its own: {@code -h/--help}
 * lists every option with its default; an unknown option or a bad value is one line naming it and
 * exit 1 (from a config file: with the file and line); a malformed command line is 64; durations
 * print as people write them; {@code --version} prints the build.
 */
class OptionRulesTest {
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = args.length > 0 && args[0].equals("start") ? runStart(cl, args) : cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** As Main.run does for start (its config files), with our writers. */
    private static int runStart(CommandLine cl, String[] args) {
        CommandLine start = cl.getSubcommands().get("start");
        try {
            start.setDefaultValueProvider(StartCommand.ConfigDefaults.forArgs(
                    java.util.Arrays.copyOfRange(args, 1, args.length), StartCommand.optionNames(start.getCommandSpec())));
        } catch (RuntimeException e) {
            cl.getErr().println(Main.prefix(start) + e.getMessage());
            cl.getErr().flush();
            return Main.EXIT_OPTION;
        }
        return cl.execute(args);
    }

    static Stream<String> subcommands() {
        return Main.commandLine().getSubcommands().keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void every_subcommand_answers_help_listing_every_option_with_its_default(String name) {
        for (String flag : List.of("-h", "--help")) {
            Run r = run(name, flag);
            assertEquals(0, r.exit(), name + " " + flag + ": " + r.err());
            String help = r.out();
            for (OptionSpec o : Main.commandLine().getSubcommands().get(name).getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String block = optionBlock(help, o.longestName());
                assertTrue(block.toLowerCase(Locale.ROOT).contains("default"),
                        name + " " + o.longestName() + " shows no default:\n" + block);
            }
        }
    }

    /** The lines of {@code help} that describe {@code option}: its own and the indented ones after it. */
    private static String optionBlock(String help, String option) {
        List<String> lines = help.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s+(-\\w, )?" + java.util.regex.Pattern.quote(option) + "\\b.*")
                    || lines.get(i).matches("\\s+(-\\w, )?--\\[no-\\]" + java.util.regex.Pattern.quote(option.substring(2))
                            + "\\b.*")) {
                List<String> block = new ArrayList<>(List.of(lines.get(i)));
                for (int j = i + 1; j < lines.size() && lines.get(j).matches("\\s{8,}\\S.*"); j++) {
                    block.add(lines.get(j));
                }
                return String.join("\n", block);
            }
        }
        throw new AssertionError(option + " is not in the help:\n" + help);
    }

    @ParameterizedTest
    @MethodSource("subcommands")
    void an_unknown_option_is_one_line_naming_it_and_exit_1(String name) {
        Run r = run(name, "--no-such-option");
        assertEquals(Main.EXIT_OPTION, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("'--no-such-option'"), r.err());
    }

    @Test
    void bad_values_on_the_command_line_are_one_line_naming_the_option_and_exit_1(@TempDir Path dir) {
        String[][] cases = {
            {"start", "--data-dir", dir.toString(), "--network", "regtest", "--default-timeout", "abc"},
            {"start", "--data-dir", dir.toString(), "--network", "regtest", "--block-height", "-1"},
            {"start", "--data-dir", dir.toString(), "--network", "mainnet"},
            {"start", "--data-dir", dir.toString(), "--network", "regtest", "--listen", "nowhere"},
            {"demo", "--timeout", "0"},
            {"demo", "--amount-msat", "-5"},
            {"bench", "--seconds", "abc"},
        };
        for (String[] c : cases) {
            Run r = run(c);
            String option = c[c.length - 2];
            assertEquals(Main.EXIT_OPTION, r.exit(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("'" + option + "'"), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
            assertEquals("", r.out(), "nothing ran");
        }
        assertFalse(Files.exists(dir.resolve("regtest")), "refused before the data directory is touched");
    }

    @Test
    void a_bad_value_in_a_config_file_names_the_file_and_line(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config"), "# comment\nnetwork=regtest\ndefault-timeout=abc\n");
        Run r = run("start", "--data-dir", dir.toString());
        assertEquals(Main.EXIT_OPTION, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(dir.resolve("config") + ":3: "), r.err());
        assertTrue(r.err().contains("'--default-timeout'"), r.err());
        Files.writeString(dir.resolve("config"), "network=regtest\nlisten-on=127.0.0.1:9735\n");
        Run unknown = run("start", "--data-dir", dir.toString());
        assertEquals(Main.EXIT_OPTION, unknown.exit());
        assertTrue(unknown.err().contains(dir.resolve("config") + ":2: unknown option 'listen-on'"), unknown.err());
    }

    @Test
    void a_malformed_command_line_is_64_with_a_pointer_to_help() {
        for (String[] c : new String[][] {{"decode"}, {"start", "--network"}, {"decode", "a", "b"}, {}}) {
            Run r = run(c);
            assertEquals(Main.EXIT_USAGE, r.exit(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains("--help"), r.err());
        }
    }

    @Test
    void durations_print_as_people_write_them() {
        String help = run("start", "--help").out();
        assertTrue(optionBlock(help, "--default-timeout").contains("Default: 90 s"), help);
        assertTrue(optionBlock(help, "--handshake-timeout").contains("Default: 10 s"), help);
        assertFalse(help.contains("PT"), help);
    }

    @Test
    void version_prints_the_build_version_and_commit() {
        BuildInfo build = BuildInfo.current();
        assertTrue(build.version().matches("\\d+\\.\\d+\\.\\d+.*"), build.toString());
        for (String name : subcommands().toList()) {
            Run r = run(name, "--version");
            assertEquals(0, r.exit());
            assertEquals("boltflow " + build.describe(), r.out().strip());
        }
        assertEquals("boltflow " + build.describe(), run("--version").out().strip());
    }
}
