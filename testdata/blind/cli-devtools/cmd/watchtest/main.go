// Command watchtest reruns the tests of a module whenever a file changes.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/clidevtools/internal/lockfile"
	"example.com/clidevtools/internal/testrunner"
)

func printResults(results []testrunner.Result) {
	fmt.Print("\033[H\033[2J")
	fmt.Println(time.Now().Format(time.TimeOnly))
	testrunner.Summarize(results).Print(os.Stdout)
}

func main() {
	dir := flag.String("C", ".", "module directory")
	every := flag.Duration("every", time.Second, "poll interval")
	flag.Parse()
	r := testrunner.New(*dir)
	pkgs, err := r.Packages(context.Background(), "./...")
	if err != nil {
		log.Fatal(err)
	}
	lf, err := lockfile.Acquire(filepath.Join(*dir, ".watchtest.lock"))
	if err != nil {
		log.Fatal(err)
	}
	defer lf.Release() // HAZ signal-skips-defer
	var last time.Time
	for {
		changed, err := r.WaitForChange(context.Background(), last)
		if err != nil {
			log.Print(err)
			time.Sleep(*every)
			continue
		}
		last = changed
		results, _ := r.RunAll(context.Background(), pkgs)
		printResults(results)
		time.Sleep(*every)
	}
}
