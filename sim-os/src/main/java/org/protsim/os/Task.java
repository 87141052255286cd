package org.protsim.os;

/** A thread: its program, its reference buffer, and where it runs. */
public final class Task {
    public enum State { RUNNABLE, RUNNING, BLOCKED, EXITED }

    private final int tid;
    final Process process;
    TaskProgram program;
    final RefBuffer refs = new RefBuffer(1024);
    State state = State.RUNNABLE;
    /** The CPU it last ran on, -1 if never. */
    int lastCpu = -1;
    /** The first-class address space it runs in (vas), or null for its process's own. */
    public Mm vas;

    Task(int tid, Process process, TaskProgram program) {
        this.tid = tid;
        this.process = process;
        this.program = program;
    }

    public int tid() {
        return tid;
    }

    public Process process() {
        return process;
    }

    public State state() {
        return state;
    }

    public Mm vas() {
        return vas;
    }

    @Override
    public String toString() {
        return "Task[" + tid + " of " + process.pid() + "]";
    }
}
