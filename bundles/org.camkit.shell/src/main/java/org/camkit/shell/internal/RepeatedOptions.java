package org.camkit.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;

// Gogo binds only the first occurrence of an option to its parameter; later occurrences of a repeatable option
// (--layer, --option) arrive as trailing arguments. This collects their values and refuses anything else.
final class RepeatedOptions {
    private RepeatedOptions() {
    }

    /**
     * @param command   the command, for messages ({@code cam:explain})
     * @param first     the first value of each repeatable option by its name without dashes, blank when absent
     * @param flags     each spelling of a repeatable option ({@code -l}, {@code --layer}) mapped to its name
     * @param remaining the trailing arguments
     * @return every value of each repeatable option, in the order given
     */
    static Map<String, List<String>> collect(String command, Map<String, String> first, Map<String, String> flags,
            String[] remaining) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        first.forEach((name, value) -> {
            values.put(name, new ArrayList<>());
            if (value != null && !value.isBlank()) {
                values.get(name).add(value.trim());
            }
        });
        for (int i = 0; i < remaining.length; i++) {
            String name = flags.get(remaining[i]);
            if (name == null) {
                throw new CamException(command + ": unexpected argument '" + remaining[i] + "'; every value needs"
                        + " its option (e.g. --image a.png), see help " + command);
            }
            if (i + 1 >= remaining.length) {
                throw new CamException(command + ": " + remaining[i] + " needs a value");
            }
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(remaining[++i].trim());
        }
        return values;
    }
}
