package org.camkit.shell.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;

// Gogo answers a command line whose arguments fit none of a command's parameters with "Cannot coerce explain(Token,
// Token) to any of [(String, ...)]"; it prints that itself, so this adds the line that says what is wrong: an option
// without its value, an option the command does not have.
@Component(service = CommandSessionListener.class)
public final class ArgumentHints implements CommandSessionListener {

    @Override
    public void beforeExecute(CommandSession session, CharSequence commandLine) {
        // nothing to add before
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandLine, Object result) {
        // it ran
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandLine, Exception exception) {
        String message = exception.getMessage();
        if (exception instanceof IllegalArgumentException && message != null && message.startsWith("Cannot coerce ")) {
            hint(commandLine.toString()).ifPresent(hint -> session.getConsole().println("camkit: " + hint));
        }
    }

    /**
     * @param commandLine a command line Gogo could not fit to its command's parameters
     * @return what is wrong with it, for a {@code cam:} command
     */
    static Optional<String> hint(String commandLine) {
        List<String> tokens = Arrays.asList(commandLine.trim().split("\\s+"));
        String command = tokens.get(0);
        String name = command.startsWith("cam:") ? command.substring(4) : command;
        Optional<Method> method = Arrays.stream(CamCommands.class.getMethods())
                .filter(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers())).findFirst();
        if (!command.startsWith("cam:") && method.isEmpty()) {
            return Optional.empty();
        }
        String help = "; see help " + (command.startsWith("cam:") ? command : "cam:" + name);
        if (method.isEmpty()) {
            return Optional.of(command + ": its arguments fit none of its options" + help);
        }
        Map<String, Boolean> options = new LinkedHashMap<>(); // name -> takes a value
        for (java.lang.annotation.Annotation[] annotations : method.get().getParameterAnnotations()) {
            for (java.lang.annotation.Annotation a : annotations) {
                if (a instanceof Parameter p) {
                    for (String option : p.names()) {
                        options.put(option, Parameter.UNSPECIFIED.equals(p.presentValue()));
                    }
                }
            }
        }
        for (int i = 1; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (options.containsKey(token)) {
                if (options.get(token) && (i + 1 == tokens.size() || options.containsKey(tokens.get(i + 1)))) {
                    return Optional.of(command + ": " + token + " needs a value" + help);
                }
                i += options.get(token) ? 1 : 0;
            } else if (token.startsWith("-") && token.length() > 1 && !isNumber(token)) {
                return Optional.of(command + " has no option " + token + "; its options: "
                        + String.join(", ", options.keySet().stream().filter(o -> o.startsWith("--")).toList())
                        + help);
            }
        }
        return Optional.of(command + ": its arguments fit none of its options" + help);
    }

    private static boolean isNumber(String token) {
        try {
            Double.parseDouble(token);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
