package org.protsim.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Maven local repository holding protsim's freshly built modules as {@code mvn install} would
 * put them (jar, pom, sources, javadoc) and, by symbolic links, everything else of the build's own
 * local repository: so a project depending on protsim builds offline, on a machine whose
 * repository holds only what protsim's build downloaded, without installing anything there.
 */
final class PublishedModules {
    /** The modules a plugin may depend on. */
    static final List<String> MODULES = List.of("sim-core", "sim-hw", "sim-os", "workloads");

    private PublishedModules() {
    }

    static Path root() {
        return Path.of(System.getProperty("protsim.root", "..")).toAbsolutePath().normalize();
    }

    static String version() {
        return System.getProperty("protsim.version", "0.1.0");
    }

    /** The jar {@code mvn package} built for {@code module} with {@code classifier} (null: the main jar). */
    static Path jar(String module, String classifier) {
        String name = module + "-" + version() + (classifier == null ? "" : "-" + classifier) + ".jar";
        return root().resolve(module).resolve("target").resolve(name);
    }

    /** Builds the repository in {@code repo} (an empty folder). */
    static Path repository(Path repo) throws IOException {
        Path real = Path.of(System.getProperty("protsim.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        Files.createDirectories(repo.resolve("org"));
        try (Stream<Path> top = Files.list(real)) {
            for (Path p : top.toList()) {
                if (!p.getFileName().toString().equals("org")) {
                    Files.createSymbolicLink(repo.resolve(p.getFileName().toString()), p);
                }
            }
        }
        if (Files.isDirectory(real.resolve("org"))) {
            try (Stream<Path> org = Files.list(real.resolve("org"))) {
                for (Path p : org.toList()) {
                    if (!p.getFileName().toString().equals("protsim")) {
                        Files.createSymbolicLink(repo.resolve("org").resolve(p.getFileName().toString()), p);
                    }
                }
            }
        }
        Path protsim = repo.resolve("org").resolve("protsim");
        Path parent = Files.createDirectories(protsim.resolve("protsim-parent").resolve(version()));
        Files.copy(root().resolve("pom.xml"), parent.resolve("protsim-parent-" + version() + ".pom"));
        for (String m : MODULES) {
            Path dir = Files.createDirectories(protsim.resolve(m).resolve(version()));
            Files.copy(root().resolve(m).resolve("pom.xml"), dir.resolve(m + "-" + version() + ".pom"));
            for (String classifier : new String[]{null, "sources", "javadoc"}) {
                Path jar = jar(m, classifier);
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(jar + " is missing: run the build up to package (mvn verify)");
                }
                Files.copy(jar, dir.resolve(jar.getFileName()));
            }
        }
        return repo;
    }
}
