package writes

import (
	"fmt"
	"os"
)

// The controlling terminal, opened for reading and writing: what is written goes straight to the
// device, and closing it cannot lose any of it.
func withTerminal(f func(in, out *os.File) error) error {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer tty.Close()
	return f(tty, tty)
}

// The Windows console, by its device name.
func withConsole(msg string) error {
	out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer out.Close()
	_, err = fmt.Fprintln(out, msg)
	return err
}

// A regular file under a name the caller gives: its close can fail. Reported.
func writeDeviceReport(path, msg string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the file opened for writing by os\.OpenFile`
	_, err = fmt.Fprintln(f, msg)
	return err
}

// The kernel's pseudo-filesystem: the write itself succeeds or fails, and closing loses nothing.
func setOOMScore(pid, score int) error {
	f, err := os.OpenFile(fmt.Sprintf("/proc/%d/oom_score_adj", pid), os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = fmt.Fprintf(f, "%d", score)
	return err
}

// Built by concatenation under /sys.
func setGovernor(cpu, gov string) error {
	f, err := os.OpenFile("/sys/devices/system/cpu/"+cpu+"/cpufreq/scaling_governor", os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(gov)
	return err
}

// A Sprintf whose format is not under a pseudo-filesystem: a regular file. Reported.
func writePidFile(dir string, pid int) error {
	f, err := os.OpenFile(fmt.Sprintf("%s/app.pid", dir), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f\.Close\(\) discards the error of the file opened for writing by os\.OpenFile`
	_, err = fmt.Fprintf(f, "%d\n", pid)
	return err
}
