package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.ModelName;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exhaustive dispatch (STYLE.md practice 18): every kind of system call has exactly one handler. */
class SyscallTableTest {

    @Test
    void shouldHaveAHandlerForEveryPermittedSubtypeOfOp() {
        Harness h = Harness.of(ModelName.CONVENTIONAL, 1);
        List<Class<?>> permitted = Arrays.stream(Op.class.getPermittedSubclasses())
                .filter(c -> c != Op.Refs.class) // run by the CPU loop, not a system call
                .toList();
        // 16 subtypes today: Refs and 14 system calls of the kernel's own, and MechanismOp for the mechanisms'
        assertThat(permitted).hasSize(Op.class.getPermittedSubclasses().length - 1).contains(Op.MechanismOp.class);
        assertThat(h.kernel.syscallTable().missing()).isEmpty();
        assertThat(h.kernel.syscallTable().handled()).containsExactlyInAnyOrderElementsOf(permitted);
    }

    @Test
    void shouldRefuseToBootWithoutAHandlerNamingTheMissingOps() {
        SyscallTable t = new SyscallTable();
        t.register(Op.Yield.class, (r, task, y) -> { });
        assertThat(t.missing()).contains(Op.Fork.class, Op.MechanismOp.class).doesNotContain(Op.Yield.class, Op.Refs.class);
        assertThatThrownBy(t::checkComplete).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Fork").hasMessageContaining("MechanismOp");
    }

    @Test
    void shouldRefuseASecondHandlerForOneOp() {
        SyscallTable t = new SyscallTable();
        t.register(Op.Yield.class, (r, task, y) -> { });
        assertThatThrownBy(() -> t.register(Op.Yield.class, (r, task, y) -> { }))
                .hasMessageContaining("two handlers for Yield");
    }
}
