package org.camkit.target.classifier.internal;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import org.camkit.api.CamException;
import org.camkit.spi.NpyFiles;
import org.camkit.spi.Tensor;
import org.camkit.spi.TargetRequest;

/**
 * The concept of {@code similarity:<concept.npy>} and {@code difference:<concept.npy>}: a float32 vector as long as
 * the model's output, read from a local {@code .npy} file (with the SPI's {@link NpyFiles}, its size checked against
 * the output's before any data is read), and the cosine similarity of an output to it with its gradient. Nothing is
 * cached: each request reads the file again, so a file rewritten between requests is seen.
 */
final class ConceptVector {

    private final double[] values;
    private final double norm;
    private final String name;

    private ConceptVector(double[] values, double norm, String name) {
        this.values = values;
        this.norm = norm;
        this.name = name;
    }

    /** The cosine similarity {@code s} of an output to the concept and its gradient {@code ds/dy}. */
    record Cosine(double similarity, double[] gradient) {
    }

    /**
     * @param target  the target's name, e.g. {@code similarity}
     * @param request the request, whose argument is the path of the concept file (absolute, or relative to the
     *                working directory); a URL is refused
     * @return the concept
     * @throws CamException naming the spec, the problem and the form, for a missing argument, a URL, a missing or
     *                      unreadable file, another type or length than the output's, a non-finite value or a zero
     *                      vector, or an output that is not a vector
     */
    static ConceptVector read(String target, TargetRequest request) {
        String argument = request.argument().strip();
        String spec = request.argument().isEmpty() ? target : target + ":" + request.argument();
        int length = request.output().length;
        String form = target + ":<concept.npy> (a local .npy file of " + length + " float32 values, as long as the "
                + "output of model '" + request.model().name() + "', e.g. np.save('concept.npy', "
                + "model(x)[0].detach().numpy().astype('float32')))";
        if (request.shape().length != 1) {
            throw new CamException("target '" + spec + "' compares an output vector with a concept; model '"
                    + request.model().name() + "' gives output shape " + Arrays.toString(request.shape()));
        }
        if (argument.isEmpty()) {
            throw new CamException("target '" + target + "' needs a concept file: " + form + " (got '" + spec + "')");
        }
        if (argument.contains("://")) {
            throw new CamException("target '" + spec + "' reads a local file, not a URL: " + form);
        }
        Path file;
        try {
            file = Path.of(argument).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new CamException("target '" + spec + "': '" + argument + "' is not a file path: " + form, e);
        }
        if (!Files.isRegularFile(file)) {
            throw new CamException("target '" + spec + "': " + (Files.exists(file) ? file + " is not a regular file"
                    : "no such file " + file) + "; use " + form);
        }
        Tensor concept;
        try {
            concept = NpyFiles.read(file, length);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new CamException("target '" + spec + "': " + e.getMessage() + "; use " + form, e);
        }
        int[] shape = concept.shape();
        boolean vector = shape.length == 1 || shape.length == 2 && shape[0] == 1;
        if (!vector || concept.size() != length) {
            throw new CamException("target '" + spec + "': " + file + " holds shape " + Arrays.toString(shape)
                    + ", not a vector of " + length + " values; use " + form);
        }
        double[] values = new double[length];
        double squares = 0;
        for (int i = 0; i < length; i++) {
            values[i] = concept.get(i);
            if (!Double.isFinite(values[i])) {
                throw new CamException("target '" + spec + "': " + file + " holds " + values[i] + " at index " + i
                        + "; the concept must be finite");
            }
            squares += values[i] * values[i];
        }
        if (squares == 0) {
            throw new CamException("target '" + spec + "': " + file + " is the zero vector; cosine similarity to it "
                    + "is undefined, use a concept with some nonzero value");
        }
        return new ConceptVector(values, Math.sqrt(squares), file.getFileName().toString());
    }

    /** @return the concept file's name, for descriptions */
    String name() {
        return name;
    }

    /**
     * @param output the output {@code y}, as long as the concept
     * @return {@code s = y.c / (|y| |c|)} (torch's {@code CosineSimilarity(dim=0)}) and
     *         {@code ds/dy = c / (|y| |c|) - s y / |y|^2}
     * @throws CamException if the output is the zero vector (its direction, and so the cosine, is undefined)
     */
    Cosine cosine(float[] output) {
        double dot = 0;
        double squares = 0;
        for (int i = 0; i < output.length; i++) {
            dot += output[i] * values[i];
            squares += (double) output[i] * output[i];
        }
        if (squares == 0) {
            throw new CamException("the model output is the zero vector: its cosine similarity to concept " + name
                    + " is undefined");
        }
        double outputNorm = Math.sqrt(squares);
        double similarity = dot / (outputNorm * norm);
        double[] gradient = new double[output.length];
        for (int i = 0; i < output.length; i++) {
            gradient[i] = values[i] / (outputNorm * norm) - similarity * output[i] / squares;
        }
        return new Cosine(similarity, gradient);
    }
}
