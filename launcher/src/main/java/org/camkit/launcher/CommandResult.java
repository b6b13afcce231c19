package org.camkit.launcher;

/**
 * The outcome of one Gogo command line run by {@link CamkitRuntime#execute(String)}.
 *
 * @param value     the value the command returned, or null
 * @param formatted the value formatted as the Gogo shell prints it, or null when the value is null
 * @param output    what the command printed (standard output and error, in order), never null
 * @param exception what the command threw, or null when it succeeded
 * @since 0.1
 */
public record CommandResult(Object value, String formatted, String output, Throwable exception) {

    /** @return true when the command threw nothing */
    public boolean succeeded() {
        return exception == null;
    }

    /** @return what a shell user would see on success: the printed output, then the formatted value */
    public String text() {
        if (formatted == null) {
            return output;
        }
        return output.isEmpty() || output.endsWith("\n") ? output + formatted : output + "\n" + formatted;
    }
}
