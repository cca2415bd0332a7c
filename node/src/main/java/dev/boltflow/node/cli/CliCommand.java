package dev.boltflow.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.boltflow.node.rpc.JsonRpcClient;
import dev.boltflow.node.rpc.JsonRpcServer;
import dev.boltflow.node.rpc.RpcConnectionException;
import dev.boltflow.node.rpc.RpcException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cli [options] METHOD [params...]}: one JSON-RPC call to a running node, as
 * {@code lightning-cli} makes it. Options come before METHOD; everything after it is a parameter.
 */
@Command(name = "cli",
        description = {"Call a running node's JSON-RPC method, like lightning-cli.",
            "Without -k, PARAMs are positional; with -k, they are key=value pairs.",
            "A value that is exactly one JSON value (number, true/false, null, object, array, quoted string) is"
                + " sent as that JSON value, anything else as a string: \"5000 sat\" and \"2024 rent\" are strings.",
            "'cli help' lists the node's methods, 'cli help METHOD' describes one."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            " 0:success: the result is printed (JSON) on stdout",
            " 1:the node answered with an error: the error object is printed on stdout",
            " 2:cannot talk to the node (no socket, nothing listening, connection lost); message on stderr",
            "64:usage error"})
public final class CliCommand implements Callable<Integer> {
    public static final int SUCCESS = 0;
    public static final int RPC_ERROR = 1;
    public static final int CANNOT_CONNECT = 2;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.boltflow",
            description = "The node's data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--network", paramLabel = "NETWORK", defaultValue = "bitcoin",
            description = "bitcoin, testnet, signet, regtest… (default: ${DEFAULT-VALUE}).")
    String network;

    @Option(names = "--rpc-file", paramLabel = "FILE",
            description = "The socket, instead of DIR/NETWORK/" + JsonRpcServer.SOCKET_NAME + " (default: none).")
    Path rpcFile;

    @Option(names = {"-k", "--keywords"}, defaultValue = "false",
            description = "Parameters are key=value pairs (params by name; default: positional).")
    boolean keywords;

    @Option(names = {"-J", "--json"}, defaultValue = "false",
            description = "Print help's answer as JSON too (default: for people, as lightning-cli does).")
    boolean json;

    @Parameters(index = "0", paramLabel = "METHOD", description = "The method, e.g. decode.")
    String method;

    @Parameters(index = "1..*", paramLabel = "PARAM", description = "Its parameters.")
    List<String> params = new ArrayList<>();

    private CommandSpec spec;

    /** Everything after METHOD is a parameter, even when it starts with '-' (as lightning-cli). */
    @Spec
    void spec(CommandSpec spec) {
        this.spec = spec;
        spec.parser().stopAtPositional(true);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonNode request = keywords ? byName(params) : byPosition(params);
        Path socket = rpcFile != null ? rpcFile : JsonRpcServer.socketPath(dataDir, network);
        JsonRpcClient client = JsonRpcClient.create(socket);
        try {
            JsonNode result = client.call(method, request).block();
            out.println(!json && result != null && "simple".equals(result.path("format-hint").asText())
                    ? human(result) : pretty(result));
            return SUCCESS;
        } catch (RpcException e) {
            out.println(pretty(e.toJson()));
            return RPC_ERROR;
        } catch (RpcConnectionException e) {
            err.println("boltflow cli: " + e.getMessage());
            return CANNOT_CONNECT;
        } finally {
            out.flush();
            err.flush();
            client.close().block();
        }
    }

    private ObjectNode byName(List<String> args) {
        ObjectNode o = F.objectNode();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "with -k, parameters are key=value, got '" + arg + "'");
            }
            String key = arg.substring(0, eq);
            if (o.has(key)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "parameter '" + key + "' given twice");
            }
            o.set(key, value(arg.substring(eq + 1)));
        }
        return o;
    }

    private static ArrayNode byPosition(List<String> args) {
        ArrayNode a = F.arrayNode();
        args.forEach(arg -> a.add(value(arg)));
        return a;
    }

    /**
     * lightning-cli's rule: an argument that is exactly one JSON value (surrounding blanks aside) is
     * sent as that value, anything else as a string ({@code 5000 sat}, {@code false please},
     * {@code 2024 rent} are strings, not a number or a boolean followed by words).
     */
    static JsonNode value(String arg) {
        try {
            JsonNode parsed = JSON.readTree(arg);
            if (parsed != null && !parsed.isMissingNode()) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // not JSON: a string
        }
        return TextNode.valueOf(arg);
    }

    /**
     * {@code help}'s answer for people ({@code format-hint: simple}, as lightning-cli prints it):
     * each command with its parameters, then its description; one command with its full text.
     */
    static String human(JsonNode result) {
        StringBuilder sb = new StringBuilder();
        JsonNode entries = result.path("help");
        boolean one = entries.size() == 1;
        String category = null;
        for (JsonNode e : entries) {
            if (!one && !e.path("category").asText().equals(category)) {
                category = e.path("category").asText();
                sb.append("=== ").append(category).append(" ===\n\n");
            }
            sb.append(e.path("command").asText()).append('\n');
            sb.append("    ").append(e.path("description").asText()).append('\n');
            if (one && !e.path("verbose").asText().isEmpty()) {
                sb.append('\n').append(e.path("verbose").asText()).append('\n');
            }
            sb.append('\n');
        }
        if (!one) {
            sb.append("---\nrun 'cli help COMMAND' for more information on a specific command\n");
        }
        return sb.toString().stripTrailing();
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
