// Command trun runs Go tests across a module with parallelism, retries and
// reports.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/clidevtools/internal/testrunner"
)

func main() {
	os.Exit(run())
}

func run() int {
	dir := flag.String("C", ".", "module directory")
	par := flag.Int("p", 4, "parallel packages")
	csvOut := flag.String("csv", "", "write a CSV report")
	junit := flag.String("junit", "", "write a JUnit report")
	hard := flag.Duration("hard-timeout", 0, "kill the whole run after this long")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *hard > 0 {
		t := time.AfterFunc(*hard, func() {
			fmt.Fprintln(os.Stderr, "trun: hard timeout reached")
			os.Exit(3)
		})
		defer t.Stop()
	}

	r := testrunner.New(*dir)
	r.Parallel = *par
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	results, err := r.SuiteTimed(ctx, patterns...)
	if err != nil && len(results) == 0 {
		fmt.Fprintln(os.Stderr, "trun:", err)
		return 2
	}
	if err := writeReports(results, *csvOut, *junit); err != nil {
		fmt.Fprintln(os.Stderr, "trun:", err)
		return 2
	}
	sum := testrunner.Summarize(results)
	sum.Print(os.Stdout)
	if sum.Failed > 0 || len(sum.Failing) > 0 {
		return 1
	}
	return 0
}

func writeReports(results []testrunner.Result, csvPath, junitPath string) error {
	if csvPath != "" {
		if err := testrunner.WriteCSVChecked(csvPath, results); err != nil {
			return err
		}
	}
	if junitPath != "" {
		if err := testrunner.WriteJUnit(junitPath, results); err != nil {
			return err
		}
	}
	return nil
}
