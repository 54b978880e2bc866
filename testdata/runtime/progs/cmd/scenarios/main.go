// Command scenarios starts goroutines in the situations deferguard's runtime
// side must recognise (blocked on channels, locks, a deferred call, leaked on
// a send, labelled, locked to a thread, deep recursion) and then produces one
// kind of goroutine dump, chosen by -mode:
//
//	profile  write goroutine profiles debug=1 and debug=2 into -out
//	leak     write the goroutineleak profile (GOEXPERIMENT=goroutineleakprofile) into -out
//	panic    panic in main (run with GOTRACEBACK=all to see every goroutine)
//	sigquit  send SIGQUIT to itself (the runtime prints every goroutine and exits)
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"
)

func main() {
	mode := flag.String("mode", "profile", "profile, leak, panic or sigquit")
	out := flag.String("out", ".", "directory for profile files")
	flag.Parse()

	ready := startAll()
	for i := 0; i < ready; i++ {
		<-started
	}
	// Let every goroutine reach its blocking point.
	time.Sleep(200 * time.Millisecond)

	switch *mode {
	case "profile":
		must(writeProfile(filepath.Join(*out, "goroutine-debug1.txt"), "goroutine", 1))
		must(writeProfile(filepath.Join(*out, "goroutine-debug2.txt"), "goroutine", 2))
	case "leak":
		if pprof.Lookup("goroutineleak") == nil {
			fmt.Fprintln(os.Stderr, "goroutineleak profile not available (build with GOEXPERIMENT=goroutineleakprofile, Go 1.26+)")
			os.Exit(3)
		}
		must(writeProfile(filepath.Join(*out, "goroutineleak-debug1.txt"), "goroutineleak", 1))
		must(writeProfile(filepath.Join(*out, "goroutineleak-debug2.txt"), "goroutineleak", 2))
	case "panic":
		failRequest("order 42")
	case "sigquit":
		must(syscall.Kill(os.Getpid(), syscall.SIGQUIT))
		time.Sleep(5 * time.Second)
		fmt.Fprintln(os.Stderr, "SIGQUIT was not delivered")
		os.Exit(4)
	default:
		fmt.Fprintln(os.Stderr, "unknown -mode", *mode)
		os.Exit(2)
	}
}

func failRequest(id string) {
	panic(fmt.Sprintf("cannot process %s: inventory unavailable", id))
}

func writeProfile(path, name string, debug int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
