//go:build go1.21

// This file is shared verbatim with the ftpsrv 1.x maintenance branch,
// which still builds with Go 1.21.

package server

import (
	"fmt"
	"log"
	"os"
	"sync"
)

// CheckHomes stats every user's home directory concurrently at start-up,
// so that a misconfigured home shows up in the log before the first login
// fails. The result has one entry per home, nil when it is usable.
func CheckHomes(homes []string, verbose bool) []error {
	errs := make([]error, len(homes))
	var wg sync.WaitGroup
	for i := 0; i < len(homes); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			fi, err := os.Stat(homes[i])
			if err == nil && !fi.IsDir() {
				err = fmt.Errorf("%s: not a directory", homes[i])
			}
			errs[i] = err
		}()
		if verbose {
			log.Printf("ftp: checking home %s", homes[i])
		}
	}
	wg.Wait()
	return errs
}
