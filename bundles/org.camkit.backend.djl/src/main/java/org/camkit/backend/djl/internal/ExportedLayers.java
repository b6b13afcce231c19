package org.camkit.backend.djl.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camkit.api.CamException;

/*
 * The layers a TorchScript file exports under camkit's export contract: a layer L is a pair of methods
 * features_L(x) (L's output) and head_L(a) (the model output from it). The descriptor property "layers" (comma-separated,
 * network order) may list them; the plain features/head pair (the default layer's alias) is not a layer of its own.
 */
final class ExportedLayers {

    static final String FEATURES = "features_";
    static final String HEAD = "head_";
    /** The descriptor property that lists the exported layers in network order. */
    static final String PROPERTY = "layers";

    private ExportedLayers() {
    }

    /**
     * @param model   the model's name, for messages
     * @param file    the TorchScript file, for messages
     * @param methods the file's method names
     * @param listed  the descriptor property {@value #PROPERTY}, or null
     * @return the layers: those listed, in their order, then any others in the file's order
     * @throws CamException if a features or head method has no partner, or a listed layer is not exported
     */
    static List<String> of(String model, Path file, List<String> methods, String listed) {
        Set<String> features = suffixes(methods, FEATURES);
        Set<String> heads = suffixes(methods, HEAD);
        Set<String> unpaired = new LinkedHashSet<>(features);
        unpaired.addAll(heads);
        unpaired.removeIf(layer -> features.contains(layer) && heads.contains(layer));
        if (!unpaired.isEmpty()) {
            throw new CamException("model '" + model + "': TorchScript file " + file + " exports only one of "
                    + "features_<layer> and head_<layer> for " + unpaired + "; every exported layer needs both: "
                    + "export it again with tools/camkit-export");
        }
        Set<String> exported = new LinkedHashSet<>(features);
        List<String> layers = new ArrayList<>();
        if (listed != null) {
            for (String name : listed.split(",")) {
                String layer = name.trim();
                if (layer.isEmpty() || layers.contains(layer)) {
                    continue;
                }
                if (!exported.contains(layer)) {
                    throw new CamException("model '" + model + "': the descriptor property \"" + PROPERTY
                            + "\" lists layer '" + layer + "', which TorchScript file " + file + " does not export; "
                            + "it exports " + List.copyOf(exported) + ". Fix the property or export that layer");
                }
                layers.add(layer);
            }
        }
        exported.stream().filter(layer -> !layers.contains(layer)).forEach(layers::add);
        return List.copyOf(layers);
    }

    private static Set<String> suffixes(List<String> methods, String prefix) {
        Set<String> out = new LinkedHashSet<>();
        for (String method : methods) {
            if (method.startsWith(prefix) && method.length() > prefix.length()) {
                out.add(method.substring(prefix.length()));
            }
        }
        return out;
    }
}
