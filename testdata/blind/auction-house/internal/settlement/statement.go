package settlement

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"
)

// Statement is what a bidder won on one day.
type Statement struct {
	Bidder string
	Day    time.Time
	Lines  []Entry
}

// Statements groups entries by winner.
func Statements(day time.Time, entries []Entry) []Statement {
	by := make(map[string]*Statement)
	for _, e := range entries {
		st, ok := by[e.Winner]
		if !ok {
			st = &Statement{Bidder: e.Winner, Day: day}
			by[e.Winner] = st
		}
		st.Lines = append(st.Lines, e)
	}
	out := make([]Statement, 0, len(by))
	for _, st := range by {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Bidder < out[j].Bidder })
	return out
}

// Total is what the bidder owes.
func (s Statement) Total() (amount, fees int64) {
	for _, e := range s.Lines {
		amount += e.Amount
		fees += e.Fee
	}
	return amount, fees
}

// WriteStatement writes a bidder's statement as plain text.
func WriteStatement(path string, st Statement) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	defer f.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	fmt.Fprintf(bw, "Statement for %s, %s\n\n", st.Bidder, st.Day.Format(dayLayout))
	for _, e := range st.Lines {
		fmt.Fprintf(bw, "%-12s %12s  fee %10s\n", e.LotID, money(e.Amount), money(e.Fee))
	}
	amount, fees := st.Total()
	fmt.Fprintf(bw, "\nTotal due: %s\n", money(amount+fees))
	return nil
}

// WriteStatementChecked is the variant used for statements that are mailed:
// flush and close are checked in the right order on the success path; the
// deferred close only covers early returns.
func WriteStatementChecked(path string, st Statement) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "Statement for %s, %s\n\n", st.Bidder, st.Day.Format(dayLayout))
	for _, e := range st.Lines {
		fmt.Fprintf(bw, "%-12s %12s  fee %10s\n", e.LotID, money(e.Amount), money(e.Fee))
	}
	amount, fees := st.Total()
	fmt.Fprintf(bw, "\nTotal due: %s\n", money(amount+fees))
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// WriteStatements writes one statement file per bidder into dir. Each file
// is handled in its own function call, so each is closed before the next
// is opened.
func WriteStatements(dir string, sts []Statement) error {
	var errs []error
	for _, st := range sts {
		path := fmt.Sprintf("%s/statement-%s-%s.txt", dir, st.Bidder, st.Day.Format(dayLayout))
		if err := WriteStatementChecked(path, st); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", st.Bidder, err))
		}
	}
	return errors.Join(errs...)
}

func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}
