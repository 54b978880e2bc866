// Command up8-migrate replays a legacy billing journal into the ledger and
// exports the resulting balances.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"

	"example.com/up8/internal/fsutil"
	"example.com/up8/internal/ledger"
)

// app carries the migration's state.
type app struct {
	log    *log.Logger
	ledger *ledger.Ledger
}

// fail logs a fatal error and exits.
func (a *app) fail(format string, args ...any) {
	a.log.Fatalf(format, args...)
}

func main() {
	a := &app{log: log.New(os.Stderr, "up8-migrate: ", 0), ledger: ledger.New()}
	in := flag.String("in", "", "legacy journal (one \"account amount\" per line)")
	out := flag.String("out", "balances.txt", "balance export")
	flag.Parse()
	if *in == "" {
		a.fail("-in is required")
	}
	lockPath := *out + ".lock"
	if err := os.WriteFile(lockPath, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		a.fail("lock: %v", err)
	}
	defer os.Remove(lockPath)
	if err := a.migrate(*in); err != nil {
		a.fail("migrate %s: %v", *in, err) // HAZ exit-skips-defer
	}
	if err := a.ledger.ExportBalances(*out); err != nil {
		a.log.Printf("export: %v", err)
		return
	}
	a.log.Printf("wrote %s", *out)
}

// migrate replays the journal at path.
func (a *app) migrate(path string) error {
	lines, err := fsutil.ReadLines(path)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, line := range lines {
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return fmt.Errorf("line %d: want \"account amount\"", i+1)
		}
		amt, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
		if !seen[fields[0]] {
			if err := a.ledger.Open(fields[0], 0); err != nil {
				return err
			}
			seen[fields[0]] = true
		}
		if amt < 0 {
			err = a.ledger.Withdraw(fields[0], -amt)
		} else {
			err = a.ledger.Deposit(fields[0], amt)
		}
		if err != nil && !errors.Is(err, ledger.ErrAmount) {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	return nil
}
