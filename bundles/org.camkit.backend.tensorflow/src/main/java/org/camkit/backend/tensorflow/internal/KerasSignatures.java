package org.camkit.backend.tensorflow.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;

/*
 * The signatures tools/camkit-export-tf writes, checked against the layers a descriptor lists: forward(x) -> output,
 * input_gradients(x, seed) -> output, gradients, and per layer L features_L(x) -> activations, head_L(a) -> output,
 * head_gradients_L(a, seed) -> output, gradients (through the head only), gradients_L(x, seed) -> output,
 * activations, gradients. head_gradients_L is optional: models exported before it existed back-propagate with
 * gradients_L, which runs the network again from the input. L is the layer name with every character other than
 * [A-Za-z0-9_] replaced by '_'. Each signature is kept as the graph tensor names of its inputs and outputs.
 */
final class KerasSignatures {

    static final String FORWARD = "forward";
    static final String INPUT_GRADIENTS = "input_gradients";
    static final String FEATURES = "features_";
    static final String HEAD = "head_";
    static final String HEAD_GRADIENTS = "head_gradients_";
    static final String GRADIENTS = "gradients_";

    private static final Logger LOG = LoggerFactory.getLogger(KerasSignatures.class);

    /**
     * One signature as a Session run sees it.
     *
     * @param key     the signature key
     * @param inputs  input key to graph tensor name, e.g. {@code x -> gradients_layer3_x:0}
     * @param outputs output key to graph tensor name
     * @param shapes  input and output key to its static shape in the graph's layout ({@code -1} where any size goes),
     *                absent where the rank is unknown
     */
    record Endpoint(String key, Map<String, String> inputs, Map<String, String> outputs, Map<String, long[]> shapes) {

        String input(String name) {
            return inputs.get(name);
        }

        String output(String name) {
            return outputs.get(name);
        }
    }

    private final Endpoint forward;
    private final Endpoint inputGradients;
    private final Map<String, Endpoint> features;
    private final Map<String, Endpoint> heads;
    private final Map<String, Endpoint> headGradients;
    private final Map<String, Endpoint> gradients;

    private KerasSignatures(Endpoint forward, Endpoint inputGradients, Map<String, Endpoint> features,
            Map<String, Endpoint> heads, Map<String, Endpoint> headGradients, Map<String, Endpoint> gradients) {
        this.forward = forward;
        this.inputGradients = inputGradients;
        this.features = features;
        this.heads = heads;
        this.headGradients = headGradients;
        this.gradients = gradients;
    }

    /**
     * @param descriptor the model's descriptor, for errors
     * @param signatures the SavedModel's signatures
     * @param layers     the exported layers the descriptor lists, in network order
     * @throws CamException naming every missing or malformed signature, the ones present, and the fix
     */
    static KerasSignatures of(ModelDescriptor descriptor, List<Signature> signatures, List<String> layers) {
        Map<String, Signature> byKey = new LinkedHashMap<>();
        signatures.forEach(s -> byKey.put(s.key(), s));
        List<String> problems = new ArrayList<>();
        Endpoint forward = endpoint(byKey, FORWARD, List.of("x"), List.of("output"), problems);
        Endpoint inputGradients = endpoint(byKey, INPUT_GRADIENTS, List.of("x", "seed"),
                List.of("output", "gradients"), problems);
        Map<String, Endpoint> features = new LinkedHashMap<>();
        Map<String, Endpoint> heads = new LinkedHashMap<>();
        Map<String, Endpoint> headGradients = new LinkedHashMap<>();
        Map<String, Endpoint> gradients = new LinkedHashMap<>();
        List<String> withoutHeadGradients = new ArrayList<>();
        for (String layer : layers) {
            String l = suffix(layer);
            features.put(layer, endpoint(byKey, FEATURES + l, List.of("x"), List.of("activations"), problems));
            heads.put(layer, endpoint(byKey, HEAD + l, List.of("a"), List.of("output"), problems));
            if (byKey.containsKey(HEAD_GRADIENTS + l)) {
                headGradients.put(layer, endpoint(byKey, HEAD_GRADIENTS + l, List.of("a", "seed"),
                        List.of("output", "gradients"), problems));
            } else {
                withoutHeadGradients.add(layer);
            }
            gradients.put(layer, endpoint(byKey, GRADIENTS + l, List.of("x", "seed"),
                    List.of("output", "activations", "gradients"), problems));
        }
        if (!problems.isEmpty()) {
            throw new CamException("model '" + descriptor.name() + "': SavedModel " + descriptor.file() + " lacks the "
                    + "signatures of camkit's export contract for its layers " + layers + ": "
                    + String.join("; ", problems) + ". Its signatures are " + new TreeSet<>(byKey.keySet()) + ". "
                    + "Export the model with tools/camkit-export-tf --layer <layer> for each layer in \"layers\", "
                    + "or list only exported layers there");
        }
        if (!withoutHeadGradients.isEmpty()) {
            LOG.debug("model '{}': the SavedModel has no signature {}<layer> for layers {} (exported before "
                    + "tools/camkit-export-tf wrote it); their gradients come from {}<layer>, which runs the network "
                    + "again from the input. Export the model again for one forward and one backward per explanation",
                    descriptor.name(), HEAD_GRADIENTS, withoutHeadGradients, GRADIENTS);
        }
        List<String> unlisted = unlisted(byKey.keySet(), layers);
        if (!unlisted.isEmpty()) {
            LOG.info("model '{}': the SavedModel also exports {} (signatures {}<layer>); add them to \"layers\" to "
                    + "explain them", descriptor.name(), unlisted, FEATURES);
        }
        return new KerasSignatures(forward, inputGradients, features, heads, headGradients, gradients);
    }

    /** @return the signature suffix of a layer: characters other than {@code [A-Za-z0-9_]} become '_' */
    static String suffix(String layer) {
        return layer.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** @return the suffixes of the signatures features_L whose layer is not among {@code listed} */
    static List<String> unlisted(Set<String> keys, List<String> listed) {
        Set<String> suffixes = new TreeSet<>();
        listed.forEach(layer -> suffixes.add(suffix(layer)));
        return keys.stream().filter(key -> key.startsWith(FEATURES)).map(key -> key.substring(FEATURES.length()))
                .filter(l -> !suffixes.contains(l)).sorted().toList();
    }

    /** Reads one signature; a missing one, or one without the named float32 inputs and outputs, is a problem. */
    private static Endpoint endpoint(Map<String, Signature> byKey, String key, List<String> inputs,
            List<String> outputs, List<String> problems) {
        Signature signature = byKey.get(key);
        if (signature == null) {
            problems.add("no signature '" + key + "'");
            return null;
        }
        Map<String, String> in = names(signature.getInputs(), inputs, key, "input", problems);
        Map<String, String> out = names(signature.getOutputs(), outputs, key, "output", problems);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        signature.getInputs().forEach((name, t) -> shape(t).ifPresent(s -> shapes.put(name, s)));
        signature.getOutputs().forEach((name, t) -> shape(t).ifPresent(s -> shapes.put(name, s)));
        return new Endpoint(key, in, out, shapes);
    }

    private static Map<String, String> names(Map<String, Signature.TensorDescription> tensors, List<String> expected,
            String key, String role, List<String> problems) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String name : expected) {
            Signature.TensorDescription tensor = tensors.get(name);
            if (tensor == null) {
                problems.add("signature '" + key + "' has no " + role + " '" + name + "' (its " + role + "s: "
                        + new TreeSet<>(tensors.keySet()) + ")");
            } else if (tensor.dataType != DataType.DT_FLOAT) {
                problems.add("signature '" + key + "' " + role + " '" + name + "' is " + tensor.dataType
                        + ", not float32");
            } else {
                names.put(name, tensor.name);
            }
        }
        return names;
    }

    private static Optional<long[]> shape(Signature.TensorDescription tensor) {
        return tensor.shape == null || tensor.shape.isUnknown() ? Optional.empty()
                : Optional.of(tensor.shape.asArray());
    }

    Endpoint forward() {
        return forward;
    }

    Endpoint inputGradients() {
        return inputGradients;
    }

    Endpoint features(String layer) {
        return features.get(layer);
    }

    Endpoint head(String layer) {
        return heads.get(layer);
    }

    /** @return the signature head_gradients_L of the layer, or null where the model was exported without it */
    Endpoint headGradients(String layer) {
        return headGradients.get(layer);
    }

    Endpoint gradients(String layer) {
        return gradients.get(layer);
    }

    /** @return the exported layers, in the descriptor's order */
    List<String> layers() {
        return List.copyOf(features.keySet());
    }

    /** @return the static shape of the input x, graph layout, or null */
    long[] inputShape() {
        return forward.shapes().get("x");
    }

    /** @return the static shape of the output, graph layout, or null */
    long[] outputShape() {
        return forward.shapes().get("output");
    }

    /** @return the static shape of a layer's activations, graph layout, or null */
    long[] activationsShape(String layer) {
        return features.get(layer).shapes().get("activations");
    }
}
