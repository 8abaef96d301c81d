// Package runner runs an exercise's check — a testscript script — outside `go
// test`, with the learner's Go environment, and reports what happens as one
// ordered stream of typed events (see Event) that the terminal and the site
// both render.
//
// # Bounds
//
// Every go command of a check is a step, bounded in time (StepTimeout, and
// CheckTimeout for the whole check), in output (OutputLimit) and, for the
// learner's programs, in memory (MemoryLimit). At a bound, on a cancellation
// (Ctrl-C, a closed tab, Stop) or when a newer run supersedes the check (see
// Latest), the step is stopped: interrupt, a second of grace for a test binary
// to print where it hung, then kill. testscript's own deadline is not used:
// it would kill the go command alone and orphan the test binary. A test binary
// that hangs in init, which -test.timeout never ends, ends at the step's bound
// all the same. When a check ends, nothing it started is running and its work
// directory is gone.
//
// # No process outlives its check
//
// A step is the go command and every process below it, whatever they do with
// sessions and process groups. Every process of a check carries the check's
// mark, WORKBOOK_CHECK_DIR (its work directory), in its environment.
//
// On Linux the workbook makes itself a child subreaper (PR_SET_CHILD_SUBREAPER):
// an orphan among its descendants — a learner's child whose parent exited, a
// test binary whose go command was killed — is reparented to the workbook
// instead of to init, so it stays in reach. While a step runs, the workbook
// walks /proc: the step's processes are the go command, everything below it,
// and every child of the workbook that carries the check's mark (or, with its
// environment cleared, works inside the check's directory). A process is
// known by its pid and its start time, and signalled through a pidfd, so
// that a pid reused by another process is never touched. When the step ends —
// it exited, timed out, was stopped, hit a bound — whatever is left is killed,
// and the step returns only once all of it is gone: dead, and reaped. The
// workbook reaps the orphans it inherited by their own pid, never with
// wait4(-1), which would take the exit status of the children os/exec waits for
// (the go command, and other commands the workbook runs). The orphans it
// inherits from those other commands (a browser the opener left) are reaped too,
// once they exit, when no pidfd of os/exec holds them (see strays_linux.go).
//
// Why a subreaper and not a cgroup v2 with cgroup.kill and memory.max, which
// would be exact without any polling: a process may only make cgroups where
// its cgroup tree is delegated to it. That holds in a systemd user session,
// and not in containers, in WSL, on CI runners, or on the cgroup v1 and hybrid
// hosts that lab machines often still are; and the workbook would have to move
// itself into a leaf cgroup of its own to enable the memory controller. A
// subreaper needs no privilege on any Linux since 3.4, so the one code path is
// the one that runs — and is tested — everywhere.
//
// The cost: a walk reads /proc/PID/stat of every process, about 20 µs each.
// A step walks at most every 100 ms, and no more often than 25 times the
// time a walk takes, so that tracking stays within 4 per cent of a core
// however many processes the machine runs; between walks it rereads only the
// learner's processes, every 50 ms, for the memory bound. A program that
// allocates as fast as it can gets a walk's interval of allocation past the
// bound before it is stopped (a few hundred MiB at worst).
//
// On Windows a step's processes are held in a Job Object with
// JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: the go command is created suspended, put
// in the job and only then resumed, so that everything it starts is in the job
// from its first instruction; a stopped step is ended with TerminateJobObject
// (Windows has no interrupt to give first); and when a workbook dies, its
// jobs kill their processes as their last handle closes.
//
// On macOS and the BSDs a step is its process group, as it always was: a
// process that leaves the group (setsid, setpgid) escapes the kill, and there
// is no memory bound.
//
// # Memory
//
// MemoryLimit (DefaultMemoryLimit, 1 GiB) bounds the memory of the learner's
// programs: the processes the go command runs from what it built — a test
// binary, a `go run` program — and everything they start; not the go command,
// the compiler, the linker, vet, cgo or the C compiler, which may use more
// than the bound on their own. On Linux the same walk sums the resident set
// sizes of those processes; above the bound they are killed at once, the step
// and the check end with ReasonMemory, and the learner reads one sentence,
// "The program used more than N MiB, so it was stopped: …", recorded by the
// check's verdict as that, not as a crash nor as a fault of the machine.
// RLIMIT_AS and RLIMIT_DATA would need no polling, but the race detector maps
// terabytes of address space for its shadow memory, so either limit breaks
// `go test -race`; resident memory is what the learner's program takes from
// the machine. On Windows the Job Object bounds each process's committed
// memory to MemoryLimit (JOB_OBJECT_LIMIT_PROCESS_MEMORY) and the whole job to
// MemoryLimit plus 2 GiB for the toolchain (JOB_OBJECT_LIMIT_JOB_MEMORY); a step
// that fails after coming within an eighth of either bound ends with
// ReasonMemory.
//
// # One check per core
//
// At most MaxChecks (GOMAXPROCS) checks run at once across every process that
// shares WorkRoot — every tab of `serve`, `check`, `watch` and `verify`. The
// slots are lock files (package filelock), so a workbook that dies frees its
// slot; a check that finds none free waits in line, with a ticket file whose
// name orders it by time, and is told its place (a queued event) whenever it
// changes. It can be stopped while it waits, and then ends at once. Its time
// bound starts when it runs. The background warm-up is no learner's check and
// takes no slot (Check.Background).
//
// # The sweep
//
// A work directory is in use exactly while its lock file is locked. When a
// Runner is made (New), it sweeps WorkRoot: a work directory whose lock no one
// holds was left by a workbook that was killed (SIGKILL, a power cut); on
// Linux every process still running for it (by its mark, or, for workbooks
// from before the mark, a program built and running inside it) is killed, and
// then the directory is removed, with the lock files of temporary work
// directories and the queue tickets of dead checks. On Linux the go command
// also dies with the workbook (Pdeathsig).
//
// # Verified only by compilation
//
// The Linux code is tested with real processes (contain_test.go). The Windows
// Job Object (process_windows.go), the LockFileEx locks of package filelock on
// Windows, and the process group of macOS and the BSDs (process_unix.go) are
// verified only by compilation (GOOS=windows and GOOS=darwin, amd64 and
// arm64, build and vet): in particular, whether the race detector on Windows
// commits memory that the per-process bound counts has not been tried.
package runner
