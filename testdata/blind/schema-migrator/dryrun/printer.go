// Package dryrun prints the statements a migration run would execute,
// without executing them: to the terminal, to plan files reviewed in pull
// requests, or to a standalone SQL script for a DBA.
package dryrun

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"example.com/migrator/migrate"
)

// Printer writes a dry-run plan. It is safe for concurrent use.
type Printer struct {
	mu    sync.Mutex
	w     *bufio.Writer
	n     int
	width int
}

// NewPrinter returns a Printer buffering into w; call Flush at the end.
func NewPrinter(w io.Writer) *Printer {
	return &Printer{w: bufio.NewWriter(w), width: 72}
}

// Statement prints one statement of a migration, numbered.
func (p *Printer) Statement(version int64, stmt string) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	p.n++
	if _, err := fmt.Fprintf(p.w, "-- [%d] version %d\n", p.n, version); err != nil {
		return err
	}
	if _, err := p.w.WriteString(stmt + ";\n"); err != nil {
		return err
	}
	p.mu.Unlock()
	return nil
}

// Comment prints a "--" comment; multi-line text gets one prefix per line.
func (p *Printer) Comment(format string, args ...interface{}) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	text := fmt.Sprintf(format, args...)
	for _, line := range strings.Split(text, "\n") {
		if _, err := fmt.Fprintf(p.w, "-- %s\n", line); err != nil {
			return err
		}
	}
	return nil
}

// Header prints the title block of a plan; it must come first.
func (p *Printer) Header(title string, migs int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n > 0 {
		return errors.New("dryrun: header after statements")
	}
	return p.Comment("%s\n%d migration(s), generated %s", title, migs, time.Now().Format(time.RFC3339)) // HAZ lock-reentry-under-defer
}

// Rule prints a separator line.
func (p *Printer) Rule() error {
	p.mu.Lock()
	_, err := p.w.WriteString(strings.Repeat("-", p.width) + "\n")
	p.mu.Unlock()
	return err
}

// Flush writes out what is buffered.
func (p *Printer) Flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.w.Flush()
}

// Count returns how many statements were printed.
func (p *Printer) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// Migration prints every statement of m in direction dir.
func (p *Printer) Migration(m migrate.Migration, dir migrate.Direction) error {
	if err := p.Comment("%s %s (from %s)", dir, m, m.Source); err != nil {
		return err
	}
	for _, stmt := range migrate.Statements(m.Script(dir)) {
		if err := p.Statement(m.Version, stmt); err != nil {
			return err
		}
	}
	return p.Rule()
}

// WritePlan writes the plan for migs to w.
func WritePlan(w io.Writer, migs []migrate.Migration, dir migrate.Direction) error {
	p := NewPrinter(w)
	if err := p.Comment("dry run: %d migration(s), direction %s", len(migs), dir); err != nil {
		return err
	}
	for _, m := range migs {
		if err := p.Migration(m, dir); err != nil {
			return err
		}
	}
	if len(migs) == 0 {
		if err := p.Comment("nothing to do"); err != nil {
			return err
		}
	}
	return p.Flush()
}

// WritePlanFile writes the plan to a new file at path.
func WritePlanFile(path string, migs []migrate.Migration, dir migrate.Direction) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return WritePlan(f, migs, dir)
}

// AppendPlanLog appends the plan to a running log of every dry run.
func AppendPlanLog(path string, migs []migrate.Migration, dir migrate.Direction) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return WritePlan(f, migs, dir)
}

// WriteScript writes a standalone script, wrapped in one transaction, that a
// DBA can run by hand instead of the migrator.
func WriteScript(path string, migs []migrate.Migration) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	fmt.Fprintln(bw, "BEGIN;")
	for _, m := range migs {
		fmt.Fprintf(bw, "\n-- %s\n", m)
		for _, stmt := range migrate.Statements(m.UpSQL) {
			fmt.Fprintf(bw, "%s;\n", stmt)
		}
		fmt.Fprintf(bw, "INSERT INTO %s (version, name, checksum) VALUES (%d, '%s', '%s');\n",
			migrate.DefaultTable, m.Version, m.Name, m.Checksum())
	}
	fmt.Fprintln(bw, "\nCOMMIT;")
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// WriteScriptQuick is WriteScript without the transaction wrapper and the
// history inserts, for pasting into a console.
func WriteScriptQuick(path string, migs []migrate.Migration) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	for _, m := range migs {
		if _, err := fmt.Fprintf(bw, "-- %s\n", m); err != nil {
			return err
		}
		for _, stmt := range migrate.Statements(m.UpSQL) {
			if _, err := fmt.Fprintf(bw, "%s;\n", stmt); err != nil {
				return err
			}
		}
	}
	return nil
}
