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
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Call a running node's JSON-RPC method, like lightning-cli.",
            "Without -k, PARAMs are positional; with -k, they are key=value pairs.",
            "A value that parses as JSON (number, true/false, null, object, array, quoted string) is sent"
                + " as that JSON value, anything else as a string."},
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.boltflow",
            description = "The node's data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--network", paramLabel = "NETWORK", defaultValue = "bitcoin",
            description = "bitcoin, testnet, signet, regtest… (default: ${DEFAULT-VALUE}).")
    String network;

    @Option(names = "--rpc-file", paramLabel = "FILE",
            description = "The socket, instead of DIR/NETWORK/" + JsonRpcServer.SOCKET_NAME + ".")
    Path rpcFile;

    @Option(names = {"-k", "--keywords"}, description = "Parameters are key=value pairs (params by name).")
    boolean keywords;

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
            out.println(pretty(result));
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

    /** lightning-cli's rule: JSON literals are sent as such, anything else as a string. */
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

    private static String pretty(JsonNode node) {
        try {
            return JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
