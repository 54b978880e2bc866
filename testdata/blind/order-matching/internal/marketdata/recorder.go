package marketdata

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Recorder appends every update to a daily text file for post-trade analysis.
type Recorder struct {
	mu  sync.Mutex
	dir string
	f   *os.File
	bw  *bufio.Writer
	n   int64
}

// OpenRecorder opens today's recording file in dir.
func OpenRecorder(dir string) (*Recorder, error) {
	name := filepath.Join(dir, "md-"+time.Now().UTC().Format("20060102")+".log")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &Recorder{dir: dir, f: f, bw: bufio.NewWriterSize(f, 256<<10)}, nil
}

func formatUpdate(u Update) string {
	if u.Trade != nil {
		return fmt.Sprintf("T %s %d %d@%d", u.Symbol, u.Seq, u.Trade.Qty, u.Trade.Price)
	}
	bid, ask := "-", "-"
	if len(u.Bids) > 0 {
		bid = fmt.Sprintf("%d@%d", u.Bids[0].Qty, u.Bids[0].Price)
	}
	if len(u.Asks) > 0 {
		ask = fmt.Sprintf("%d@%d", u.Asks[0].Qty, u.Asks[0].Price)
	}
	return fmt.Sprintf("Q %s %d %s %s", u.Symbol, u.Seq, bid, ask)
}

// Record appends one update.
func (r *Recorder) Record(u Update) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.bw.WriteString(formatUpdate(u) + "\n"); err != nil {
		return err
	}
	r.n++
	return nil
}

// Count is the number of recorded updates.
func (r *Recorder) Count() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// Close flushes, syncs and closes the file, reporting every failure.
func (r *Recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ferr := r.bw.Flush()
	serr := r.f.Sync()
	cerr := r.f.Close()
	return errors.Join(ferr, serr, cerr)
}

// Attach records everything sub receives until ctx is done or the hub drops
// the subscriber.
func (r *Recorder) Attach(ctx context.Context, sub *Subscriber) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case u, ok := <-sub.C():
			if !ok {
				return fmt.Errorf("marketdata: recorder subscriber %d dropped", sub.ID())
			}
			if err := r.Record(u); err != nil {
				return err
			}
		}
	}
}

// DumpText writes updates to path, one per line, for an ad-hoc export.
func DumpText(path string, updates []Update) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, u := range updates {
		if _, err := fmt.Fprintln(f, formatUpdate(u)); err != nil {
			return err
		}
	}
	return nil
}

// DumpTextChecked is DumpText with the close error folded into the result.
func DumpTextChecked(path string, updates []Update) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	bw := bufio.NewWriter(f)
	for _, u := range updates {
		if _, err := fmt.Fprintln(bw, formatUpdate(u)); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Rotate switches to a new recording file, e.g. at midnight UTC.
func (r *Recorder) Rotate(day time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.bw.Flush(); err != nil {
		return err
	}
	if err := r.f.Sync(); err != nil {
		return err
	}
	name := filepath.Join(r.dir, "md-"+day.UTC().Format("20060102")+".log")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	old := r.f
	defer func() error { // HAZ defer-ineffective-return
		return old.Close()
	}()
	r.f = f
	r.bw.Reset(f)
	return nil
}

// DumpPerSymbol writes the updates of each symbol into its own file in dir.
func DumpPerSymbol(dir string, updates []Update) error {
	bySym := make(map[string][]Update)
	for _, u := range updates {
		bySym[u.Symbol] = append(bySym[u.Symbol], u)
	}
	for sym, us := range bySym {
		f, err := os.Create(filepath.Join(dir, sym+".log"))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop defer-close-unchecked-write
		for _, u := range us {
			if _, err := fmt.Fprintln(f, formatUpdate(u)); err != nil {
				return err
			}
		}
	}
	return nil
}
