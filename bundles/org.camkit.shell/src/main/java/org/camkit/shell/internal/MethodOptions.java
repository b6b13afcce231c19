package org.camkit.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;

// Parses repeatable --option name=value arguments into a request's method options.
final class MethodOptions {
    private MethodOptions() {
    }

    /**
     * @param values the {@code --option} values in the order given, each {@code name=value}
     * @return the options by name, in that order
     * @throws CamException naming the malformed or repeated option
     */
    static Map<String, String> parse(List<String> values) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String given : values) {
            int equals = given.indexOf('=');
            String name = equals < 0 ? given.trim() : given.substring(0, equals).trim();
            String value = equals < 0 ? "" : given.substring(equals + 1).trim();
            if (equals < 0 || name.isEmpty() || value.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new CamException("--option '" + given + "' is not name=value; write e.g. --option"
                        + " batch-size=32, one --option per method option (cam:methods lists them)");
            }
            String before = options.putIfAbsent(name, value);
            if (before != null) {
                throw new CamException("--option " + name + " is given twice (" + before + " and " + value
                        + "); give each method option once");
            }
        }
        return options;
    }
}
