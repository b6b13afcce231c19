package org.camkit.core.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camkit.api.CamException;
import org.camkit.spi.Capability;

/** The check that refuses a method a model's backend cannot serve, before any inference runs. */
final class Capabilities {

    private Capabilities() {
    }

    /**
     * @param method   the method's name
     * @param requires what it needs
     * @param backend  the backend's name
     * @param provided what the loaded model provides ({@code Capability.of(model)})
     * @param model    the model's name
     * @param methods  every registered method and its needs, to name the ones that would work
     * @param hint     how the model could provide more (from {@code LoadedModel.capabilityHint()}), or empty
     * @throws CamException naming the method, the backend, the missing capabilities and the methods that work
     */
    static void check(String method, Set<Capability> requires, String backend, Set<Capability> provided,
            String model, Map<String, Set<Capability>> methods, String hint) {
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(requires);
        missing.removeAll(provided);
        if (missing.isEmpty()) {
            return;
        }
        List<String> working = methods.entrySet().stream()
                .filter(e -> provided.containsAll(e.getValue()))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        throw new CamException(CamException.Kind.UNSUPPORTED, "method '" + method + "' needs " + missing
                + ", which backend '" + backend + "' does not provide for model '" + model + "' (it provides "
                + sorted(provided) + "); methods that work with this model: "
                + (working.isEmpty() ? "none" : String.join(", ", working)) + (hint.isEmpty() ? "" : ". " + hint),
                method, working);
    }

    private static List<Capability> sorted(Set<Capability> capabilities) {
        return capabilities.stream().sorted().toList();
    }
}
