package org.camkit.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the TensorFlow twins of the demo models: {@code ConvertDemo <models dir> <name>...} reads
 * {@code <models dir>/<name>.params} (the PyTorch demo model) and writes the SavedModel
 * {@code <models dir>/tensorflow/<name>/} that {@code <name>-tensorflow.json} describes. The build runs it (see the
 * module's pom); TensorFlow's libraries come from JavaCPP's {@code org.bytedeco.javacpp.platform.preloadpath}.
 */
public final class ConvertDemo {

    /** Where the SavedModels go, relative to the models directory (ignored by git: the build writes them). */
    public static final String OUTPUT_DIR = "tensorflow";

    private static final Logger LOG = LoggerFactory.getLogger(ConvertDemo.class);

    private ConvertDemo() {
    }

    /**
     * @param args the models directory, then the names of the models to convert
     * @throws IOException if a weights file is not the demo CNN's or the SavedModel cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ConvertDemo <models dir> <model name>... (reads "
                    + "<models dir>/<name>.params, writes <models dir>/" + OUTPUT_DIR + "/<name>/)");
        }
        Path models = Path.of(args[0]).toAbsolutePath().normalize();
        Files.createDirectories(models.resolve(OUTPUT_DIR));
        for (String name : List.of(args).subList(1, args.length)) {
            Path params = models.resolve(name + ".params");
            Path out = models.resolve(OUTPUT_DIR).resolve(name);
            DemoSavedModel.convert(params, out);
            LOG.info("{}: wrote the TensorFlow SavedModel {}", params, out);
        }
    }
}
