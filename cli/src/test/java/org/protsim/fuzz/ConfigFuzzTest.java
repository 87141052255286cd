package org.protsim.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.sweep.SweepSpec;
import org.protsim.workloads.Workloads;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz targets for what a user writes by hand: run configs, {@code --set} overrides and sweep
 * specs. Regression inputs are in {@code src/test/resources/org/protsim/fuzz/ConfigFuzzTestInputs/}.
 */
class ConfigFuzzTest {
    private static final ConfigLoader LOADER = Workloads.loader();

    @FuzzTest(maxDuration = "10m")
    void configFile(byte[] data) {
        if (data.length > FuzzInput.MAX_BYTES) {
            return;
        }
        Path p = FuzzInput.file("config.json", data);
        FuzzInput.acceptedOrInputError(() -> LOADER.load(p, List.of()));
    }

    /**
     * Up to four {@code --set PATH=VALUE} overrides over a config; the first byte picks the
     * workload type so overrides meet every workload's keys.
     */
    @FuzzTest(maxDuration = "10m")
    void setOverrides(FuzzedDataProvider data) {
        List<String> types = new ArrayList<>(LOADER.workloadTypes().all().keySet());
        String type = types.get(data.consumeInt(0, types.size() - 1));
        int n = data.consumeInt(0, 4);
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sets.add(data.consumeString(200));
        }
        byte[] rest = data.consumeRemainingAsBytes();
        String config = rest.length == 0 ? "{\"workload\": {\"type\": \"" + type + "\"}}"
                : new String(rest, StandardCharsets.UTF_8);
        Path p = FuzzInput.file("config.json", config.getBytes(StandardCharsets.UTF_8));
        FuzzInput.acceptedOrInputError(() -> LOADER.load(p, sets));
    }

    @FuzzTest(maxDuration = "10m")
    void sweepSpec(byte[] data) {
        if (data.length > FuzzInput.MAX_BYTES) {
            return;
        }
        Path p = FuzzInput.file("sweep.json", data);
        FuzzInput.acceptedOrInputError(() -> {
            SweepSpec spec = SweepSpec.load(p);
            // what a sweep does before its first run: record the spec, plan the last run's overrides
            spec.canonicalJson();
            SweepSpec.Run last = spec.runs().get(spec.runCount() - 1);
            spec.overrides(last, spec.baseSeed());
            last.point().id(spec.points().size());
        });
    }
}
