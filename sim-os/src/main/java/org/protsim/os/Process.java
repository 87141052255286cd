package org.protsim.os;

import java.util.ArrayList;
import java.util.List;

/** A process: an address space and the tasks (threads) running in it. */
public final class Process {
    private final int pid;
    private final Process parent;
    Mm mm;
    Image image;
    final List<Task> tasks = new ArrayList<>();
    boolean alive = true;
    int exitStatus;
    /** A vfork child sharing its parent's mm: the parent waits until the child execs or exits. */
    Task vforkParent;

    Process(int pid, Process parent) {
        this.pid = pid;
        this.parent = parent;
    }

    public int pid() {
        return pid;
    }

    public Process parent() {
        return parent;
    }

    public Mm mm() {
        return mm;
    }

    public Image image() {
        return image;
    }

    public boolean alive() {
        return alive;
    }

    public List<Task> tasks() {
        return List.copyOf(tasks);
    }

    @Override
    public String toString() {
        return "Process[" + pid + "]";
    }
}
