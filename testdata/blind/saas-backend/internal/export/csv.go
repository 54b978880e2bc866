// Package export writes tenant data as CSV, JSON and zip archives, to disk
// or straight to an HTTP response.
package export

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"example.com/saas/internal/jobs"
)

var jobHeader = []string{"id", "tenant", "kind", "state", "attempts", "run_at", "last_error"}

func jobRecord(j jobs.Job) []string {
	return []string{
		strconv.FormatInt(j.ID, 10), j.Tenant, j.Kind, j.State,
		strconv.Itoa(j.Attempts), j.RunAt.UTC().Format(time.RFC3339), j.LastErr,
	}
}

// WriteJobsCSV writes jobs as CSV to w and reports any buffered write error.
func WriteJobsCSV(w io.Writer, list []jobs.Job) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(jobHeader); err != nil {
		return err
	}
	for _, j := range list {
		if err := cw.Write(jobRecord(j)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// JobsCSVFile writes jobs to path; the close error is joined into the result.
func JobsCSVFile(path string, list []jobs.Job) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return WriteJobsCSV(f, list)
}

// AuditRow is one line of the audit export.
type AuditRow struct {
	At     time.Time
	Actor  string
	Action string
	Target string
}

// AuditCSVFile writes the audit trail to path.
func AuditCSVFile(path string, rows []AuditRow) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(f)
	_ = cw.Write([]string{"at", "actor", "action", "target"})
	for _, r := range rows {
		if err := cw.Write([]string{r.At.UTC().Format(time.RFC3339), r.Actor, r.Action, r.Target}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadJobsCSV parses a file written by JobsCSVFile. The file is read-only.
func ReadJobsCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	return recs[1:], nil
}
