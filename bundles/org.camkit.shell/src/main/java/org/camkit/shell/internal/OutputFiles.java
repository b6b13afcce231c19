package org.camkit.shell.internal;

import java.nio.file.Path;

// Names output files: the given name for one image, name-<i>.ext (i from 0, in --image order) for several.
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
}
