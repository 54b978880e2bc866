package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"sync"
)

// VerifyChecksums compares every applied migration with its file,
// concurrently, and returns one error per mismatch.
func VerifyChecksums(migs []Migration, applied map[int64]AppliedMigration) []error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		seen = make(map[int64]bool, len(migs))
	)
	for _, mig := range migs {
		a, ok := applied[mig.Version]
		if !ok {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if sum := mig.Checksum(); sum != a.Checksum {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: file checksum %s, history says %s", mig, short(sum), short(a.Checksum)))
				mu.Unlock()
			}
		}()
		seen[mig.Version] = true
	}
	wg.Wait()
	for v, a := range applied {
		if seen[v] {
			continue
		}
		errs = append(errs, fmt.Errorf("version %d (%s) is applied but has no file", v, a.Name))
	}
	return errs
}

var (
	dropTable   = regexp.MustCompile(`(?i)\bDROP\s+TABLE\b`)
	lockingDDL  = regexp.MustCompile(`(?i)\bALTER\s+TABLE\b.*\bSET\s+NOT\s+NULL\b`)
	transaction = regexp.MustCompile(`(?i)^\s*(BEGIN|COMMIT|ROLLBACK)\b`)
)

// lintOne reports the first problem of a migration.
func lintOne(mig Migration) error {
	if strings.TrimSpace(mig.UpSQL) == "" {
		return fmt.Errorf("%s: empty up script", mig)
	}
	for _, stmt := range Statements(mig.UpSQL) {
		switch {
		case transaction.MatchString(stmt):
			return fmt.Errorf("%s: scripts must not manage transactions (%q)", mig, stmt)
		case dropTable.MatchString(stmt):
			return fmt.Errorf("%s: DROP TABLE in an up script loses data", mig)
		case lockingDDL.MatchString(stmt):
			return fmt.Errorf("%s: SET NOT NULL rewrites and locks the table", mig)
		}
	}
	return nil
}

func compact(errs []error) []error {
	out := errs[:0]
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// Lint checks every migration concurrently for common mistakes.
func Lint(migs []Migration) []error {
	errs := make([]error, len(migs))
	var wg sync.WaitGroup
	for i, mig := range migs {
		wg.Add(1)
		go func(i int, mig Migration) {
			defer wg.Done()
			errs[i] = lintOne(mig)
		}(i, mig)
	}
	wg.Wait()
	return compact(errs)
}

// LintStrict is Lint plus a check that every migration can be reverted.
func LintStrict(migs []Migration) []error {
	results := make(chan error, len(migs))
	var wg sync.WaitGroup
	for _, mig := range migs {
		mig := mig
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := lintOne(mig); err != nil {
				results <- err
				return
			}
			if strings.TrimSpace(mig.DownSQL) == "" {
				results <- fmt.Errorf("%s: no down script", mig)
			}
		}()
	}
	wg.Wait()
	close(results)
	var errs []error
	for err := range results {
		errs = append(errs, err)
	}
	return errs
}

// ValidateFiles checks that none of the named files is empty.
func ValidateFiles(fsys fs.FS, names []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	for i, name := range names {
		wg.Add(1)
		go func(i int, name string) {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				errs[i] = err
				return
			}
			if len(bytes.TrimSpace(data)) == 0 {
				errs[i] = fmt.Errorf("%s: empty migration file", name)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(i, name)
	}
	wg.Wait()
	return errors.Join(errs...)
}
