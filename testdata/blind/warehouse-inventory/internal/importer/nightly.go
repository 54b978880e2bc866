package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// timed logs how long an operation took: defer timed(l, "what")().
func timed(l *log.Logger, what string) func() {
	start := time.Now()
	return func() { l.Printf("%s took %v", what, time.Since(start).Round(time.Millisecond)) }
}

// audit records the outcome of an operation in the import log.
func (imp *Importer) audit(op, path string, err error) {
	if err != nil {
		imp.logger.Printf("audit: %s %s failed: %v", op, path, err)
		return
	}
	imp.logger.Printf("audit: %s %s ok", op, path)
}

// fileExists reports whether path names an existing regular file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// Reconcile applies a cycle-count file, whose rows carry the counted on-hand
// quantity, and returns the number of SKUs it corrected.
func (imp *Importer) Reconcile(path string) (adjusted int, err error) {
	defer imp.audit("reconcile", path, err) // HAZ defer-eager-evaluation
	rows, err := imp.readFile(path)
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		w := imp.store.Ensure(r.Warehouse)
		lvl, known := w.Position(r.SKU)
		switch {
		case !known && r.Qty > 0:
			err = w.Receive(r.SKU, r.Qty)
		case known && r.Qty != lvl.OnHand:
			err = w.Adjust(r.SKU, r.Qty-lvl.OnHand)
		default:
			continue
		}
		if err != nil {
			return adjusted, fmt.Errorf("%s: %s/%s: %w", path, r.Warehouse, r.SKU, err)
		}
		adjusted++
	}
	return adjusted, nil
}

// ReconcileAll reconciles each file in turn and audits the overall outcome.
func (imp *Importer) ReconcileAll(paths []string) (err error) {
	defer func() { imp.audit("reconcile-all", strings.Join(paths, ","), err) }()
	for _, p := range paths {
		if _, err = imp.Reconcile(p); err != nil {
			return err
		}
	}
	return nil
}

// ImportWithContinuation imports path and, when the ERP export split the
// day's file, the ".cont" continuation written next to it.
func (imp *Importer) ImportWithContinuation(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	n, err := imp.importReader(path, f)
	if err != nil {
		return n, err
	}
	cont := path + ".cont"
	if !fileExists(cont) {
		return n, nil
	}
	f, err = os.Open(cont)
	if err != nil {
		return n, err
	}
	m, err := imp.importReader(cont, f)
	return n + m, err
}

// RunNightly imports every CSV file in dir and logs the importer statistics.
func (imp *Importer) RunNightly(dir string) error {
	defer imp.stats.Snapshot().Log(imp.logger) // HAZ defer-call-chain
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return err
	}
	sort.Strings(paths)
	_, err = imp.ImportFiles(paths)
	return err
}

// RunWeekly is RunNightly for the weekly full export; the statistics are
// taken when the run ends.
func (imp *Importer) RunWeekly(dir string) error {
	defer func() { imp.stats.Snapshot().Log(imp.logger) }()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".csv") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = imp.ImportFiles(paths)
	return err
}

// ValidateDir parses every CSV file in dir without applying it and returns
// the files with problems.
func (imp *Importer) ValidateDir(dir string) ([]string, error) {
	defer timed(imp.logger, "validate "+dir) // HAZ defer-func-result-not-called
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, p := range paths {
		if _, err := imp.readFile(p); err != nil {
			imp.logger.Printf("validate: %v", err)
			bad = append(bad, p)
		}
	}
	return bad, nil
}

// ImportAndArchive imports path and moves it into DoneDir so that the next
// run does not import it again.
func (imp *Importer) ImportAndArchive(path string) (int, error) {
	n, err := imp.ImportFile(path)
	if err != nil {
		return 0, err
	}
	defer func() error { // HAZ defer-ineffective-return
		dst := filepath.Join(imp.DoneDir, filepath.Base(path))
		if err := os.Rename(path, dst); err != nil {
			return fmt.Errorf("archive %s: %w", path, err)
		}
		return nil
	}()
	imp.logger.Printf("imported %d rows from %s", n, path)
	return n, nil
}

// ArchiveImported imports path and moves it into DoneDir, reporting a failed
// move to the caller through the named result.
func (imp *Importer) ArchiveImported(path string) (n int, err error) {
	if n, err = imp.ImportFile(path); err != nil {
		return 0, err
	}
	defer func() {
		if rerr := os.Rename(path, filepath.Join(imp.DoneDir, filepath.Base(path))); rerr != nil {
			err = errors.Join(err, fmt.Errorf("archive %s: %w", path, rerr))
		}
	}()
	imp.logger.Printf("imported %d rows from %s", n, path)
	return n, nil
}
