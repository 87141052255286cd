package org.protsim.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    /** A workload type for the tests, with a list of records to exercise list paths. */
    public record Lib(String name, int textPages) {
        public Lib {
            Check.positive("textPages", textPages);
        }
    }

    public record Demo(int processes, List<Lib> libraries) implements WorkloadConfig {
        public Demo {
            Check.positive("processes", processes);
        }
    }

    public record Other(double rate) implements WorkloadConfig {
    }

    /** A plugin's mechanism record: its own keys, checked in its compact constructor. */
    public record Flush(String mode, int lineCycles) implements MechanismConfig {
        public Flush {
            Check.range("lineCycles", lineCycles, 0, 100);
        }
    }

    /**
     * The switches as sim-os's providers register them (ukva runs something while off, so its record
     * is also mode none's), and a plugin's switch of its own.
     */
    static final MechanismTypes SWITCHES = MechanismTypes.builder()
            .add("ukva", "none", UkvaConfig.DEFAULT)
            .add("ukva", "per-mm", UkvaConfig.DEFAULT.withMode("per-mm"))
            .add("ukva", "per-task", UkvaConfig.DEFAULT.withMode("per-task"))
            .add("dma", "shared-pool", new DmaConfig("shared-pool"))
            .add("dma", "iommu-strict", new DmaConfig("iommu-strict"))
            .add("pat", "none", PatConfig.DEFAULT)
            .add("pat", "vma-walk", PatConfig.DEFAULT.withMode("vma-walk"))
            .add("pat", "memtype-tree", PatConfig.DEFAULT.withMode("memtype-tree"))
            .add("proxy", "map-time", ProxyConfig.DEFAULT.withMode("map-time"))
            .add("l1d-flush", "msr", new Flush("msr", 1))
            .build();

    private final ConfigLoader loader = new ConfigLoader(new WorkloadTypes("demo", Map.of(
            "demo", new Demo(4, List.of(new Lib("libc", 400))),
            "other", new Other(0.5))), ModelTypes.builtin(), SWITCHES, List.of());

    @TempDir
    Path dir;

    private RunConfig load(String json, String... sets) throws IOException {
        Path f = dir.resolve("c.json");
        Files.writeString(f, json);
        return loader.load(f, List.of(sets));
    }

    private String error(String json, String... sets) {
        try {
            load(json, sets);
        } catch (ConfigException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a ConfigException for " + json);
    }

    @Test
    void shouldFillEveryDefaultFromAnEmptyObject() throws IOException {
        RunConfig c = load("{}");
        assertThat(c.seed()).isEqualTo(RunConfig.DEFAULT_SEED);
        assertThat(c.machine()).isEqualTo(MachineConfig.DEFAULT);
        assertThat(c.model()).isEqualTo(ModelConfig.DEFAULT);
        assertThat(c.workload()).isEqualTo(new Demo(4, List.of(new Lib("libc", 400))));
    }

    @Test
    void shouldAcceptAWorkloadAloneAndKeepOtherDefaults() throws IOException {
        RunConfig c = load("{\"workload\": {\"processes\": 9}}");
        assertThat(c.workload()).isEqualTo(new Demo(9, List.of(new Lib("libc", 400))));
        assertThat(c.machine().tlb().l1d().entries()).isEqualTo(64);
    }

    @Test
    void shouldMergeNestedObjectsKeyByKey() throws IOException {
        RunConfig c = load("{\"machine\": {\"tlb\": {\"l1d\": {\"entries\": 128}}}}");
        assertThat(c.machine().tlb().l1d().entries()).isEqualTo(128);
        assertThat(c.machine().tlb().l1d().ways()).isEqualTo(4);
        assertThat(c.machine().tlb().l2().entries()).isEqualTo(1536);
    }

    @Test
    void shouldUseTheDefaultsOfTheChosenWorkloadType() throws IOException {
        RunConfig c = load("{\"workload\": {\"type\": \"other\"}}");
        assertThat(c.workload()).isEqualTo(new Other(0.5));
    }

    @Test
    void shouldNameThePathOfAnImpossibleValue() {
        assertThat(error("{\"machine\": {\"tlb\": {\"l1d\": {\"ways\": 3}}}}"))
                .isEqualTo("machine.tlb.l1d.ways: 3 does not divide entries 64");
    }

    @Test
    void shouldNameThePathOfAnUnknownKeyAndListTheKnownOnes() {
        assertThat(error("{\"machine\": {\"tlb\": {\"l1d\": {\"entires\": 64}}}}"))
                .startsWith("machine.tlb.l1d.entires: unknown key")
                .contains("entries", "ways", "replacement");
        assertThat(error("{\"colour\": 1}")).startsWith("colour: unknown key");
    }

    @Test
    void shouldNameThePathOfAWrongType() {
        assertThat(error("{\"machine\": {\"cpus\": \"4\"}}")).isEqualTo("machine.cpus: expected an integer, got \"4\"");
        assertThat(error("{\"machine\": {\"cpus\": 2.5}}")).isEqualTo("machine.cpus: expected an integer, got 2.5");
        assertThat(error("{\"kernel\": {\"audit\": 1}}")).isEqualTo("kernel.audit: expected true or false, got 1");
        assertThat(error("{\"machine\": 4}")).isEqualTo("machine: expected an object, got 4");
    }

    @Test
    void shouldNameListElementsInPaths() {
        assertThat(error("{\"workload\": {\"libraries\": [{\"name\": \"a\", \"textPages\": 1}, {\"name\": \"b\", \"textPages\": 0}]}}"))
                .isEqualTo("workload.libraries[1].textPages: 0 must be positive");
        assertThat(error("{\"workload\": {\"libraries\": [{\"name\": \"a\"}]}}"))
                .isEqualTo("workload.libraries[0].textPages: missing");
    }

    @Test
    void shouldListAllowedValuesOfEnumsAndTypes() {
        assertThat(error("{\"model\": {\"name\": \"mpk\"}}"))
                .isEqualTo("model.name: \"mpk\" is not one of conventional, pcid, sasos, shared-asid, vas");
        assertThat(error("{\"workload\": {\"type\": \"fork\"}}"))
                .isEqualTo("workload.type: \"fork\" is not one of demo, other");
    }

    @Test
    void shouldRejectCrossFieldContradictions() {
        assertThat(error("{\"model\": {\"asidBits\": 14}}"))
                .isEqualTo("model.asidBits: 14 exceeds the TLB's tag width machine.tlb.asidBits 12");
        assertThat(error("{\"model\": {\"name\": \"sasos\"}, \"machine\": {\"walker\": {\"levels\": 4}}}"))
                .startsWith("machine.walker.levels: 4 gives 48-bit addresses");
    }

    @Test
    void shouldRunTheChecksOfTheModulesAboveOnEveryBoundConfig() {
        // the loader knows no replacement policies; the hardware module's check (here a stand-in) does
        ConfigLoader checked = new ConfigLoader(new WorkloadTypes("demo", Map.of("demo", new Demo(1, List.of()))),
                ModelTypes.builtin(), MechanismTypes.none(), List.of(c -> Check.that(!c.machine().tlb().l2().replacement().equals("fifo"),
                        "machine.tlb.l2.replacement", "no fifo here")));
        assertThat(checked.fromTree(ConfigLoader.object()).machine().tlb().l2().replacement()).isEqualTo("lru");
        assertThatThrownBy(() -> checked.fromTree(ConfigLoader.object(), List.of("machine.tlb.l2.replacement=fifo")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("machine.tlb.l2.replacement: no fifo here");
    }

    /** A plugin's model config: its own record, its own keys. */
    public record Keyed(String name, int keyBits) implements ProtectionModelConfig {
        public Keyed {
            Check.range("keyBits", keyBits, 1, 16);
        }

        @Override
        public void check(MachineConfig machine) {
            Check.that(keyBits <= machine.tlb().asidBits(), "model.keyBits", keyBits + " exceeds the TLB's tag width");
        }
    }

    private static JsonNode tree(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private ConfigLoader withKeyedModel() {
        Map<String, ProtectionModelConfig> models = new java.util.HashMap<>(ModelTypes.builtin().all());
        models.put("keyed", new Keyed("keyed", 4));
        return new ConfigLoader(new WorkloadTypes("demo", Map.of("demo", new Demo(1, List.of()))),
                new ModelTypes(models), MechanismTypes.none(), List.of());
    }

    @Test
    void shouldBindEachModelNameToItsOwnRecordAsStrictlyAsTheBuiltIns() {
        ConfigLoader l = withKeyedModel();
        RunConfig c = l.fromTree(tree("{\"model\": {\"name\": \"keyed\", \"keyBits\": 6}}"));
        assertThat(c.model()).isEqualTo(new Keyed("keyed", 6));
        // the resolved config names the model first and reads back to the same record
        assertThat(l.toJson(c)).contains("\"model\" : {\n    \"name\" : \"keyed\",\n    \"keyBits\" : 6\n  }");
        assertThat(l.fromTree(l.toTree(c))).isEqualTo(c);
        // the built-ins' keys are not the plugin model's
        assertThatThrownBy(() -> l.fromTree(tree("{\"model\": {\"name\": \"keyed\", \"asidSlots\": 4}}")))
                .hasMessageStartingWith("model.asidSlots: unknown key (known keys: keyBits, name)");
        assertThatThrownBy(() -> l.fromTree(tree("{\"model\": {\"name\": \"keyed\", \"keyBits\": 0}}")))
                .hasMessage("model.keyBits: 0 is outside 1..16");
        assertThatThrownBy(() -> l.fromTree(tree("{\"model\": {\"name\": \"keyed\", \"keyBits\": 13}}")))
                .hasMessage("model.keyBits: 13 exceeds the TLB's tag width");
        // and a built-in is still the shared record, every key in place
        assertThat(l.fromTree(tree("{\"model\": {\"name\": \"pcid\", \"asidSlots\": 4}}")).model())
                .isEqualTo(new ModelConfig(ModelName.PCID, AsidPolicy.PERCPU_SLOTS, 4, 8, 32, ForkCopy.EAGER));
        assertThatThrownBy(() -> l.fromTree(tree("{\"model\": {\"name\": \"mpk\"}}")))
                .hasMessage("model.name: \"mpk\" is not one of conventional, keyed, pcid, sasos, shared-asid, vas");
    }

    @Test
    void shouldDefaultToMesiAndALowLatencyNvmeDisk() throws IOException {
        MachineConfig m = load("{}").machine();
        assertThat(m.coherence()).isEqualTo(CoherenceProtocol.MESI);
        // 10 us at 3 GHz, 5 requests in service, interrupts on the submitter
        assertThat(m.disk().latency()).isEqualTo(new DiskLatencyConfig(Distribution.LOGNORMAL, 30_000, 0.05));
        assertThat(m.disk().parallelRequests()).isEqualTo(5);
        assertThat(m.disk().irq()).isEqualTo(IrqRouting.SUBMITTER);
        DiskConfig d = load("{\"machine\": {\"coherence\": \"none\", \"disk\": {\"irq\": \"fixed\", \"irqCpu\": 1,"
                + " \"latency\": {\"distribution\": \"fixed\"}}}}").machine().disk();
        assertThat(d.irqCpu()).isEqualTo(1);
        assertThat(d.latency().medianCycles()).isEqualTo(30_000); // merged key by key
        assertThat(d.latency().distribution()).isEqualTo(Distribution.FIXED);
    }

    @Test
    void shouldNameTheDiskAndCoherencePathsOfBadValues() {
        assertThat(error("{\"machine\": {\"coherence\": \"moesi\"}}"))
                .isEqualTo("machine.coherence: \"moesi\" is not one of mesi, none");
        assertThat(error("{\"machine\": {\"disk\": {\"irq\": \"fixed\", \"irqCpu\": 2}}}"))
                .isEqualTo("machine.disk.irqCpu: 2 is not a CPU of this machine (cpus 2)");
        assertThat(error("{\"machine\": {\"disk\": {\"queueDepth\": 2}}}"))
                .startsWith("machine.disk.queueDepth: unknown key (known keys: interruptCycles, irq, irqCpu,");
        assertThat(error("{\"machine\": {\"disk\": {\"parallelRequests\": 0}}}"))
                .isEqualTo("machine.disk.parallelRequests: 0 is outside 1..65536");
        assertThat(error("{\"machine\": {\"disk\": {\"latency\": {\"sigma\": 0}}}}"))
                .isEqualTo("machine.disk.latency.sigma: must be positive for lognormal");
        assertThat(error("{\"machine\": {\"disk\": {\"latency\": {\"distribution\": \"normal\"}}}}"))
                .isEqualTo("machine.disk.latency.distribution: \"normal\" is not one of fixed, lognormal, exponential");
    }

    @Test
    void shouldGiveSasosFiveLevelTablesByDefault() throws IOException {
        assertThat(load("{\"model\": {\"name\": \"sasos\"}}").machine().walker().levels()).isEqualTo(5);
        assertThat(load("{\"model\": {\"name\": \"pcid\"}}").machine().walker().levels()).isEqualTo(4);
    }

    @Test
    void shouldApplyOverridesBeforeValidation() throws IOException {
        RunConfig c = load("{}", "machine.cpus=8", "model.name=pcid", "workload.libraries[0].textPages=7", "seed=99");
        assertThat(c.machine().cpus()).isEqualTo(8);
        assertThat(c.model().name()).isEqualTo("pcid");
        assertThat(((Demo) c.workload()).libraries().get(0).textPages()).isEqualTo(7);
        assertThat(c.seed()).isEqualTo(99);
        assertThat(error("{}", "machine.cpus=0")).isEqualTo("machine.cpus: 0 is outside 1..64");
        assertThat(error("{}", "machine.cpu=4")).startsWith("machine.cpu: unknown key");
        assertThat(error("{}", "machine.cpus")).contains("expected path=value");
    }

    @Test
    void shouldNameFileLineAndColumnOfBadJson() throws IOException {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{\n  \"seed\": 1,\n  \"machine\": {\"cpus\": 2,}\n}\n");
        assertThatThrownBy(() -> loader.load(f, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ":3:")
                .hasMessageContaining("invalid JSON");
        Path g = dir.resolve("dup.json");
        Files.writeString(g, "{\"seed\": 1, \"seed\": 2}");
        assertThatThrownBy(() -> loader.load(g, List.of())).hasMessageContaining("seed");
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "");
        assertThatThrownBy(() -> loader.load(empty, List.of())).hasMessageContaining("empty");
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.json"), List.of())).hasMessageEndingWith("no such file");
    }

    @Test
    void shouldWriteTheResolvedConfigSoItLoadsBackEqual() throws IOException {
        RunConfig c = load("{\"seed\": 5, \"machine\": {\"cpus\": 4}, \"workload\": {\"type\": \"other\", \"rate\": 2}}");
        String json = loader.toJson(c);
        assertThat(json).contains("\"type\" : \"other\"");
        Path f = dir.resolve("resolved.json");
        Files.writeString(f, json);
        assertThat(loader.load(f, List.of())).isEqualTo(c);
    }

    @Test
    void shouldSetAndGetDottedPaths() {
        JsonNode root = ConfigLoader.object();
        ConfigPaths.set(root, "a.b.c", ConfigPaths.parseValue("3"));
        ConfigPaths.set(root, "a.name", ConfigPaths.parseValue("pcid"));
        assertThat(ConfigPaths.get(root, "a.b.c").asInt()).isEqualTo(3);
        assertThat(ConfigPaths.get(root, "a.name").asText()).isEqualTo("pcid");
        assertThat(ConfigPaths.get(root, "a.x")).isNull();
        assertThatThrownBy(() -> ConfigPaths.set(root, "a..b", ConfigPaths.parseValue("1")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldTurnEveryRegisteredSwitchOffByDefaultInRegistrationOrder() throws IOException {
        KernelConfig k = load("{}").kernel();
        assertThat(k.mechanisms().keySet()).containsExactly("ukva", "dma", "pat", "proxy", "l1d-flush");
        for (String sw : k.mechanisms().keySet()) {
            assertThat(k.mechanism(sw).mode()).as(sw).isEqualTo("none");
            assertThat(k.mechanism(sw).off()).as(sw).isTrue();
        }
        // a switch whose provider registered a record for none has its parameters while off; others only a mode
        assertThat(k.mechanism("ukva")).isEqualTo(UkvaConfig.DEFAULT);
        assertThat(k.mechanism("dma")).isEqualTo(MechanismConfig.Off.DEFAULT);
    }

    @Test
    void shouldBindEachModeToTheRecordItsSwitchRegistered() throws IOException {
        RunConfig c = load("{\"kernel\": {\"l1d-flush\": {\"mode\": \"msr\", \"lineCycles\": 2}}}",
                "kernel.ukva.mode=per-mm", "kernel.ukva.ringEntries=64");
        assertThat(c.kernel().mechanism("l1d-flush")).isEqualTo(new Flush("msr", 2));
        assertThat(c.kernel().mechanism("ukva")).isEqualTo(new UkvaConfig("per-mm", 64, false, 18));
        // written with the switches that are on, after the kernel's own keys, mode first; read back the same
        String json = loader.toJson(c);
        assertThat(json).contains("\"audit\" : false,\n    \"ukva\" : {\n      \"mode\" : \"per-mm\",\n"
                + "      \"ringEntries\" : 64,").contains("\"l1d-flush\" : {\n      \"mode\" : \"msr\",\n"
                + "      \"lineCycles\" : 2\n    }").doesNotContain("\"dma\"");
        assertThat(load(json)).isEqualTo(c);
    }

    @Test
    void shouldRefuseAnUnknownKeyOrBadValueInAPluginsModeRecordWithItsPath() {
        assertThat(error("{}", "kernel.l1d-flush.mode=msr", "kernel.l1d-flush.queueDepth=4"))
                .isEqualTo("kernel.l1d-flush.queueDepth: unknown key (known keys: lineCycles, mode)");
        assertThat(error("{}", "kernel.l1d-flush.mode=msr", "kernel.l1d-flush.lineCycles=-1"))
                .isEqualTo("kernel.l1d-flush.lineCycles: -1 is outside 0..100");
        // the same switch while off takes no parameters: its none record is {"mode": "none"}
        assertThat(error("{}", "kernel.l1d-flush.lineCycles=1"))
                .isEqualTo("kernel.l1d-flush.lineCycles: unknown key (known keys: mode)");
        assertThat(error("{\"kernel\": {\"l1d-flush\": \"msr\"}}"))
                .isEqualTo("kernel.l1d-flush: expected an object {\"mode\": ...}, got \"msr\"");
    }

    @Test
    void shouldRefuseAMechanismModeNamingItsPathAndTheModesThereAre() {
        assertThat(error("{\"kernel\": {\"ukva\": {\"mode\": \"per-thread\"}}}"))
                .isEqualTo("kernel.ukva.mode: \"per-thread\" is not one of none, per-mm, per-task");
        assertThat(error("{}", "kernel.dma.mode=bounce-buffers"))
                .isEqualTo("kernel.dma.mode: \"bounce-buffers\" is not one of none, shared-pool, iommu-strict");
        assertThat(error("{\"kernel\": {\"proxy\": {\"mode\": 3}}}"))
                .isEqualTo("kernel.proxy.mode: 3 is not one of none, map-time");
        assertThat(error("{}", "kernel.pat.mode=mtrr"))
                .isEqualTo("kernel.pat.mode: \"mtrr\" is not one of none, vma-walk, memtype-tree");
    }

    @Test
    void shouldRefuseAnUnknownKeyUnderAMechanismSwitch() {
        assertThat(error("{\"kernel\": {\"pat\": {\"mode\": \"none\", \"slots\": 3}}}"))
                .startsWith("kernel.pat.slots: unknown key").contains("mode");
        assertThat(error("{\"kernel\": {\"iommu\": {\"mode\": \"none\"}}}"))
                .isEqualTo("kernel.iommu: unknown key (known keys: audit, lookaheadCycles, quantumCycles, "
                        + "refsPerEntry, textPages; mechanism switches: dma, l1d-flush, pat, proxy, ukva)");
    }

    @Test
    void shouldLeaveSwitchesThatAreOffOutOfTheWrittenConfigAndReadThemBackOff() throws IOException {
        RunConfig c = load("{\"kernel\": {\"proxy\": {\"mode\": \"none\"}}}");
        String json = loader.toJson(c);
        assertThat(json).contains("\"audit\"").doesNotContain("ukva", "\"dma\"", "\"pat\"", "proxy", "l1d-flush");
        assertThat(load(json)).isEqualTo(c);
    }

    @Test
    void shouldDefaultToTheSerialCoreAndReadTheIntervalCoreWithItsWindow() throws IOException {
        assertThat(load("{}").machine().core()).isEqualTo(new CoreConfig(CoreModel.SERIAL, 224, 4));
        CoreConfig c = load("{\"machine\": {\"core\": {\"model\": \"interval\", \"robEntries\": 192}}}").machine().core();
        assertThat(c.model()).isEqualTo(CoreModel.INTERVAL);
        assertThat(c.windowCycles()).isEqualTo(192 / 4);
        assertThat(load("{}", "machine.core.model=interval").machine().core().model()).isEqualTo(CoreModel.INTERVAL);
    }

    @Test
    void shouldRefuseAnUnknownCoreModelAWindowNotAMultipleOfTheWidthAndUnknownCoreKeys() {
        assertThat(error("{\"machine\": {\"core\": {\"model\": \"ooo\"}}}")).startsWith("machine.core.model:");
        assertThat(error("{\"machine\": {\"core\": {\"robEntries\": 225}}}"))
                .isEqualTo("machine.core.robEntries: 225 is not a multiple of dispatchWidth 4");
        assertThat(error("{\"machine\": {\"core\": {\"rob\": 224}}}")).startsWith("machine.core.rob: unknown key");
        assertThat(error("{\"machine\": {\"cyclesPerReference\": 0, \"core\": {\"model\": \"interval\"}}}"))
                .isEqualTo("machine.cyclesPerReference: must be at least 1 with machine.core.model interval");
    }
}
