package org.camkit.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.camkit.api.CamException;

// Names output files: the given name for one image, name-<i>.ext (i from 0, in --image order) for several; and checks,
// before anything runs, that writing them destroys nothing: not a folder, not an input, the extension of what is
// written.
final class OutputFiles {
    private OutputFiles() {
    }

    static Path forImage(Path base, int index, int count) {
        if (count == 1) {
            return base;
        }
        String name = base.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0
                ? name.substring(0, dot) + "-" + index + name.substring(dot)
                : name + "-" + index;
        return base.resolveSibling(numbered);
    }

    /**
     * Refuses an output that would replace a folder or one of the inputs, or whose extension names another format
     * than the one written; a file that is none of these is written over.
     *
     * @param option    the option, e.g. {@code out}
     * @param base      the path given
     * @param count     the images (several get numbered files, {@link #forImage})
     * @param extension the extension of what is written, e.g. {@code .png}
     * @param format    what is written, for the message, e.g. {@code a PNG picture}
     * @param inputs    the files the command reads
     * @throws CamException naming the option, the path and the fix
     */
    static void check(String option, Path base, int count, String extension, String format, List<Path> inputs) {
        String name = base.getFileName() == null ? "" : base.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(extension) || name.length() == extension.length()) {
            throw new CamException("--" + option + " '" + base + "' writes " + format + "; give a file name ending in "
                    + extension + (name.isEmpty() || name.length() <= extension.length() ? ""
                            : ", e.g. " + base.resolveSibling(stem(name) + extension)));
        }
        for (int i = 0; i < count; i++) {
            Path file = forImage(base, i, count);
            if (Files.isDirectory(file)) {
                throw new CamException("--" + option + " '" + file + "' is a folder; give a file in it, e.g. "
                        + file.resolve("result" + extension));
            }
            for (Path input : inputs) {
                if (same(file, input)) {
                    throw new CamException("--" + option + " '" + file + "' is the input image " + input
                            + "; camkit does not write over its inputs: give another file name");
                }
            }
        }
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
