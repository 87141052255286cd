package org.protsim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

@Command(name = "protsim",
        mixinStandardHelpOptions = true,
        versionProvider = ProtsimCommand.Version.class,
        description = "Discrete-event simulator comparing memory-protection models by TLB misses, flushes, "
                + "shootdowns and page walks.",
        subcommands = {RunCommand.class, CompareCommand.class, SweepCommand.class, MergeCommand.class,
                PlotCommand.class, ValidateCommand.class},
        footer = {"", "Also: ./protsim bench [--quick] measures protsim's own speed and memory (JMH; see README.md, "
                + "Performance)."})
final class ProtsimCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = ProtsimCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[]{"protsim " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version")};
        }
    }
}
