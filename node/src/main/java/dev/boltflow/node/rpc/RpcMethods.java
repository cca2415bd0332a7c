package dev.boltflow.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The methods a {@link JsonRpcServer} answers, by name. Immutable; build with {@link #builder()}.
 * Every set has Core Lightning's {@code help} (added by {@link Builder#build()} unless one was
 * registered): {@code help} lists every method, {@code help COMMAND} one; so a method added anywhere
 * is listed without more code.
 */
public final class RpcMethods {
    private final Map<String, RpcMethod> byName;

    private RpcMethods(Map<String, RpcMethod> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    public static Builder builder() {
        return new Builder(new LinkedHashMap<>());
    }

    public Optional<RpcMethod> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The method names, in the order they were added. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** A copy to add to: the node assembly adds its methods to the ones {@link NodeRpcMethods} gives. */
    public Builder toBuilder() {
        Map<String, RpcMethod> copy = new LinkedHashMap<>(byName);
        copy.remove(HELP);
        return new Builder(copy);
    }

    @Override
    public String toString() {
        return "RpcMethods" + byName.keySet();
    }

    static final String HELP = "help";

    /** Collects methods; a name may be added once. */
    public static final class Builder {
        private final Map<String, RpcMethod> byName;

        private Builder(Map<String, RpcMethod> byName) {
            this.byName = byName;
        }

        public Builder add(RpcMethod method) {
            if (byName.putIfAbsent(method.name(), method) != null) {
                throw new IllegalArgumentException("method '" + method.name() + "' is already registered");
            }
            return this;
        }

        public RpcMethods build() {
            Map<String, RpcMethod> all = new LinkedHashMap<>(byName);
            if (!all.containsKey(HELP)) {
                Map<String, RpcMethod> listed = new LinkedHashMap<>(all);
                RpcMethod help = help(listed);
                listed.put(HELP, help);
                all.put(HELP, help);
            }
            return new RpcMethods(all);
        }
    }

    /** Core Lightning's {@code help [command]}: {@code {"help": [{command, category, description, verbose}], "format-hint": "simple"}}. */
    private static RpcMethod help(Map<String, RpcMethod> methods) {
        return RpcMethod.of(HELP, List.of("command"), p -> {
            Optional<String> only = p.optionalString("command");
            ArrayNode entries = JsonNodeFactory.instance.arrayNode();
            if (only.isPresent()) {
                RpcMethod m = methods.get(only.get());
                if (m == null) {
                    return Mono.error(RpcException.methodNotFound(only.get()));
                }
                entries.add(entry(m));
            } else {
                methods.values().forEach(m -> entries.add(entry(m)));
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.set("help", entries);
            result.put("format-hint", "simple");
            return Mono.just((JsonNode) result);
        }).help(0, "utility", "List the commands, or describe one", "help [command]: without a command, every "
                + "command this node answers with its parameters ([optional] ones bracketed) and what it does; with one, "
                + "that command alone.");
    }

    private static ObjectNode entry(RpcMethod m) {
        RpcMethod.Help h = m.help();
        return JsonNodeFactory.instance.objectNode()
                .put("command", m.synopsis())
                .put("category", h.category())
                .put("description", h.description())
                .put("verbose", h.verbose().isEmpty() ? h.description() : h.verbose());
    }
}
