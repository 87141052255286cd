package org.protsim.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Builds small jars for the plugin tests: services files only, naming classes of the test class path. */
public final class TestJars {
    private TestJars() {
    }

    /** A jar at {@code jar} holding {@code entries} (path in the jar → text). */
    public static Path jar(Path jar, Map<String, String> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** A jar registering {@code providerClass} as a replacement policy. */
    public static Path policyJar(Path jar, Class<?> providerClass) throws IOException {
        return jar(jar, Map.of("META-INF/services/org.protsim.hw.replacement.ReplacementPolicy",
                providerClass.getName() + "\n"));
    }
}
