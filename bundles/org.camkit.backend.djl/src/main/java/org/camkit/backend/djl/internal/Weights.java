package org.camkit.backend.djl.internal;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weight file format of camkit's PyTorch models built in Java ({@link Architectures}): exactly the stream DJL's
 * {@link Block#saveParameters} writes for the whole network, nothing before or after it (no {@code Model.save}
 * header). Conventional file extension {@code .params}. Used by the backend and by the training tool.
 */
public final class Weights {

    private Weights() {
    }

    /**
     * Writes the parameters of an initialised (trained) network.
     *
     * @param block the network, e.g. {@code Architectures.build(id, classes).block()}, initialised
     * @param file  the file to write; replaced if it exists, parent directories created
     * @throws IOException if the file cannot be written
     */
    public static void save(Block block, Path file) throws IOException {
        if (!block.isInitialized()) {
            throw new IllegalStateException("initialise or train the network before saving its weights to " + file);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            block.saveParameters(out);
        }
    }

    /**
     * Reads parameters into a network initialised with the same architecture and class count, checking that every
     * parameter keeps the shape the architecture gave it and that the file holds nothing more.
     *
     * @param block   the network, initialised
     * @param manager where the loaded arrays live
     * @param file    a file written by {@link #save}
     * @throws IOException             if the file cannot be read or ends early
     * @throws MalformedModelException if the file does not match the network
     */
    public static void load(Block block, NDManager manager, Path file) throws IOException, MalformedModelException {
        Map<String, Shape> expected = shapes(block);
        List<NDArray> initial = block.getParameters().values().stream()
                .filter(Parameter::isInitialized).map(Parameter::getArray).toList();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            in.mark(4);
            byte[] magic = new byte[4];
            if (in.read(magic) == 4 && "DJL@".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new MalformedModelException("it was written by Model.save; write it with Weights.save "
                        + "(Block.saveParameters) instead");
            }
            in.reset();
            try {
                block.loadParameters(manager, in);
            } catch (RuntimeException e) {
                throw new MalformedModelException("it does not hold this network's parameters: " + e, e);
            }
            if (in.read() != -1) {
                throw new MalformedModelException("it holds more data than this network's parameters: "
                        + "it was written for another architecture");
            }
        }
        Map<String, Shape> loaded = shapes(block);
        for (Map.Entry<String, Shape> entry : expected.entrySet()) {
            Shape actual = loaded.get(entry.getKey());
            if (!entry.getValue().equals(actual)) {
                throw new MalformedModelException("parameter " + entry.getKey() + " has shape " + actual
                        + " in the file, the network needs " + entry.getValue()
                        + " (another class count or architecture?)");
            }
        }
        for (NDArray array : initial) {
            if (block.getParameters().values().stream().noneMatch(p -> p.getArray() == array)) {
                array.close();
            }
        }
    }

    private static Map<String, Shape> shapes(Block block) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter parameter = pair.getValue();
            shapes.put(pair.getKey(), parameter.isInitialized() ? parameter.getArray().getShape() : null);
        }
        return shapes;
    }
}
