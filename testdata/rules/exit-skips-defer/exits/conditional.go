package exits

import (
	"fmt"
	"log"
	"os"
)

// fatalIf ends the process when err is set.
func fatalIf(err error, what string) {
	if err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
	os.Exit(1)
}

// check logs a failure and goes on.
func check(err error, what string) {
	if err != nil {
		log.Printf("%s: %v", what, err)
	}
}

// must exits inside its test.
func must(err error) {
	if err != nil {
		log.Fatalf("fatal: %v", err)
	}
}

func runSpool(dir string) {
	f, err := os.CreateTemp(dir, "spool")
	fatalIf(err, "create spool")
	defer os.Remove(f.Name())
	_, err = f.WriteString("header\n")
	fatalIf(err, "write header") // want `fatalIf → os\.Exit ends the process here in runSpool \(fatalIf exits depending on its err argument\) while the deferred os\.Remove\(f\.Name\(\)\)`
	must(f.Close())              // want `must → log\.Fatalf ends the process here in runSpool \(must exits depending on its err argument\)`
}

// A helper that only logs does not end the process.
func runChecked(dir string) {
	f, err := os.CreateTemp(dir, "spool")
	if err != nil {
		return
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString("header\n")
	check(err, "write header")
	check(f.Close(), "close")
}

var errUsage = fmt.Errorf("usage: put KEY VALUE")

// A command returning an error, which exits only deep in one branch: not a helper for exiting.
func cmdPut(args []string) error {
	if len(args) != 2 {
		return errUsage
	}
	if args[1] == "-" {
		if _, err := os.Stdin.Stat(); err != nil {
			log.Fatalf("read value from stdin: %v", err)
		}
	}
	return nil
}

func runCommand(args []string) error {
	f, err := os.CreateTemp("", "cmd")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	return cmdPut(args)
}
