package ledger

import (
	"bufio"
	"errors"
	"fmt"
	"strconv"
	"time"

	"example.com/up8/internal/fsutil"
)

// lineWriter writes journal lines. Flush, Write and WriteString are promoted
// from the embedded *bufio.Writer.
type lineWriter struct {
	*bufio.Writer
	lines int
}

func (w *lineWriter) writeLine(format string, args ...any) error {
	w.lines++
	_, err := fmt.Fprintf(w, format+"\n", args...)
	return err
}

// ExportJournal appends the journal to the text file at path.
func (l *Ledger) ExportJournal(path string) (err error) {
	f, err := fsutil.Append(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	lw := &lineWriter{Writer: bufio.NewWriter(f)}
	defer lw.Flush() // HAZ defer-close-unchecked-write
	for _, e := range l.Journal() {
		if err := lw.writeLine("%s %s -> %s %d", e.At.Format(time.RFC3339), e.From, e.To, e.Amount); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSV writes the balances to path as CSV.
func (l *Ledger) ExportCSV(path string) (err error) {
	f, err := fsutil.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	if _, err := bw.WriteString("account,balance\n"); err != nil {
		return err
	}
	for _, a := range l.Accounts() {
		if _, err := bw.WriteString(a.ID + "," + strconv.FormatInt(a.Balance, 10) + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// ExportBalances writes "id balance" lines to path.
func (l *Ledger) ExportBalances(path string) error {
	f, err := fsutil.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, a := range l.Accounts() {
		if _, err := fmt.Fprintf(bw, "%s %d\n", a.ID, a.Balance); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
