package workflow

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strconv"
)

// WriteReport writes a plain-text status report of runs to path.
func WriteReport(path string, runs []Run) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	closeFile := f.Close
	defer closeFile() // HAZ defer-close-unchecked-write
	for _, r := range runs {
		if _, err := fmt.Fprintf(f, "%-24s %-10s %d/%d\n", r.ID, r.State, len(r.Done), len(r.WF.Steps)); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSV writes runs to path as CSV.
func ExportCSV(path string, runs []Run) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	defer func() { // HAZ defer-order-inverted
		cw.Flush()
		err = errors.Join(err, cw.Error())
	}()
	defer func() { err = errors.Join(err, f.Close()) }()
	if err := cw.Write([]string{"id", "workflow", "state", "attempts"}); err != nil {
		return err
	}
	for _, r := range runs {
		if err := cw.Write([]string{r.ID, r.WF.Name, string(r.State), strconv.Itoa(r.Attempts)}); err != nil {
			return err
		}
	}
	return nil
}

// WriteSummary writes one line per state with the number of runs in it.
func WriteSummary(path string, runs []Run) error {
	counts := make(map[State]int)
	for _, r := range runs {
		counts[r.State]++
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, s := range []State{StatePending, StateQueued, StateRunning, StateDone, StateFailed, StateCancelled} {
		fmt.Fprintf(bw, "%s\t%d\n", s, counts[s])
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
