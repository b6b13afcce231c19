package org.camkit.shell.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.camkit.api.CamException;

/**
 * Every value of the repeatable options {@code --layer} ({@code -l}) and {@code --option}. Gogo binds only the first
 * occurrence of an option to its parameter; later occurrences arrive as trailing arguments, collected here (anything
 * else there is refused).
 *
 * @param layers        the layers of every {@code --layer} value (each may be a comma list), in the order given
 * @param methodOptions the method options of every {@code --option name=value}, in the order given
 * @param metricOptions every {@code --metric-option metric.name=value}, as given (cam:evaluate only)
 */
record RepeatedOptions(List<String> layers, Map<String, String> methodOptions, List<String> metricOptions) {

    /**
     * @param command   the command, for messages ({@code cam:explain})
     * @param layer     the value Gogo bound to {@code --layer}, {@link Args#ABSENT} when not given
     * @param option    the value Gogo bound to {@code --option}, {@link Args#ABSENT} when not given
     * @param remaining the trailing arguments
     * @return every value of both options
     * @throws CamException naming a trailing argument that is no repeated option, an option without its value, an
     *                      empty layer in a comma list or a malformed method option
     */
    static RepeatedOptions collect(String command, String layer, String option, String... remaining) {
        return withMetricOptions(command, layer, option, null, remaining);
    }

    /**
     * As {@link #collect(String, String, String, String...)}, for a command that also takes {@code --metric-option}.
     *
     * @param metricOption the value Gogo bound to {@code --metric-option}, {@link Args#ABSENT} when not given, or
     *                     null for a command without that option
     */
    static RepeatedOptions withMetricOptions(String command, String layer, String option, String metricOption,
            String... remaining) {
        List<String> layers = new ArrayList<>();
        List<String> options = new ArrayList<>();
        List<String> metricOptions = new ArrayList<>();
        Args.given(layer).ifPresent(layers::add);
        Args.given(option).ifPresent(options::add);
        if (metricOption != null) {
            Args.given(metricOption).ifPresent(metricOptions::add);
        }
        String[] trailing = remaining == null ? new String[0] : remaining;
        for (int i = 0; i < trailing.length; i++) {
            List<String> values = switch (trailing[i]) {
                case "-l", "--layer" -> layers;
                case "--option" -> options;
                case "--metric-option" -> {
                    if (metricOption == null) {
                        throw new CamException(command + ": unexpected argument '" + trailing[i] + "'; see help "
                                + command);
                    }
                    yield metricOptions;
                }
                default -> throw new CamException(command + ": unexpected argument '" + trailing[i] + "'; every"
                        + " value needs its option (e.g. --image a.png), see help " + command);
            };
            if (i + 1 >= trailing.length) {
                throw new CamException(command + ": " + trailing[i] + " needs a value");
            }
            values.add(trailing[++i].trim());
        }
        List<String> split = new ArrayList<>();
        layers.forEach(value -> split.addAll(Args.commaList("layer", value)));
        return new RepeatedOptions(List.copyOf(split), Collections.unmodifiableMap(MethodOptions.parse(options)),
                List.copyOf(metricOptions));
    }
}
