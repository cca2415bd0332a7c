package dev.boltflow.node.rpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The methods a {@link JsonRpcServer} answers, by name. Immutable; build with {@link #builder()}. */
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
        return new Builder(new LinkedHashMap<>(byName));
    }

    @Override
    public String toString() {
        return "RpcMethods" + byName.keySet();
    }

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
            return new RpcMethods(byName);
        }
    }
}
