// Command hello writes a greeting to a file and reads it back. It is a small example for
// deferguard: its defers close what it opens, one of them sits in a loop, and worker.go
// shows two more hazards.
package main

import (
	"fmt"
	"os"
	"sync"
)

func write(path, text string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	// The error of Close matters for a file that was written to.
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = fmt.Fprintln(f, text)
	return err
}

func readAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // runs when readAll returns, not at the end of each iteration
		buf := make([]byte, 64)
		n, _ := f.Read(buf)
		fmt.Printf("%s: %s", p, buf[:n])
	}
	return nil
}

func main() {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()

	path := os.TempDir() + "/hello.txt"
	if err := write(path, "hello, world"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := readAll([]string{path}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
