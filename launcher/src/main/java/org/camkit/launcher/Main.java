package org.camkit.launcher;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The {@code camkit} command: an interactive Gogo shell, one command, or the demo, in a Felix runtime.
 *
 * <pre>
 * camkit [options] shell              interactive shell (line editing, completion); exit with 'exit' or Ctrl-D
 * camkit [options] demo [args]        runs cam:demo [args] with the feature 'demo'
 * CAMKIT_TOKEN=... camkit [options] serve [--port N] [--bind ADDRESS]
 *                                    serves the REST API (adds the feature 'rest') until Ctrl-C
 * camkit [options] COMMAND [args]     runs one Gogo command line, prints its output and result, exits 0 or 1
 * options: --feature NAME (repeatable; default all: both backends), --deploy DIR, --models DIR,
 *          --timeout SECONDS (wait for the runtime to be ready), --startup-time (print the time to ready)
 * </pre>
 *
 * <p>System properties: {@code camkit.home} (the runtime home; default: the parent of the directory holding the
 * launcher jar), {@code camkit.models} (default of {@code --models}), {@code camkit.deploy} (default of
 * {@code --deploy}), {@code camkit.features} (the feature files;
 * default {@code <home>/features}), {@code camkit.debug=true} (stack traces and debug logs).
 *
 * @since 0.1
 */
public final class Main {
    private static final String HTTP_PORT = "org.osgi.service.http.port";
    private static final String HTTP_HOST = "org.apache.felix.http.host";
    private static final String TOKEN_VARIABLE = "CAMKIT_TOKEN";
    private static final String TOKEN_PROPERTY = "camkit.rest.token";
    private static final String HTTP_RUNTIME = "org.osgi.service.http.runtime.HttpServiceRuntime";
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=,+@%^~-]+");
    private static final String USAGE = """
            usage: camkit [options] shell | demo [args] | serve [--port N] [--bind ADDRESS] | COMMAND [args]
              shell               interactive Gogo shell (exit with 'exit' or Ctrl-D)
              demo [args]         runs 'cam:demo [args]' with the feature 'demo'
              serve               serves the REST API and its page (feature 'rest') until Ctrl-C: --port
                                  (default 8080; 0 picks a free one), --bind (default 127.0.0.1; another
                                  address needs a token in the environment variable CAMKIT_TOKEN, which
                                  clients send as 'Authorization: Bearer <token>')
              COMMAND [args]      runs one Gogo command, e.g. 'cam:methods' or 'lb' (a single argument is
                                  passed verbatim, so './camkit "lb | grep camkit"' works)
            options:
              --feature NAME      feature to start (repeatable; default all (both backends), demo for 'demo';
                                  'serve' adds rest)
              --deploy DIR        directory watched for bundles and .cfg files (default: the system property
                                  camkit.deploy, which ./camkit sets to <repo>/deploy; else <home>/deploy)
              --models DIR        model descriptors directory (default ./models)
              --timeout SECONDS   how long a command waits for the runtime to be ready (default 60)
              --startup-time      print the time from launcher start to first command ready
            """;

    private Main() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) {
        long startNanos = System.nanoTime();
        boolean debug = Boolean.getBoolean("camkit.debug");
        configureLogging(debug);
        try {
            System.exit(run(args, startNanos));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("camkit: " + e.getMessage());
            if (debug) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }

    private static int run(String[] args, long startNanos) {
        List<String> features = new ArrayList<>();
        String deployProperty = System.getProperty("camkit.deploy");
        Path deploy = deployProperty == null ? null : Path.of(deployProperty);
        String modelsProperty = System.getProperty("camkit.models");
        Path models = modelsProperty == null ? null : Path.of(modelsProperty);
        Duration timeout = Duration.ofSeconds(60);
        boolean startupTime = false;
        int i = 0;
        for (; i < args.length && args[i].startsWith("--"); i++) {
            switch (args[i]) {
                case "--feature" -> features.add(value(args, ++i));
                case "--deploy" -> deploy = Path.of(value(args, ++i));
                case "--models" -> models = Path.of(value(args, ++i));
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--startup-time" -> startupTime = true;
                case "--help" -> {
                    System.out.print(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        List<String> rest = List.of(args).subList(i, args.length);
        if (rest.isEmpty()) {
            System.err.print(USAGE);
            return 1;
        }
        if (rest.get(0).equals("-h")) {
            System.out.print(USAGE);
            return 0;
        }
        String mode = rest.get(0);
        String commandLine;
        if (mode.equals("demo")) {
            commandLine = "cam:demo" + commandLine(rest.subList(1, rest.size()));
            if (features.isEmpty()) {
                features.add("demo");
            }
        } else {
            commandLine = rest.size() == 1 ? mode : commandLine(rest).substring(1);
        }
        if (mode.equals("serve") && !features.contains("rest")) {
            features.add("rest");
        }
        if (features.isEmpty()) {
            features.add("all");
        }
        CamkitRuntime.Builder builder = CamkitRuntime.builder(home()).features(features).readyTimeout(timeout)
                .deployDir(deploy).modelsDir(models);
        String featuresDir = System.getProperty("camkit.features");
        if (featuresDir != null) {
            builder.featuresDir(Path.of(featuresDir));
        }
        if (mode.equals("shell") && rest.size() == 1) {
            return shell(builder);
        }
        if (mode.equals("serve")) {
            return serve(builder, rest.subList(1, rest.size()));
        }
        if (System.console() == null && System.getProperty("camkit.progress") == null) {
            // one command with its output in a log or a pipe: progress as whole lines, no carriage returns
            builder.frameworkProperty("camkit.progress", "lines");
        }
        try (CamkitRuntime runtime = builder.start()) {
            Duration ready = runtime.awaitReady();
            long sinceLaunch = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
            // not a static field: slf4j-simple must not read its configuration before configureLogging
            LoggerFactory.getLogger(Main.class).debug("ready for the first command {} ms after launcher start",
                    sinceLaunch);
            if (startupTime) {
                System.err.printf("camkit: ready for the first command %d ms after launcher start "
                                + "(framework start to ready %d ms, JVM start to ready %d ms)%n", sinceLaunch,
                        ready.toMillis(), sinceJvmStart());
            }
            CommandResult result = runtime.execute(commandLine);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            if (!result.succeeded()) {
                out.print(result.output());
                out.flush();
                Throwable e = result.exception();
                System.err.println("camkit: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
                if (Boolean.getBoolean("camkit.debug")) {
                    e.printStackTrace();
                }
                return 1;
            }
            String text = result.text();
            out.print(text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
            out.flush();
            return 0;
        }
    }

    private static int shell(CamkitRuntime.Builder builder) {
        CamkitRuntime runtime = builder.interactiveShell(true).start();
        System.out.println("camkit: bundles and model .cfg files dropped into " + runtime.deployDir()
                + " are deployed while this shell runs; 'exit' leaves it");
        try {
            runtime.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runtime.stop();
        }
        return 0;
    }

    // Serves until the framework stops: on Ctrl-C (or SIGTERM, through the runtime's shutdown hook).
    private static int serve(CamkitRuntime.Builder builder, List<String> args) {
        // the token comes from the environment, not the command line, which other users of the machine can read
        String token = System.getenv(TOKEN_VARIABLE);
        boolean tokenSet = token != null && !token.isBlank();
        if (tokenSet) {
            builder.frameworkProperty(TOKEN_PROPERTY, token.trim());
        }
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--port" -> builder.frameworkProperty(HTTP_PORT, port(value(args, ++i)));
                case "--bind" -> builder.frameworkProperty(HTTP_HOST, bindable(value(args, ++i), tokenSet));
                default -> throw new IllegalArgumentException("unknown serve option " + args.get(i) + "\n" + USAGE);
            }
        }
        CamkitRuntime runtime = builder.start();
        try {
            // Jetty binds while its bundle starts: no HTTP runtime by now means the address or port was refused
            if (!runtime.awaitService("(objectClass=" + HTTP_RUNTIME + ")", Duration.ofSeconds(5))) {
                throw new IllegalStateException("the HTTP server did not start on "
                        + runtime.context().getProperty(HTTP_HOST) + ":" + runtime.context().getProperty(HTTP_PORT)
                        + " (is the port taken? see the log above); choose another with --port");
            }
            runtime.awaitReady();
            String endpoint = runtime.httpEndpoint().map(String::valueOf).orElseThrow(() -> new IllegalStateException(
                    "the JAX-RS Whiteboard publishes no endpoint (osgi.jaxrs.endpoint)"));
            // On a terminal the Gogo console (bundle gogo.jline) takes SIGINT to interrupt its jobs, also when it
            // runs none; serving has none, so Ctrl-C stops the runtime.
            Signal.handle(new Signal("INT"), signal -> runtime.stop());
            System.out.println("camkit: serving the page at " + endpoint + " and the API at " + endpoint + "v1/models ("
                    + endpoint + "openapi.json describes it); Ctrl-C stops");
            runtime.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runtime.stop();
        }
        return 0;
    }

    static String port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port " + value + " is not a port: give 0 to 65535 (0 picks a free one)");
    }

    // Beyond loopback only with a token: anything else would serve the models to the network unauthenticated (the
    // API itself refuses such requests too, 403).
    static String bindable(String address, boolean tokenSet) {
        try {
            if (tokenSet || InetAddress.getByName(address).isLoopbackAddress()) {
                return address;
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + address + ": unknown host", e);
        }
        throw new IllegalArgumentException("--bind " + address + " is not a loopback address, and the API would serve "
                + "the network without authentication: set a token in the environment variable " + TOKEN_VARIABLE
                + " (clients then send 'Authorization: Bearer <token>'), or bind to 127.0.0.1");
    }

    private static String value(List<String> args, int i) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("option " + args.get(i - 1) + " needs a value\n" + USAGE);
        }
        return args.get(i);
    }

    // Re-quotes arguments the calling shell has split, so that Gogo sees the same words.
    static String commandLine(List<String> words) {
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            line.append(' ');
            if (PLAIN_WORD.matcher(word).matches()) {
                line.append(word);
            } else if (!word.contains("'")) {
                line.append('\'').append(word).append('\'');
            } else {
                // Gogo does not accept ' inside "...": escape each special character instead
                word.codePoints().forEach(c -> {
                    if (!PLAIN_WORD.matcher(Character.toString(c)).matches()) {
                        line.append('\\');
                    }
                    line.appendCodePoint(c);
                });
            }
        }
        return line.toString();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + args[i - 1] + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static Path home() {
        String home = System.getProperty("camkit.home");
        if (home != null) {
            return Path.of(home);
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot find the runtime home; set -Dcamkit.home=launcher/target/camkit",
                    e);
        }
    }

    private static long sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis()).orElse(-1L);
    }

    // slf4j-simple reads its configuration once, from system properties: set defaults before the first logger.
    private static void configureLogging(boolean debug) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (debug) {
            setIfAbsent("org.slf4j.simpleLogger.log.org.camkit", "debug");
        }
        // CXF warns of every request for a path no JAX-RS resource serves (the client gets its 404)
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.cxf.transport.servlet.ServletController", "error");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
