package org.camkit.shell.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camkit.api.CamException;

// Reading option values the commands share: blank means absent, comma lists, paths, layers, method options.
final class Args {
    private Args() {
    }

    /** @return the trimmed value of {@code option}, empty when it is missing or blank */
    static Optional<String> value(Map<String, String> given, String option) {
        String value = given.get(option);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** @return whether the flag {@code option} was given ({@code "true"}) */
    static boolean flag(Map<String, String> given, String option) {
        return Boolean.parseBoolean(given.get(option));
    }

    /** Splits {@code a, b,c} into its trimmed items; an empty item is an error naming the option. */
    static List<String> commaList(String option, String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw new CamException("--" + option + " '" + value + "' has an empty item; separate "
                        + option + "s with single commas, e.g. a,b");
            }
            items.add(trimmed);
        }
        return items;
    }

    /** @return the layers of every {@code --layer} value (each may be a comma list), in the order given */
    static List<String> layers(Map<String, List<String>> repeated) {
        List<String> layers = new ArrayList<>();
        for (String value : repeated.getOrDefault("layer", List.of())) {
            layers.addAll(commaList("layer", value));
        }
        return List.copyOf(layers);
    }

    /** @return the method options of every {@code --option name=value}, in the order given */
    static Map<String, String> methodOptions(Map<String, List<String>> repeated) {
        return MethodOptions.parse(repeated.getOrDefault("option", List.of()));
    }

    static Path path(String option, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CamException("--" + option + " '" + value + "' is not a valid file path: " + e.getReason(), e);
        }
    }
}
