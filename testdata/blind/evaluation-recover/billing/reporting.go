package billing

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/blindb/platform"
)

// LedgerEntry is one line of an exported ledger file.
type LedgerEntry struct {
	Kind    string
	Account string
	Cents   int64
}

// Reporter aggregates ledger exports.
type Reporter struct {
	totals *platform.Totals
	log    *log.Logger
}

// NewReporter returns a reporter.
func NewReporter(l *log.Logger) *Reporter { return &Reporter{totals: &platform.Totals{}, log: l} }

// PriceCache caches prices and evicts stale ones after a refresh.
type PriceCache struct {
	store   *platform.ExpiringStore
	metrics *platform.Counters
	ttl     time.Duration
	fetch   func(ctx context.Context, sku string) (int64, error)
}

// Migrator applies billing schema migrations.
type Migrator struct {
	journal *platform.Journal
	log     *log.Logger
}

// Step is a migration step.
type Step struct {
	Name  string
	Apply func(ctx context.Context) error
}

// ReconcileAccounts checks every account and publishes the counters it
// updated along the way.
func (s *Service) ReconcileAccounts(ctx context.Context, ids []string) error {
	defer s.counters.Snapshot().Publish(s.sink) // HAZ defer-call-chain
	for _, id := range ids {
		if err := s.reconcileOne(ctx, id); err != nil {
			s.counters.Add("reconcile.errors", 1)
			continue
		}
		s.counters.Add("reconcile.ok", 1)
	}
	return ctx.Err()
}

// EmitUsageRecords queues every non-empty usage record as one batch.
func (s *Service) EmitUsageRecords(ctx context.Context, usage []Usage) error {
	b := platform.NewBatchBuilder("usage")
	defer b.Build().Commit(s.queue) // HAZ defer-call-chain
	for _, u := range usage {
		if u.Quantity == 0 {
			continue
		}
		b.Add(u.Account, u.Quantity)
	}
	return ctx.Err()
}

// RefreshAll refetches the given prices and then evicts stale entries.
func (c *PriceCache) RefreshAll(ctx context.Context, skus []string) error {
	defer c.store.EvictExpired().Record(c.metrics) // HAZ defer-call-chain
	for _, sku := range skus {
		p, err := c.fetch(ctx, sku)
		if err != nil {
			return fmt.Errorf("refresh %s: %w", sku, err)
		}
		c.store.Put(sku, p, c.ttl)
	}
	return nil
}

// DrainMatching buffers the values accepted by keep and flushes them to sink
// when it returns.
func DrainMatching[T any](src []T, keep func(T) bool, sink func([]T)) int {
	var buf platform.Buffer[T]
	defer buf.Pending().FlushTo(sink) // HAZ defer-call-chain
	for _, v := range src {
		if keep(v) {
			buf.Push(v)
		}
	}
	return buf.Len()
}

// ScanLedgers sums every ledger entry and prints the totals when done.
func (r *Reporter) ScanLedgers(ledgers [][]LedgerEntry) int {
	defer r.totals.Summary().Print(r.log) // HAZ defer-call-chain
	scanned := 0
files:
	for _, entries := range ledgers {
		for _, e := range entries {
			switch e.Kind {
			case "EOF":
				continue files
			case "HALT":
				break files
			}
			r.totals.Add(e.Account, e.Cents)
			scanned++
		}
	}
	return scanned
}

// ExportUsageSince exports usage after the saved offset and saves the new
// checkpoint when it is done.
func (s *Service) ExportUsageSince(ctx context.Context, usage []Usage, w io.Writer) error {
	defer s.deps.checkpoints.Checkpoint().Save(s.deps.cpStore) // HAZ defer-call-chain
	for i := s.deps.checkpoints.Offset; i < int64(len(usage)); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		u := usage[i]
		if _, err := fmt.Fprintf(w, "%s,%d\n", u.Account, u.Quantity); err != nil {
			return err
		}
		s.deps.checkpoints.Offset = i + 1
	}
	return nil
}

// NewBulkInvoiceHandler returns a handler that generates invoices for a list
// of accounts and reports its progress at the end.
func (s *Service) NewBulkInvoiceHandler() func(ctx context.Context, accounts []string) int {
	return func(ctx context.Context, accounts []string) int {
		p := &platform.Progress{Total: len(accounts)}
		defer p.Snapshot().Report(s.log) // HAZ defer-call-chain
		for _, a := range accounts {
			if _, err := s.FetchInvoice(ctx, a); err != nil {
				p.Fail++
				continue
			}
			p.Done++
		}
		return p.Done
	}
}

// Run applies the steps and prints the sealed journal.
func (m *Migrator) Run(ctx context.Context, mode string, steps []Step) error {
	switch mode {
	case "dry-run":
		for _, st := range steps {
			m.log.Printf("would apply %s", st.Name)
		}
		return nil
	case "apply":
		defer m.journal.Seal().Print(m.log) // HAZ defer-call-chain
		for _, st := range steps {
			if err := st.Apply(ctx); err != nil {
				return fmt.Errorf("step %s: %w", st.Name, err)
			}
			if err := m.journal.Note("applied %s", st.Name); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
}

// ---- negatives -----------------------------------------------------------

// ExportInvoices uses the documented `defer f()()` idiom: Trace runs now and
// returns the function that ends the span.
func (s *Service) ExportInvoices(ctx context.Context, ids []string, w io.Writer) error {
	defer s.tracer.Trace("billing.export_invoices")() // ok: f()() idiom
	for _, id := range ids {
		inv, err := s.FetchInvoice(ctx, id)
		if err != nil {
			return err
		}
		if err := s.RenderInvoice(ctx, inv, w); err != nil {
			return err
		}
	}
	return nil
}

// RecalculateTaxes times itself with a package-level helper returning the
// stop function.
func (s *Service) RecalculateTaxes(ctx context.Context, invoices []*Invoice, rate float64) error {
	defer platform.StartTimer(s.latency, "recalculate_taxes")() // ok: f()() idiom
	for _, inv := range invoices {
		if err := ctx.Err(); err != nil {
			return err
		}
		inv.Amount += int64(float64(inv.Amount) * rate)
	}
	return nil
}

// PublishReconcileStats publishes counters from a deferred closure, so the
// snapshot is taken at exit.
func (s *Service) PublishReconcileStats(ctx context.Context, ids []string) error {
	defer func() { s.counters.Snapshot().Publish(s.sink) }() // ok: whole chain deferred
	for _, id := range ids {
		if err := s.reconcileOne(ctx, id); err != nil {
			s.counters.Add("reconcile.errors", 1)
		}
	}
	return ctx.Err()
}

// AuditSpan splits span creation from the deferred End call.
func (s *Service) AuditSpan(ctx context.Context, user string) error {
	span := s.tracer.StartSpan("billing.audit")
	defer span.End() // ok: plain method call
	span.SetAttr("user", user)
	if s.audit.Len() > 10000 {
		return fmt.Errorf("audit log full for %s", user)
	}
	s.audit.Record(user, "audit-span", nil)
	return ctx.Err()
}

// FetchRemoteRates downloads FX rates; resp.Body.Close is a field path,
// not a call chain.
func (s *Service) FetchRemoteRates(ctx context.Context, url string) (map[string]int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // ok: selector path, only Close is called
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("rates: %s", resp.Status)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil {
		return nil, err
	}
	rates := make(map[string]int64, len(rows))
	for _, row := range rows {
		if len(row) != 2 {
			continue
		}
		v, err := strconv.ParseInt(row[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("rate %s: %w", row[0], err)
		}
		rates[row[0]] = v
	}
	return rates, nil
}

// SaveCheckpointOnExit takes the checkpoint inside a closure at exit time.
func (s *Service) SaveCheckpointOnExit(ctx context.Context, usage []Usage) int {
	defer func() {
		s.deps.checkpoints.Checkpoint().Save(s.deps.cpStore) // ok: evaluated at exit
	}()
	n := 0
	for _, u := range usage {
		if ctx.Err() != nil {
			break
		}
		s.deps.checkpoints.Offset++
		n += int(u.Quantity)
	}
	return n
}

// WriteReport writes a CSV report through a temp file; the file name
// argument of the deferred os.Remove is evaluated now on purpose.
func (s *Service) WriteReport(rows [][]string, dest string) error {
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".report-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // ok: argument call, not a receiver chain; no-op after the rename
	w := csv.NewWriter(tmp)
	if err := w.WriteAll(rows); err != nil {
		tmp.Close()
		return fmt.Errorf("write report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close report: %w", err)
	}
	return os.Rename(tmp.Name(), dest)
}

// RunPeriodicSync stops its ticker, created in a separate statement.
func (s *Service) RunPeriodicSync(ctx context.Context, every time.Duration, ids []string) error {
	ticker := time.NewTicker(every)
	defer ticker.Stop() // ok: receiver is a variable
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			for _, id := range ids {
				if err := s.SyncAccount(ctx, id); err != nil {
					s.log.Printf("sync %s: %v", id, err)
				}
			}
		}
	}
}
