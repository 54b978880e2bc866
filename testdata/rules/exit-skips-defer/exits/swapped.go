package exits

import (
	"fmt"
	"os"
)

// exitProcess is os.Exit outside tests, which swap it out.
var exitProcess = os.Exit

// dieWith prints a message and ends the process through exitProcess.
func dieWith(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	exitProcess(1)
}

// The report file is created, then the process ends through the helper with its close pending.
func writeSummary(path string, lines []string) {
	f, err := os.Create(path)
	if err != nil {
		dieWith("create: %v", err)
	}
	defer f.Close()
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			dieWith("write: %v", err) // want `dieWith → os\.Exit ends the process here in writeSummary while the deferred f\.Close\(\) \(line \d+\) is pending`
		}
	}
}

// tool carries its exit so that tests can replace it.
type tool struct {
	exit func(int)
	out  *os.File
}

func newTool() *tool { return &tool{exit: os.Exit, out: os.Stdout} }

// The lock file is removed by the deferred call, which the exit through the field skips.
func (t *tool) verify(lock string, bad int) {
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.exit(1)
	}
	defer os.Remove(lock)
	if bad > 0 {
		fmt.Fprintf(t.out, "%d corrupt entries\n", bad)
		t.exit(3) // want `os\.Exit ends the process here in tool\.verify while the deferred os\.Remove\(lock\) \(line \d+\) is pending`
	}
}
