package org.camkit.shell.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.camkit.api.CamException;

// Typed values from the strings Gogo binds to the commands' parameters: ABSENT (or blank) means the option was not
// given; comma lists and paths are checked, and an error names the option.
final class Args {
    /** What Gogo passes for an option that was not given ({@code absentValue}). */
    static final String ABSENT = "";

    private Args() {
    }

    /** @return the trimmed value, empty when the option was not given or is blank */
    static Optional<String> given(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /**
     * @param missing the error when the option was not given: the command, the option and what it takes
     * @return the trimmed value
     */
    static String required(String value, String missing) {
        return given(value).orElseThrow(() -> new CamException(missing));
    }

    /**
     * Splits {@code a, b,c} into its trimmed items (a comma between braces, as in the glob {@code *.{png,jpg}}, does
     * not split); an empty item is an error naming the option.
     */
    static List<String> commaList(String option, String value) {
        List<String> items = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            depth += c == '{' ? 1 : c == '}' && depth > 0 ? -1 : 0;
            if (c == ',' && depth == 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        for (String item : parts) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw new CamException("--" + option + " '" + value + "' has an empty item; separate "
                        + option + "s with single commas, e.g. a,b");
            }
            items.add(trimmed);
        }
        return items;
    }

    /**
     * @return the paths of the comma list {@code value}; a value that names an existing file as a whole is that one
     *         file, commas and all
     */
    static List<Path> paths(String option, String value) {
        if (value.indexOf(',') >= 0) {
            try {
                Path whole = Path.of(value.trim());
                if (Files.isRegularFile(whole)) {
                    return List.of(whole);
                }
            } catch (InvalidPathException e) {
                // a list, then
            }
        }
        return commaList(option, value).stream().map(item -> path(option, item)).toList();
    }

    /**
     * @return the paths of the comma list {@code value} of image files, folders, list files (.txt) and globs such as
     *         {@code data/*.png} or {@code data/**.jpg}, each glob replaced by the files it matches, sorted
     */
    static List<Path> imagePaths(String option, String value) {
        return imagePaths(option, value, null);
    }

    /**
     * @param outputs a folder whose files a glob never matches (a batch run's output folder, which may lie inside
     *                the globbed tree), or null
     * @return {@link #imagePaths(String, String)}, without the files under {@code outputs} that globs match
     */
    static List<Path> imagePaths(String option, String value, Path outputs) {
        List<Path> paths = new ArrayList<>();
        for (Path path : paths(option, value)) {
            if (!isGlob(path.toString())) {
                paths.add(path);
                continue;
            }
            glob(option, path).stream().filter(p -> outputs == null || !p.toAbsolutePath().normalize()
                    .startsWith(outputs)).forEach(paths::add);
        }
        return paths;
    }

    private static boolean isGlob(String text) {
        return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** @return the files the glob matches, sorted; the folders above its first wildcard are where it looks */
    static List<Path> glob(String option, Path pattern) {
        int first = 0;
        while (first < pattern.getNameCount() && !isGlob(pattern.getName(first).toString())) {
            first++;
        }
        Path root = pattern.isAbsolute() ? pattern.getRoot() : Path.of("");
        Path base = first == 0 ? root : root.resolve(pattern.subpath(0, first));
        Path rest = pattern.subpath(first, pattern.getNameCount());
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        } catch (IllegalArgumentException e) {
            throw new CamException("--" + option + " '" + pattern + "' is not a glob: " + e.getMessage()
                    + "; e.g. data/*.png, data/**.jpg or data/*.{png,jpg}", e);
        }
        int depth = rest.toString().contains("**") ? Integer.MAX_VALUE : rest.getNameCount();
        Path folder = base.toString().isEmpty() ? Path.of(".") : base;
        List<Path> found;
        try (Stream<Path> walk = Files.walk(folder, depth)) {
            found = walk.filter(Files::isRegularFile).filter(p -> matcher.matches(folder.relativize(p)))
                    .map(p -> base.toString().isEmpty() ? folder.relativize(p) : p).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new CamException("--" + option + " '" + pattern + "': cannot list " + folder + ": " + e, e);
        }
        if (found.isEmpty()) {
            throw new CamException("--" + option + " '" + pattern + "' matches no files; check the folder " + folder
                    + " and the pattern (* within a folder, ** across folders)");
        }
        return found;
    }

    /** @return the path, empty when the option was not given */
    static Optional<Path> optionalPath(String option, String value) {
        return given(value).map(item -> path(option, item));
    }

    /**
     * @param option  the option, e.g. {@code image-weight}
     * @param value   its value
     * @param meaning what the number is, for the message
     * @return the value, a number from 0 to 1
     * @throws CamException naming the option and the value otherwise (NaN included)
     */
    static double fraction(String option, String value, String meaning) {
        double number;
        try {
            number = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            number = Double.NaN;
        }
        if (!(number >= 0 && number <= 1)) {
            throw new CamException("--" + option + " is '" + value + "'; use a number from 0 to 1 (" + meaning + ")");
        }
        return number;
    }

    static Path path(String option, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CamException("--" + option + " '" + value + "' is not a valid file path: " + e.getReason(), e);
        }
    }
}
