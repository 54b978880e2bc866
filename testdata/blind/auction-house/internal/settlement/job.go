package settlement

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"

	"example.com/auction/internal/auction"
	"example.com/auction/internal/obs"
)

var errNoWinner = errors.New("settlement: lot has no winner")

// LotSource lists the lots closed on a day.
type LotSource interface {
	ClosedLots(ctx context.Context, day time.Time) ([]auction.Result, error)
}

// Payments moves money.
type Payments interface {
	Charge(ctx context.Context, bidder string, cents int64) error
	Refund(ctx context.Context, bidder string, cents int64) error
}

// Progress reports long-running work (a terminal bar, a status page).
type Progress interface {
	Begin(task string) (end func())
}

// Job settles one trading day.
type Job struct {
	Dir            string
	Outbox         string
	FeeBasisPoints int64
	Source         LotSource
	Payments       Payments
	Progress       Progress // optional
	ChargeTimeout  time.Duration
	Latency        *obs.Histogram
	Log            *log.Logger
}

func (j *Job) logf(format string, args ...any) {
	if j.Log != nil {
		j.Log.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// AcquireLock creates the lock file exclusively and returns the function
// that removes it. It fails while another settlement run holds the lock.
func AcquireLock(path string) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("settlement: lock %s: %w", path, err)
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// Run settles every lot closed on day and writes the ledger. It returns the
// ledger's path.
func (j *Job) Run(ctx context.Context, day time.Time) (string, error) {
	var end func()
	if j.Progress != nil {
		end = j.Progress.Begin("settle " + day.Format(dayLayout))
	}
	defer end() // HAZ defer-nil-func
	results, err := j.Source.ClosedLots(ctx, day)
	if err != nil {
		return "", err
	}
	entries, err := j.buildEntries(ctx, results)
	if err != nil {
		return "", err
	}
	path := filepath.Join(j.Dir, LedgerName(day))
	if err := WriteLedgerAtomic(path, entries); err != nil {
		return "", err
	}
	return path, nil
}

// Entries returns what Run would settle for day without charging anyone.
func (j *Job) Entries(ctx context.Context, day time.Time) ([]Entry, error) {
	results, err := j.Source.ClosedLots(ctx, day)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(results))
	for _, r := range results {
		if r.Sold {
			out = append(out, j.entryFor(r))
		}
	}
	return out, nil
}

// buildEntries charges the winner of every sold lot.
func (j *Job) buildEntries(ctx context.Context, results []auction.Result) ([]Entry, error) {
	defer obs.Trace("settlement.buildEntries")()
	entries := make([]Entry, 0, len(results))
	for _, r := range results {
		if !r.Sold {
			continue
		}
		e, err := j.settleLot(ctx, r)
		if err != nil {
			return nil, fmt.Errorf("lot %s: %w", r.LotID, err)
		}
		entries = append(entries, e)
	}
	sort.Slice(entries, func(a, b int) bool { return entries[a].LotID < entries[b].LotID })
	return entries, nil
}

func (j *Job) entryFor(r auction.Result) Entry {
	return Entry{
		LotID:    r.LotID,
		Winner:   r.Winner.Bidder,
		Amount:   r.Winner.Amount,
		Fee:      r.Winner.Amount * j.FeeBasisPoints / 10000,
		ClosedAt: r.ClosedAt,
	}
}

// observe records how long settling one lot took.
func (j *Job) observe(lot string, d time.Duration) {
	if j.Latency != nil {
		j.Latency.Observe(d)
	}
	if d > 2*time.Second {
		j.logf("lot %s: slow settlement (%s)", lot, d)
	}
}

// settleLot charges the winner of one lot.
func (j *Job) settleLot(ctx context.Context, r auction.Result) (Entry, error) {
	start := time.Now()
	defer j.observe(r.LotID, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	e := j.entryFor(r)
	charge := j.charge
	if j.ChargeTimeout > 0 {
		charge = j.chargeWithTimeout
	}
	if err := charge(ctx, e); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// logOutcome logs how an operation on a lot ended.
func (j *Job) logOutcome(op, lot string, err error) {
	if err != nil {
		j.logf("%s lot %s: failed: %v", op, lot, err)
		return
	}
	j.logf("%s lot %s: ok", op, lot)
}

// charge takes the amount and the fee from the winner.
func (j *Job) charge(ctx context.Context, e Entry) error {
	var err error
	defer j.logOutcome("charge", e.LotID, err) // HAZ defer-eager-evaluation
	if e.Winner == "" {
		err = errNoWinner
		return err
	}
	err = j.Payments.Charge(ctx, e.Winner, e.Amount+e.Fee)
	if err != nil {
		err = fmt.Errorf("charge %s: %w", e.Winner, err)
	}
	return err
}

// report logs the final value of *errp.
func (j *Job) report(op, lot string, errp *error) {
	j.logOutcome(op, lot, *errp)
}

// Refund gives the winner their money back when a sale is reversed.
func (j *Job) Refund(ctx context.Context, e Entry) (err error) {
	defer j.report("refund", e.LotID, &err)
	if e.Winner == "" {
		return errNoWinner
	}
	return j.Payments.Refund(ctx, e.Winner, e.Amount+e.Fee)
}

// Timed runs fn and records its latency; the start time is taken when the
// defer statement runs, which is exactly the start of fn.
func (j *Job) Timed(fn func() error) error {
	if j.Latency == nil {
		return fn()
	}
	defer j.Latency.ObserveSince(time.Now())
	return fn()
}

// copyFile copies src to dst and syncs dst.
func copyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}

// Publish copies a finished ledger into the outbox the bank collects from.
// A partial copy is removed when anything fails.
func (j *Job) Publish(ledger string) error {
	dst := filepath.Join(j.Outbox, filepath.Base(ledger))
	cleanup := func() { os.Remove(dst) }
	defer cleanup() // HAZ defer-eager-evaluation
	if err := copyFile(dst, ledger); err != nil {
		return err
	}
	if err := os.Chmod(dst, 0o440); err != nil {
		return err
	}
	cleanup = func() {} // success: keep the file
	return nil
}

// Summarize totals a day's entries per winner.
func Summarize(entries []Entry) map[string]int64 {
	defer obs.Trace("settlement.summarize") // HAZ defer-func-result-not-called
	totals := make(map[string]int64)
	for _, e := range entries {
		totals[e.Winner] += e.Amount + e.Fee
	}
	return totals
}

// chargeWithTimeout charges like charge but gives up after j.ChargeTimeout
// so that one slow card network cannot stall the whole run.
func (j *Job) chargeWithTimeout(ctx context.Context, e Entry) error {
	done := make(chan error)
	go func() {
		done <- j.charge(ctx, e) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(j.ChargeTimeout):
		return fmt.Errorf("charge %s for lot %s: no answer within %s", e.Winner, e.LotID, j.ChargeTimeout)
	}
}

// RunDays settles several days in order, for catching up after an outage.
func (j *Job) RunDays(ctx context.Context, days []time.Time) ([]string, error) {
	var ledgers []string
	for _, d := range days {
		defer func() { j.logf("catch-up: %s processed", d.Format(dayLayout)) }() // HAZ defer-in-loop loop-var-capture
		path, err := j.Run(ctx, d)
		if err != nil {
			return ledgers, fmt.Errorf("%s: %w", d.Format(dayLayout), err)
		}
		ledgers = append(ledgers, path)
	}
	return ledgers, nil
}

// Confirm compares the ledger of day with the total the bank confirmed.
func (j *Job) Confirm(day time.Time, bankTotal int64) error {
	entries, err := ReadLedger(filepath.Join(j.Dir, LedgerName(day)))
	if err != nil {
		return err
	}
	var ours int64
	defer func() { // HAZ defer-ineffective-return
		if err == nil && ours != bankTotal {
			err = fmt.Errorf("settlement: %s: ledger total %d, bank confirmed %d", day.Format(dayLayout), ours, bankTotal)
		}
	}()
	for _, e := range entries {
		ours += e.Amount + e.Fee
	}
	return nil
}
